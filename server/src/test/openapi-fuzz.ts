import fc from 'fast-check';

/** The part of JSON Schema the API document uses for parameters and bodies. */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  anyOf?: JsonSchema[];
  examples?: unknown[];
};

const uuid = fc.uuid();
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Text that has broken this API, or would break one like it. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('a\u0000b', '\u0000', '\ud800', 'tail \udfff', '\udc00\ud800', 'emoji \ud83d') },
  fc.constantFrom('0000-01-01', '10000-01-01', '0001-01-01T00:00:00Z', '2026-02-30', '9999-12-31T23:59:59-14:00', 'yesterday'),
  fc.constantFrom(
    cursorOf({ at: '0000-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000' }),
    cursorOf({ at: '2026-01-01T00:00:00Z', id: '------------------------------------' }),
    cursorOf({ at: '2026-01-01T00:00:00Z', id: '00000000-0000-4000-8000-000000000000' }).slice(0, 25),
    '%%%%',
  ),
  fc.constantFrom("' OR 1=1 --", '../../etc/passwd', '<script>alert(1)</script>', '=1+1', "-1+cmd|' /C calc'!A0", '{{7*7}}'),
  fc.integer({ min: 300, max: 20_000 }).map((length) => 'x'.repeat(length)),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Any JSON value of the wrong kind, including nesting deeper than the API reads. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileText },
  fc.constantFrom(null, true, false, 0, -1, 1.5, -1e308, 1e308, 2 ** 53, -(2 ** 63), [], {}),
  fc.integer({ min: 33, max: 200 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`)),
  fc.integer({ min: 33, max: 60 }).map((depth) => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level += 1) value = { nested: value };
    return value;
  }),
  fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 5 }),
);

/** A value the schema accepts, as far as it can be derived from the schema. */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.examples && schema.examples.length > 0) return fc.constantFrom(...schema.examples);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(validValue));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return uuid;
      if (schema.format === 'email') return fc.emailAddress().filter((email) => email.length <= (schema.maxLength ?? 254));
      if (schema.pattern) {
        try {
          return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? 10_000));
        } catch {
          // A pattern fast-check cannot generate from: fall back to plain text.
        }
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 60) });
    }
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 100_000, 2 ** 31) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? validValue(schema.items) : fc.string(), { maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object':
      return objectOf(schema, validValue);
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/** A value the schema accepts, or now and then one it does not. */
export function fuzzedValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validValue(schema) }, { weight: 1, arbitrary: hostileValue });
}

/**
 * A valid body with exactly one thing bent: one field hostile (or gone, or an unknown one added),
 * so the hostile value gets past everything else to wherever it could do harm.
 */
export function bentObject(schema: JsonSchema): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  return validValue(schema).chain((valid) => {
    const value = (valid ?? {}) as Record<string, unknown>;
    const bends: Array<fc.Arbitrary<unknown>> = [hostileText.map((key) => ({ ...value, [key]: 'x' }))];
    if (names.length > 0) {
      bends.push(
        fc.tuple(fc.constantFrom(...names), hostileValue).map(([name, hostile]) => ({ ...value, [name]: hostile })),
        fc.constantFrom(...names).map((name) => {
          const { [name]: _dropped, ...rest } = value;
          return rest;
        }),
      );
    }
    return fc.oneof(...bends);
  });
}

function objectOf(schema: JsonSchema, valueFor: (schema: JsonSchema) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const fields = Object.fromEntries(properties.map(([name, property]) => [name, valueFor(property)]));
  return fc
    .record(fields, { requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)) })
    .chain((value) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: hostileText.map((key) => ({ ...value, [key]: 1 })) }),
    );
}

/**
 * Percent-encodes any JavaScript string for a URL, lone surrogates included (as the bytes a lenient
 * encoder would send), where encodeURIComponent would throw.
 */
export function percentEncode(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      encoded += encodeURIComponent(text.slice(index, index + 2));
      index += 1;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      encoded += `%${(0xe0 | (unit >> 12)).toString(16)}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16)}%${(0x80 | (unit & 0x3f)).toString(16)}`;
    } else {
      encoded += encodeURIComponent(text[index] as string);
    }
  }
  return encoded;
}

/** A value as it travels in a URL: strings as they are, anything else as JSON text. */
export function asUrlText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}
