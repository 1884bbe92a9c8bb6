import { describe, expect, it } from 'vitest';
import { widgetStorage } from './storage';

function memory() {
  const items = new Map<string, string>();
  return { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value), items };
}

describe('what the widget keeps in the host page’s localStorage', () => {
  it('keeps the visitor token so the visitor keeps their conversation', () => {
    const backend = memory();
    widgetStorage('https://okpay.example', backend).setVisitor({ token: 'visitor-token', expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(widgetStorage('https://okpay.example', backend).visitor()?.token).toBe('visitor-token');
    // Another OKPay deployment embedded on the same page has its own visitor.
    expect(widgetStorage('https://staging.okpay.example', backend).visitor()).toBeUndefined();
  });

  it('remembers how far each conversation was seen, never backwards, for the latest ten conversations', () => {
    const storage = widgetStorage('https://okpay.example', memory());
    storage.setSeenSeq('a', 5);
    storage.setSeenSeq('a', 3);
    expect(storage.seenSeq('a')).toBe(5);
    for (let index = 0; index < 12; index++) storage.setSeenSeq(`c${index}`, index + 1);
    expect(storage.seenSeq('a')).toBe(0);
    expect(storage.seenSeq('c11')).toBe(12);
  });

  it('never stores message text', () => {
    const backend = memory();
    const storage = widgetStorage('https://okpay.example', backend);
    storage.setVisitor({ token: 't', expiresAt: '2030-01-01T00:00:00.000Z' });
    storage.setSeenSeq('conversation', 7);
    expect(JSON.parse([...backend.items.values()][0] ?? '{}')).toEqual({
      visitor: { token: 't', expiresAt: '2030-01-01T00:00:00.000Z' },
      seen: { conversation: 7 },
    });
  });

  it('keeps working when storage is blocked or holds garbage', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const storage = widgetStorage('https://okpay.example', blocked);
    expect(() => storage.setSeenSeq('a', 1)).not.toThrow();
    expect(storage.seenSeq('a')).toBe(0);
    const garbage = memory();
    garbage.setItem('okpay-chat:https://okpay.example', '{not json');
    expect(widgetStorage('https://okpay.example', garbage).visitor()).toBeUndefined();
    expect(widgetStorage('https://okpay.example', undefined).seenSeq('a')).toBe(0);
  });
});
