import { describe, expect, it } from 'vitest';
import { AppError, defineErrors, PlatformError, renderMessage } from './errors.js';

const definition = { status: 409, 'zh-CN': '重复', en: 'Twice' };

describe('the registry of error codes', () => {
  it('renders a declared code in both languages with its parameters', () => {
    const TestError = defineErrors({ test_limit_reached: { status: 422, 'zh-CN': '超过 {limit}', en: 'Over {limit}' } });
    const error = TestError('test_limit_reached', { limit: 5 });
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(422);
    expect(error.messageIn('en')).toBe('Over 5');
    expect(renderMessage('test_limit_reached', 'zh-CN', { limit: 5 })).toBe('超过 5');
  });

  it('refuses a code declared a second time, naming it', () => {
    defineErrors({ test_declared_once: definition });
    expect(() => defineErrors({ test_declared_once: definition })).toThrow('error code defined twice: test_declared_once');
  });

  it("refuses a code another module already owns, and keeps the owner's meaning", () => {
    expect(() => defineErrors({ test_fresh_code: definition, not_found: { ...definition, status: 410 } })).toThrow(
      'error code defined twice: not_found',
    );
    expect(PlatformError('not_found').status).toBe(404);
    expect(renderMessage('not_found', 'en')).toBe('Not found');
    // Nothing of a refused declaration is registered.
    expect(renderMessage('test_fresh_code', 'en')).not.toBe('Twice');
  });
});
