import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { errorBodySchema } from '@okpay/contracts';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { routeGuards } from './guards.js';

type Schema = Parameters<typeof jsonSchemaTransform>[0]['schema'];

/** A refusal in the API document: its meaning, and the one error body (a $ref to ErrorBody). */
const refusal = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/**
 * A stable operationId from the method and path, so generated clients keep their names:
 * `POST /api/wallet/fx/quotes/{id}/execute` → `postWalletFxQuotesByIdExecute`.
 */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[^A-Za-z0-9]+/)))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((word) => word[0]?.toUpperCase() + word.slice(1))].join('');
}

/**
 * Documents each route from what it does rather than from hand-written notes: the credentials its
 * guards take (public routes say so with an empty requirement), the refusals every route of its
 * kind can answer, all in the one error shape, and an operationId.
 */
export const openApiTransform: SwaggerTransform<Schema> = (document) => {
  const { schema, route, url } = document;
  if (!schema || schema.hide) return jsonSchemaTransform(document);
  const method = String(Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
  const guards = routeGuards(route);
  const hasParams = url.includes(':');
  const hasBody = schema.body !== undefined || ['POST', 'PUT', 'PATCH'].includes(method);
  const refusals: Record<string, ReturnType<typeof refusal>> = {
    400: refusal(
      'The request was refused: `validation_failed` (with `details` per field), `invalid_json`, `json_too_deep`, `invalid_cursor` or `bad_request`',
    ),
  };
  for (const guard of guards) {
    for (const [status, description] of Object.entries(guard.refusals)) refusals[status] = refusal(description);
  }
  if (hasParams) refusals[404] = refusal('Nothing with that id (`not_found` or the object’s own code)');
  if (hasBody) refusals[413] = refusal('The body is too large (`payload_too_large`)');
  if (hasParams) refusals[414] = refusal('A path parameter is too long (`uri_too_long`)');
  if (hasBody) refusals[415] = refusal('The body is not JSON (`unsupported_media_type`)');
  refusals['4XX'] = refusal('Refused for a reason of this operation’s own; `error.code` names it');
  refusals['5XX'] = refusal('Failed on our side (`internal_error`) or unavailable for a moment (`service_unavailable`)');
  const transformed = jsonSchemaTransform({
    ...document,
    schema: {
      ...schema,
      operationId: operationIdFor(method, url),
      security: guards.flatMap((guard) => guard.security(method)),
      response: { ...refusals, ...(schema.response as Record<string, unknown> | undefined) },
    },
  });
  // A route that declares no success shape still answers 200; say so (without inventing a body).
  const responses = transformed.schema.response as Record<string, unknown>;
  if (!Object.keys(responses).some((status) => status.startsWith('2'))) responses[200] = { type: 'null', description: 'OK' };
  return transformed;
};

/**
 * Named schemas (`.meta({ id })`) become components; zod emits an input and an output variant of
 * each, so the variants nothing refers to are dropped.
 */
export const openApiTransformObject: SwaggerTransformObject = (document) => {
  const transformed = jsonSchemaTransformObject(document);
  nameRecordKeys(transformed);
  const schemas = (transformed as { components?: { schemas?: Record<string, unknown> } }).components?.schemas;
  if (!schemas) return transformed;
  const { components: _components, ...rest } = transformed as Record<string, unknown>;
  const text = JSON.stringify(rest);
  for (const name of Object.keys(schemas)) {
    if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
  }
  return transformed;
};

type JsonObject = { [key: string]: unknown };

/**
 * A record keyed by an enum (`z.record(channelSchema, z.string())`) comes out of OpenAPI 3.0's
 * schema dialect as `required` keys with no `properties`; each key is given the value schema, so
 * the document says what it requires. Iterative, so no document depth matters.
 */
function nameRecordKeys(root: unknown): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    const schema = node as JsonObject;
    const values = schema.additionalProperties;
    if (Array.isArray(schema.required) && typeof values === 'object' && values !== null) {
      const properties = (schema.properties ?? {}) as JsonObject;
      for (const key of schema.required) if (typeof key === 'string' && !(key in properties)) properties[key] = values;
      schema.properties = properties;
    }
    pending.push(...Object.values(schema));
  }
}
