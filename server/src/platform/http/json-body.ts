import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../errors.js';
import { maxInputDepth } from './validation.js';

/**
 * True when the JSON text nests arrays or objects deeper than `limit`. One pass over the text, no
 * recursion: it runs before JSON.parse, so a body of 30,000 brackets never reaches a recursive
 * walker (the prototype-poisoning scan, a schema, a log serializer) that would exhaust the stack.
 */
export function isNestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return false;
}

/** Fastify's JSON body parser (prototype-poisoning checks included), held to the input depth limit. */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (isNestedDeeperThan(body as string, maxInputDepth)) {
      done(PlatformError('json_too_deep', { max: maxInputDepth }), undefined);
      return;
    }
    void parse(request, body as string, done);
  });
}
