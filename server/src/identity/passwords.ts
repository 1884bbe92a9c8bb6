import { hash, verify } from '@node-rs/argon2';
import { commonPasswords } from './common-passwords.js';

/** argon2id with the library defaults (m=19 MiB, t=2, p=1): OWASP's first recommendation. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified when the account does not exist so both paths take as long. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hash(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}

export type PasswordProblem = 'password_too_common' | 'password_contains_email';

/**
 * Length limits are checked by the request schema; this catches guessable passwords
 * (ASVS 2.1.7: check against breached and common passwords) without composition rules (ASVS 2.1.9).
 */
export function findPasswordProblem(password: string, email?: string): PasswordProblem | undefined {
  const normalized = password.toLowerCase();
  if (commonPasswords.has(normalized)) return 'password_too_common';
  if (new Set(normalized).size <= 2) return 'password_too_common';
  if (isSequence(normalized)) return 'password_too_common';
  const localPart = email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && normalized.includes(localPart)) return 'password_contains_email';
  return undefined;
}

function isSequence(value: string): boolean {
  const codes = [...value].map((character) => character.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((code, index) => code - (codes[index] ?? 0)));
  return steps.size === 1 && [...steps].every((step) => Math.abs(step) === 1);
}
