/** What the server says the customer should do after a failed (or waiting) top-up. */
export const nextSteps = ['check_card_details', 'use_another_card', 'retry_later', 'contact_support', 'wait', 'refund_on_its_way'] as const;
export type NextStep = (typeof nextSteps)[number];

/** A step this page does not know yet reads as "contact support", which always helps. */
export function nextStepOf(value: string | undefined): NextStep {
  return (nextSteps as readonly string[]).includes(value ?? '') ? (value as NextStep) : 'contact_support';
}
