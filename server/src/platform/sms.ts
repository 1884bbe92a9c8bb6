import type { Config } from './config.js';
import type { Logger } from './logger.js';

/** Texts to a phone: one-time codes. Providers plug in here. */
export type SmsSender = { send(message: { to: string; text: string }): Promise<void> };

/**
 * The configured SMS provider. `log` (the only one shipped, like the development mail sink)
 * writes each text to the log at info level, `{ sms: { to, text } }`, instead of sending it.
 */
export function smsSender(deps: { config: Pick<Config, 'sms'>; logger: Logger }): SmsSender {
  switch (deps.config.sms.provider) {
    case 'log':
      return {
        async send(message) {
          deps.logger.info({ sms: message }, 'SMS (log provider: not sent)');
        },
      };
  }
}
