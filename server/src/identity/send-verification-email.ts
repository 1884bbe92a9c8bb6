import type { Deps } from '../platform/index.js';
import { emailVerificationEmail } from './identity.emails.js';
import type { CustomerRow } from './identity.repository.js';

/** Emails the link that confirms the customer's address, in their language, built from PUBLIC_URL. */
export async function sendVerificationEmail(
  deps: Pick<Deps, 'mailer' | 'config'>,
  customer: Pick<CustomerRow, 'email' | 'displayName' | 'locale'>,
  token: string,
): Promise<void> {
  await deps.mailer.send(
    emailVerificationEmail({
      to: customer.email,
      name: customer.displayName,
      locale: customer.locale,
      url: `${deps.config.publicUrl}/verify-email?token=${token}`,
    }),
  );
}
