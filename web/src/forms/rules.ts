import {
  type CurrencyCode,
  exponentOf,
  parseMajorUnits,
  passwordMaxLength,
  passwordMinLength,
  passwordResetRequestSchema,
  phoneSchema,
} from '@okpay/contracts';
import type { FormInstance, FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError, fieldErrorsOf } from '../api/client';

// The same email check the server applies, so the form refuses what the API would.
const emailSchema = passwordResetRequestSchema.shape.email;

export function emailRules(t: TFunction): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('form.emailRequired') },
    {
      validator: async (_rule, value: unknown) => {
        if (typeof value !== 'string' || value.trim() === '') return;
        if (!emailSchema.safeParse(value.trim()).success) throw new Error(t('form.emailInvalid'));
      },
    },
  ];
}

/** Rules for choosing a password; signing in only needs one to be typed. */
export function newPasswordRules(t: TFunction): FormRule[] {
  return [
    { required: true, message: t('form.passwordRequired') },
    { min: passwordMinLength, message: t('form.passwordTooShort', { min: passwordMinLength }) },
    { max: passwordMaxLength, message: t('form.passwordTooLong', { max: passwordMaxLength }) },
  ];
}

/** Spaces, dashes, dots and brackets people type in phone numbers; the API wants digits only. */
export function normalisePhone(value: string | undefined): string | undefined {
  const stripped = value?.replace(/[\s\-.()]/g, '') ?? '';
  return stripped === '' ? undefined : stripped;
}

export function phoneRules(t: TFunction): FormRule[] {
  return [
    {
      validator: async (_rule, value: unknown) => {
        const phone = normalisePhone(typeof value === 'string' ? value : undefined);
        if (phone !== undefined && !phoneSchema.safeParse(phone).success) throw new Error(t('form.phoneInvalid'));
      },
    },
  ];
}

/**
 * Marks the fields a refusal was about: the ones a 400 listed, or the one a known code names.
 * The message itself is shown once, in the form's alert.
 */
export function markFieldErrors(form: FormInstance, error: unknown, t: TFunction, fieldsByCode: Record<string, string> = {}): void {
  const known = new Set(Object.keys(form.getFieldsValue()));
  const fields = fieldErrorsOf(error);
  const byCode = error instanceof ApiError ? fieldsByCode[error.code] : undefined;
  if (byCode) fields.push(byCode);
  const marked = [...new Set(fields)].filter((name) => known.has(name));
  if (marked.length > 0) form.setFields(marked.map((name) => ({ name, errors: [t('form.checkField')] })));
}

/**
 * An amount typed in major units ("100.50"): digits with at most the currency's decimals, above zero.
 * The currency comes from another field, so the item needs `dependencies={['currency']}`.
 */
export function amountRules(t: TFunction, currencyOf: () => CurrencyCode | undefined): FormRule[] {
  return [
    { required: true, whitespace: true, message: t('money.amountRequired') },
    {
      validator: async (_rule, value: unknown) => {
        const currency = currencyOf();
        if (typeof value !== 'string' || value.trim() === '' || !currency) return;
        const minor = parseMajorUnits(value, currency);
        if (minor === undefined) {
          const exponent = exponentOf(currency);
          const hasDecimals = /^\s*[\d,]+\.\d+\s*$/.test(value);
          if (!hasDecimals) throw new Error(t('money.amountInvalid'));
          throw new Error(exponent === 0 ? t('money.noDecimals', { currency }) : t('money.tooManyDecimals', { count: exponent }));
        }
        if (minor <= 0) throw new Error(t('money.amountPositive'));
      },
    },
  ];
}

/** Minor units from the amount field; the form's rules have already accepted it. */
export function minorUnitsOf(value: string, currency: CurrencyCode): number {
  const minor = parseMajorUnits(value, currency);
  if (minor === undefined) throw new Error(`the amount field let "${value}" through`);
  return minor;
}
