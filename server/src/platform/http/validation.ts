import type { Locale } from '@okpay/contracts';
import type { FastifySchemaCompiler } from 'fastify';
import { type core, z } from 'zod';

const english = z.locales.en().localeError;
const chinese = z.locales.zhCN().localeError;
const worded = (words: typeof english, issue: core.$ZodRawIssue) => {
  const message = words(issue);
  return typeof message === 'string' ? message : message?.message;
};

/** One refused field, its message in every UI language (the request's is picked when answering). */
export type FieldIssue = { field: string; code: string; messages: Record<Locale, string> };

const marker = Symbol('okpay.validation');
// instancePath and message are what Fastify's own formatter reads; issue is ours.
type ValidationItem = { [marker]: true; instancePath: string; message: string; issue: Omit<FieldIssue, 'field'> };

/**
 * Validates with the route's zod schema, like fastify-type-provider-zod, but words each problem in
 * both languages while the input is still at hand (zod's Chinese "received a string" needs it).
 * The input itself is not kept: a refused password must not reach a log.
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    const items: ValidationItem[] = result.error.issues.map((issue) => {
      const raw = issue as unknown as core.$ZodRawIssue;
      // A message the schema wrote itself differs from zod's own wording and is kept as it is.
      const isZodWording = worded(english, raw) === issue.message;
      const messages = { en: issue.message, 'zh-CN': (isZodWording && worded(chinese, raw)) || issue.message };
      return {
        [marker]: true,
        instancePath: `/${issue.path.join('/')}`,
        message: messages.en,
        issue: { code: issue.code, messages },
      };
    });
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
