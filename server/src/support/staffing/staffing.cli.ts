import { staffingParametersSchema } from '@okpay/contracts';
import { type Command, InvalidArgumentError } from 'commander';
import { requiredAgents } from './erlang-c.js';

const decimal = (name: string) => (value: string) => {
  if (!/^\d+(?:\.\d+)?$/.test(value)) throw new InvalidArgumentError(`${name} must be a plain number such as 0.8`);
  return Number(value);
};

/**
 * `okpay staffing`: Erlang C from the terminal, the same calculator the staffing report uses.
 * `--json` prints { agents, scheduled, serviceLevel, occupancy, waitProbability }.
 */
export function registerStaffingCommand(program: Command): void {
  program
    .command('staffing')
    .description('Agents needed for an interval by Erlang C: the fewest on the floor meeting the service level and the occupancy cap')
    .requiredOption('--contacts <n>', 'contacts expected in the interval', decimal('--contacts'))
    .option('--interval-minutes <n>', 'length of the interval', decimal('--interval-minutes'), 30)
    .requiredOption('--aht-seconds <n>', 'average handle time in seconds', decimal('--aht-seconds'))
    .option('--answer-within-seconds <n>', 'the service target: answered within this many seconds', decimal('--answer-within-seconds'), 20)
    .option('--service-level <ratio>', 'share to answer within the target, e.g. 0.8', decimal('--service-level'), 0.8)
    .option('--max-occupancy <ratio>', 'highest share of time agents may be busy, e.g. 0.85', decimal('--max-occupancy'), 0.85)
    .option('--shrinkage <ratio>', 'share of paid time not on the floor (breaks, training, absence), e.g. 0.3', decimal('--shrinkage'), 0.3)
    .option('--json', 'print JSON')
    .action(
      (options: {
        contacts: number;
        intervalMinutes: number;
        ahtSeconds: number;
        answerWithinSeconds: number;
        serviceLevel: number;
        maxOccupancy: number;
        shrinkage: number;
        json?: boolean;
      }) => {
        const parsed = staffingParametersSchema.safeParse({
          contacts: options.contacts,
          intervalMinutes: options.intervalMinutes,
          ahtSeconds: options.ahtSeconds,
          answerWithinSeconds: options.answerWithinSeconds,
          serviceLevel: options.serviceLevel,
          maxOccupancy: options.maxOccupancy,
          shrinkage: options.shrinkage,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const flag = `--${String(issue?.path[0] ?? '').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
          return program.error(`error: ${flag}: ${rangeOf(String(issue?.path[0] ?? ''))}`);
        }
        const answer = requiredAgents(parsed.data);
        if (options.json) {
          const { agents, scheduled, serviceLevel, occupancy, waitProbability } = answer;
          console.log(JSON.stringify({ agents, scheduled, serviceLevel, occupancy, waitProbability }));
          return;
        }
        const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
        console.log(
          `${answer.agents} agents on the floor (${answer.scheduled} scheduled with ${percent(parsed.data.shrinkage)} shrinkage) for ` +
            `${answer.trafficErlangs.toFixed(2)} Erlangs: ${percent(answer.serviceLevel)} answered within ${parsed.data.answerWithinSeconds} s, ` +
            `occupancy ${percent(answer.occupancy)}, ${percent(answer.waitProbability)} wait at all, average wait ${answer.averageSpeedOfAnswerSeconds.toFixed(1)} s`,
        );
      },
    );
}

function rangeOf(field: string): string {
  switch (field) {
    case 'intervalMinutes':
      return 'must be a whole number of minutes from 1 to 1440';
    case 'serviceLevel':
      return 'must be a ratio between 0 and 1, e.g. 0.8';
    case 'maxOccupancy':
      return 'must be a ratio above 0 and at most 1, e.g. 0.85';
    case 'shrinkage':
      return 'must be a ratio from 0 up to (not including) 1, e.g. 0.3';
    case 'ahtSeconds':
      return 'must be from 1 to 86400 seconds';
    default:
      return 'is out of range';
  }
}
