// Phone number rules shared by every form that takes a number to call or text. Plain functions,
// no schema library.

/** E.164: a + and up to 15 digits, the first not 0. */
export const e164Pattern = /^\+[1-9][0-9]{6,14}$/;

export type PhoneNumberCheck = { ok: true; number: string } | { ok: false; problem: 'not_e164' | 'mainland_mobile' };

/**
 * A number in E.164 ("+8613800138000"; spaces and dashes dropped). A +86 number starting with 1 is
 * a mainland mobile: 11 digits starting 13–19; other +86 numbers are landlines with their area
 * code, 10–11 digits.
 */
export function checkPhoneNumber(input: string): PhoneNumberCheck {
  const number = input.replace(/[\s-]/g, '');
  if (!e164Pattern.test(number)) return { ok: false, problem: 'not_e164' };
  if (number.startsWith('+86')) {
    const national = number.slice(3);
    if (national.startsWith('1')) {
      if (!/^1[3-9][0-9]{9}$/.test(national)) return { ok: false, problem: 'mainland_mobile' };
    } else if (!/^[2-9][0-9]{9,10}$/.test(national)) {
      return { ok: false, problem: 'not_e164' };
    }
  }
  return { ok: true, number };
}
