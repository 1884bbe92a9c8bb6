import type { Locale } from '@okpay/contracts';
import type { FastifySchemaCompiler } from 'fastify';
import { type core, z } from 'zod';
import { PlatformError } from '../errors.js';

const english = z.locales.en().localeError;
const chinese = z.locales.zhCN().localeError;
const worded = (words: typeof english, issue: core.$ZodRawIssue) => {
  const message = words(issue);
  return typeof message === 'string' ? message : message?.message;
};

/** One refused field, its message in every UI language (the request's is picked when answering). */
export type FieldIssue = { field: string; code: string; messages: Record<Locale, string> };
type PathIssue = { path: PropertyKey[]; code: string; messages: Record<Locale, string> };

/**
 * A NUL character cannot be stored by PostgreSQL and an unpaired surrogate is not Unicode at all
 * (it turns into U+FFFD on the way to the database), so no text the API accepts may hold either.
 */
const unpairedSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isSafeText(value: string): boolean {
  return !value.includes('\u0000') && !unpairedSurrogate.test(value);
}

/** Deeper input than this is refused before any schema looks at it (JSON bodies are held to it while parsing). */
export const maxInputDepth = 32;

const unsafeTextMessages = {
  en: 'Contains a character that is not allowed (a NUL character or broken Unicode)',
  'zh-CN': '包含不允许的字符（空字符或无效的 Unicode 字符）',
};
const tooDeepMessages = {
  en: `Nested more than ${maxInputDepth} levels deep`,
  'zh-CN': `嵌套层级超过 ${maxInputDepth} 层`,
};

/** Every string (and key) in the input that breaks the text rule, and input nested too deep; iterative, so no input can exhaust the stack. */
function textIssues(input: unknown): PathIssue[] {
  const issues: PathIssue[] = [];
  const pending: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: input, path: [] }];
  while (pending.length > 0 && issues.length < 20) {
    const { value, path } = pending.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof value === 'string') {
      if (!isSafeText(value)) issues.push({ path, code: 'invalid_text', messages: unsafeTextMessages });
      continue;
    }
    if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) continue;
    if (path.length >= maxInputDepth) {
      issues.push({ path, code: 'too_deep', messages: tooDeepMessages });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, Array.isArray(value) ? Number(key) : key];
      if (!isSafeText(key)) issues.push({ path: childPath, code: 'invalid_text', messages: unsafeTextMessages });
      else pending.push({ value: child, path: childPath });
    }
  }
  return issues;
}

/**
 * Checks input against a schema, after the text rule that holds for every string: the one
 * validation for HTTP routes and socket events alike. Each problem is worded in both languages
 * while the input is still at hand (zod's Chinese "received a string" needs it); a schema may give
 * its own wording in both as `params: { messages: { en, 'zh-CN' } }`. The input is not kept.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { value: z.output<S>; issues?: undefined } | { value?: undefined; issues: PathIssue[] } {
  const unsafe = textIssues(data);
  // Too deep for the text check is too deep for the schema as well.
  if (unsafe.some((issue) => issue.code === 'too_deep')) return { issues: unsafe };
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success && unsafe.length === 0) return { value: result.data };
  const schemaIssues = result.success
    ? []
    : result.error.issues.map((issue) => {
        const raw = issue as unknown as core.$ZodRawIssue;
        const own = (issue as { params?: { messages?: Record<Locale, string> } }).params?.messages;
        // A message the schema wrote itself differs from zod's own wording and is kept as it is.
        const isZodWording = worded(english, raw) === issue.message;
        const messages = own ?? { en: issue.message, 'zh-CN': (isZodWording && worded(chinese, raw)) || issue.message };
        return { path: issue.path, code: issue.code, messages };
      });
  return { issues: [...unsafe, ...schemaIssues] };
}

const marker = Symbol('okpay.validation');
// instancePath and message are what Fastify's own formatter reads; issue is ours.
type ValidationItem = { [marker]: true; instancePath: string; message: string; issue: Omit<FieldIssue, 'field'> };

/** Fastify's validator for route schemas: validateInput, reported in the shape Fastify passes to the error handler. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = validateInput(schema, data);
    if (!result.issues) return { value: result.value };
    const items: ValidationItem[] = result.issues.map((issue) => ({
      [marker]: true,
      instancePath: `/${issue.path.map(String).join('/')}`,
      message: issue.messages.en,
      issue: { code: issue.code, messages: issue.messages },
    }));
    return { error: items as unknown as Error };
  };

/** The refused fields of a validation error from validatorCompiler, or undefined for any other error. */
export function fieldIssues(error: { validation?: unknown; validationContext?: string }): FieldIssue[] | undefined {
  const validation = error.validation;
  if (!Array.isArray(validation) || validation.length === 0 || !(validation[0] as Partial<ValidationItem>)[marker]) return undefined;
  return (validation as ValidationItem[]).map((item) => ({
    field: [error.validationContext, ...item.instancePath.split('/').filter(Boolean)].join('.'),
    ...item.issue,
  }));
}

/** The 400 answer for refused fields, each with its reason in the caller's language. */
export function validationFailed(issues: FieldIssue[], locale: Locale) {
  const fields = [...new Set(issues.map((issue) => issue.field))].join(', ');
  return PlatformError(
    'validation_failed',
    { fields },
    issues.map((issue) => ({ field: issue.field, code: issue.code, message: issue.messages[locale] })),
  );
}

/** Parses a payload that did not come through a Fastify route (a socket event): the value, or a validation_failed error. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, locale: Locale, context = 'payload'): z.output<S> {
  const result = validateInput(schema, data);
  if (!result.issues) return result.value;
  const issues = result.issues.map((issue) => ({
    field: [context, ...issue.path.map(String)].join('.'),
    code: issue.code,
    messages: issue.messages,
  }));
  throw validationFailed(issues, locale);
}
