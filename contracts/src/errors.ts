import { z } from 'zod';

/** The one error body every 4xx/5xx answer carries (a named schema in the API document). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed'),
      message: z.string().describe('What went wrong, in the caller’s language (Accept-Language)'),
      details: z.unknown().optional().describe('For validation_failed: each refused field with its own code and message'),
    }),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** A 204 answer: no body. */
export const noContentSchema = z.null().describe('No content');
