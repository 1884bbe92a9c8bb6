import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ivLength = 12;
const tagLength = 16;

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('the document encryption key must be 32 bytes');
}

/**
 * AES-256-GCM with a fresh 12-byte IV per value, stored as iv ‖ tag ‖ ciphertext. `context` is bound
 * as associated data (e.g. the row and column), so a ciphertext copied to another row will not open.
 */
export function encryptField(key: Buffer, plaintext: Buffer, context: string): Buffer {
  checkKey(key);
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Opens a value sealed by encryptField; throws if the key, the context or any byte differs. */
export function decryptField(key: Buffer, sealed: Buffer, context: string): Buffer {
  checkKey(key);
  if (sealed.length < ivLength + tagLength) throw new Error('sealed value is too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, ivLength), { authTagLength: tagLength });
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(ivLength, ivLength + tagLength));
  return Buffer.concat([decipher.update(sealed.subarray(ivLength + tagLength)), decipher.final()]);
}

/** Associated data for one encrypted column of one identity verification. */
export function verificationContext(verificationId: string, column: 'id_number' | 'document'): string {
  return `identity_verifications:${verificationId}:${column}`;
}
