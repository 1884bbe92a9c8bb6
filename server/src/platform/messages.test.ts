import { describe, expect, it } from 'vitest';
import { defineMessages } from './messages.js';

describe('the registry of messages', () => {
  it('words a message in both languages with its placeholders filled', () => {
    const message = defineMessages({ test_sent_to: { 'zh-CN': '已发送到 {to}', en: 'Sent to {to}' } });
    expect(message('test_sent_to', 'zh-CN', { to: 'a@example.com' })).toBe('已发送到 a@example.com');
    expect(message('test_sent_to', 'en', { to: 'a@example.com' })).toBe('Sent to a@example.com');
  });

  it('refuses a key declared a second time, naming it', () => {
    const first = defineMessages({ test_declared_once: { 'zh-CN': '好', en: 'Fine' } });
    expect(() => defineMessages({ test_declared_once: { 'zh-CN': '坏', en: 'Not fine' } })).toThrow(
      'message defined twice: test_declared_once',
    );
    expect(first('test_declared_once', 'en')).toBe('Fine');
  });
});
