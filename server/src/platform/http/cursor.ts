import { instantSchema } from '@okpay/contracts';
import { z } from 'zod';
import { PlatformError } from '../errors.js';

/**
 * The one way to make page cursors: a position, as JSON in base64url, checked against its schema
 * on the way back. A cursor is only a position among the caller's own rows, so it needs no
 * signature, but anything that does not decode to one (truncated, forged, a year 0) is refused
 * with 400 `invalid_cursor` before it reaches a query.
 */
export function cursorCodec<S extends z.ZodType>(schema: S) {
  return {
    encode(position: z.input<S>): string {
      return Buffer.from(JSON.stringify(position)).toString('base64url');
    },
    decode(cursor: string): z.output<S> {
      if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw PlatformError('invalid_cursor');
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw PlatformError('invalid_cursor');
      }
      const parsed = schema.safeParse(decoded);
      if (!parsed.success) throw PlatformError('invalid_cursor');
      return parsed.data;
    },
  };
}

/** Where a newest-first page ended: the last row's time and id (keyset pagination). */
export type PagePosition = { at: Date; id: string };

const timeAndId = cursorCodec(z.strictObject({ at: instantSchema, id: z.uuid() }));

export function encodeCursor(position: PagePosition): string {
  return timeAndId.encode({ at: position.at.toISOString(), id: position.id });
}

export function decodeCursor(cursor: string): PagePosition {
  const position = timeAndId.decode(cursor);
  return { at: new Date(position.at), id: position.id };
}
