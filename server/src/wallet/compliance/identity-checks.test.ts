import { randomBytes } from 'node:crypto';
import { findIdNumberProblem, normalizeIdNumber } from '@okpay/contracts';
import { describe, expect, it } from 'vitest';
import { decryptField, encryptField } from './document-encryption.js';
import { detectDocumentType } from './image-type.js';

/** An independent MOD 11-2 so the cases below do not borrow the code under test. */
function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * (weights[index] ?? 0), 0);
  return first17 + '10X98765432'.charAt(sum % 11);
}

const today = '2026-03-01';

describe('resident ID numbers (GB 11643)', () => {
  it.each([
    ['the standard example', '11010519491231002X'],
    ['a lowercase x with spaces', '110105 19491231 002x'],
    ['a leap day', withCheck('44030420000229123')],
    ['a birth date of today', withCheck('31010120260301456')],
  ])('accepts %s', (_label, value) => {
    expect(findIdNumberProblem('resident_id', normalizeIdNumber(value), today)).toBeUndefined();
  });

  it.each([
    ['a wrong check character', '110105194912310021', 'resident_id_checksum_invalid'],
    ['one digit changed', '11010519491231003X', 'resident_id_checksum_invalid'],
    ['month 13', withCheck('11010519491331002'), 'resident_id_birth_date_invalid'],
    ['30 February', withCheck('11010520010230123'), 'resident_id_birth_date_invalid'],
    ['29 February in a common year', withCheck('11010519990229123'), 'resident_id_birth_date_invalid'],
    ['a birth date tomorrow', withCheck('31010120260302456'), 'resident_id_birth_date_invalid'],
    ['a birth year before 1900', withCheck('11010518991231002'), 'resident_id_birth_date_invalid'],
    ['17 characters', '11010519491231002', 'resident_id_format_invalid'],
    ['19 characters', '11010519491231002X1', 'resident_id_format_invalid'],
    ['a leading zero', withCheck('01010519491231002'), 'resident_id_format_invalid'],
    ['a letter inside', '1101051949123A002X', 'resident_id_format_invalid'],
    ['X anywhere but last', '1101051949123100X2', 'resident_id_format_invalid'],
  ])('refuses %s with %s', (_label, value, code) => {
    expect(findIdNumberProblem('resident_id', normalizeIdNumber(value), today)).toBe(code);
  });
});

describe('passport numbers', () => {
  it.each([['E12345678'], ['EA1234567'], ['g1234567'], ['123456789'], ['X1234'], ['C01X00T47']])('accepts %s', (value) => {
    expect(findIdNumberProblem('passport', normalizeIdNumber(value), today)).toBeUndefined();
  });

  it.each([['E123'], ['E123456789'], ['ABCDEFGH'], ['11111'], ['E12#4567'], ['护照1234567']])('refuses %s', (value) => {
    expect(findIdNumberProblem('passport', normalizeIdNumber(value), today)).toBe('passport_number_invalid');
  });
});

describe('field encryption (AES-256-GCM)', () => {
  const key = randomBytes(32);

  it('stores iv, tag and ciphertext, with a fresh IV each time, and opens to the original', () => {
    const plaintext = Buffer.from('11010519491231002X');
    const first = encryptField(key, plaintext, 'row-1');
    const second = encryptField(key, plaintext, 'row-1');
    expect(first.length).toBe(12 + 16 + plaintext.length);
    expect(first.subarray(0, 12).equals(second.subarray(0, 12))).toBe(false);
    expect(first.includes(plaintext)).toBe(false);
    expect(decryptField(key, first, 'row-1').equals(plaintext)).toBe(true);
  });

  it.each([
    ['another key', (sealed: Buffer) => decryptField(randomBytes(32), sealed, 'row-1')],
    ['another row', (sealed: Buffer) => decryptField(key, sealed, 'row-2')],
    [
      'a flipped byte',
      (sealed: Buffer) => {
        const copy = Buffer.from(sealed);
        copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 1;
        return decryptField(key, copy, 'row-1');
      },
    ],
  ])('refuses to open a value with %s', (_label, open) => {
    const sealed = encryptField(key, Buffer.from('secret document'), 'row-1');
    expect(() => open(sealed)).toThrow();
  });
});

describe('document type by magic bytes', () => {
  it.each([
    ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
    ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
    ['image/webp', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])],
  ])('recognises %s', (type, bytes) => {
    expect(detectDocumentType(bytes)).toBe(type);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n')],
    ['a GIF', Buffer.from('GIF89a......')],
    ['plain text', Buffer.from('hello, this is not an image')],
    ['a RIFF that is not WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')])],
    ['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
    ['nothing', Buffer.alloc(0)],
  ])('does not take %s for an image', (_label, bytes) => {
    expect(detectDocumentType(bytes)).toBeUndefined();
  });
});
