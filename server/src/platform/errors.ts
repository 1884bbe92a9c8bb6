import type { Locale } from '@okpay/contracts';
import { fillPlaceholders } from './messages.js';

type ErrorDefinition = { status: number; 'zh-CN': string; en: string };

const registry = new Map<string, ErrorDefinition>();

/** The one error type. Codes are stable; the message is rendered in the caller's language. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }

  messageIn(locale: Locale): string {
    return renderMessage(this.code, locale, this.params);
  }
}

/**
 * Declares a module's error codes with their HTTP status and messages in both languages.
 * Messages may hold `{name}` placeholders filled from the error's params. A code belongs to one
 * module: declaring it again anywhere throws while the modules load, since clients act on codes and
 * two meanings (or two statuses) for one code would reach them as one.
 */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(definitions: T) {
  const taken = Object.keys(definitions).filter((code) => registry.has(code));
  if (taken.length > 0) throw new Error(`error code defined twice: ${taken.join(', ')}`);
  for (const [code, definition] of Object.entries(definitions)) registry.set(code, definition);
  return (code: keyof T & string, params?: Record<string, string | number>, details?: unknown) =>
    new AppError(code, definitions[code]?.status ?? 500, params, details);
}

export function renderMessage(code: string, locale: Locale, params: Record<string, string | number> = {}): string {
  return fillPlaceholders(registry.get(code)?.[locale] ?? registry.get('internal_error')?.[locale] ?? code, params);
}

export function isKnownErrorCode(code: string): boolean {
  return registry.has(code);
}

/** Codes every module can raise. */
export const PlatformError = defineErrors({
  validation_failed: { status: 400, 'zh-CN': '请求内容有误：{fields}', en: 'The request is invalid: {fields}' },
  invalid_json: { status: 400, 'zh-CN': '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  bad_request: { status: 400, 'zh-CN': '请求无效', en: 'The request is invalid' },
  json_too_deep: {
    status: 400,
    'zh-CN': '请求内容嵌套层级过深（最多 {max} 层）',
    en: 'The request body is nested too deeply (at most {max} levels)',
  },
  invalid_cursor: { status: 400, 'zh-CN': '分页游标无效', en: 'The page cursor is invalid' },
  unauthenticated: { status: 401, 'zh-CN': '请先登录', en: 'Please sign in first' },
  csrf_failed: {
    status: 403,
    'zh-CN': '页面已过期，请刷新后重试',
    en: 'This page has expired; refresh it and try again',
  },
  forbidden: { status: 403, 'zh-CN': '您没有权限执行此操作', en: 'You are not allowed to do this' },
  not_found: { status: 404, 'zh-CN': '找不到请求的内容', en: 'Not found' },
  method_not_allowed: { status: 405, 'zh-CN': '不支持此请求方法', en: 'This method is not allowed here' },
  conflict: { status: 409, 'zh-CN': '请求与当前状态冲突', en: 'The request conflicts with the current state' },
  payload_too_large: { status: 413, 'zh-CN': '请求内容过大', en: 'The request body is too large' },
  uri_too_long: { status: 414, 'zh-CN': '请求地址过长', en: 'The request address is too long' },
  unsupported_media_type: {
    status: 415,
    'zh-CN': '不支持的内容类型，请使用 application/json',
    en: 'Unsupported content type; send application/json',
  },
  rate_limited: {
    status: 429,
    'zh-CN': '尝试次数过多，请在 {retryAfterSeconds} 秒后重试',
    en: 'Too many attempts; try again in {retryAfterSeconds} seconds',
  },
  internal_error: {
    status: 500,
    'zh-CN': '服务暂时出现问题，请稍后再试',
    en: 'Something went wrong on our side; please try again later',
  },
  service_unavailable: {
    status: 503,
    'zh-CN': '服务暂时不可用，请稍后再试',
    en: 'The service is temporarily unavailable; please try again later',
  },
});
