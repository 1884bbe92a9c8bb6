import { describe, expect, it } from 'vitest';
import { formatDue } from './reply-promise.js';

describe('the expected reply date in mail', () => {
  it('says the expected date in the customer language and the centre time zone', () => {
    const due = new Date('2026-12-08T10:00:00Z');
    expect(formatDue(due, 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月8日星期二 18:00（中国标准时间）');
    expect(formatDue(due, 'en', 'Asia/Shanghai')).toBe('Tuesday, 8 December 2026 at 18:00 (China Standard Time)');
  });
});
