import { type Command, InvalidArgumentError } from 'commander';
import { type SimulatedOutcome, simulateCall, simulatedOutcomes } from './twilio/call-simulator.js';

const e164 = (value: string) => {
  if (!/^\+[1-9][0-9]{6,14}$/.test(value)) throw new InvalidArgumentError('must be an E.164 number such as +8613800138000');
  return value;
};

/**
 * `okpay call simulate`: places a simulated inbound call on a node through its Twilio webhook,
 * signed with TWILIO_AUTH_TOKEN as Twilio signs, and prints `{ "id", "state" }` with the final state.
 * A voicemail's recording (a real WAV file) is served on loopback until the node has fetched it,
 * behind TWILIO_ACCOUNT_SID's credentials when that is set.
 */
export function registerPhoneCommands(
  program: Command,
  config: () => Promise<{ publicUrl: string; authToken: string | undefined; accountSid: string | undefined; to: string }>,
): void {
  const call = program.command('call').description('Phone calls');
  call
    .command('simulate')
    .description("Place a simulated inbound call through the node's Twilio voice webhook and print its final state as JSON")
    .requiredOption('--from <number>', 'the caller, E.164', e164)
    .option(
      '--outcome <outcome>',
      `${simulatedOutcomes.join(' | ')}`,
      (value) => {
        if (!(simulatedOutcomes as readonly string[]).includes(value))
          throw new InvalidArgumentError(`must be ${simulatedOutcomes.join(', ')}`);
        return value as SimulatedOutcome;
      },
      'answered' as SimulatedOutcome,
    )
    .option('--url <url>', "the node, as its PUBLIC_URL names it (default: this configuration's PUBLIC_URL)")
    .option('--to <number>', 'the number called (default: SUPPORT_PHONE_OVERSEAS)')
    .option('--language <key>', 'the key pressed at the language choice: 1 Mandarin, 2 English', '1')
    .option('--menu <key>', 'the key pressed at the menu: 1 top-up, 2 frozen account, 3 cards, 4 other', '1')
    .action(async (options: { from: string; outcome: SimulatedOutcome; url?: string; to?: string; language: string; menu: string }) => {
      const settings = await config();
      if (!settings.authToken)
        return program.error('error: TWILIO_AUTH_TOKEN is not set: the node refuses unsigned calls, and so would Twilio');
      try {
        const result = await simulateCall({
          url: options.url ?? settings.publicUrl,
          authToken: settings.authToken,
          from: options.from,
          to: options.to ?? settings.to,
          outcome: options.outcome,
          language: options.language,
          menu: options.menu,
          accountSid: settings.accountSid,
        });
        console.log(JSON.stringify({ id: result.id, state: result.state }));
        // A voicemail's recording is served on loopback until the node has fetched it.
        if (result.recording && !result.recording.fetched)
          console.error(`warning: the node did not fetch the voicemail's recording (${result.recording.requests} requests)`);
      } catch (error) {
        program.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
}
