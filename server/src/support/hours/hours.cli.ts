import { type Command, InvalidArgumentError } from 'commander';
import type { Queryable } from '../../platform/index.js';
import { CalendarRangeError } from './business-calendar.js';
import { loadStoredHours } from './hours.repository.js';
import { defaultCalendarName } from './shipped-calendars.js';
import { buildHours, noStoredHours } from './support-hours.js';
import { formatMinute, parseLocalDate, wallTimeAt } from './zoned-time.js';

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function instant(value: string): Date {
  const parsed = Date.parse(value);
  // Date.parse rolls 30 February over into March: the date itself must exist.
  if (!isoInstant.test(value) || Number.isNaN(parsed) || parseLocalDate(value.slice(0, 10)) === undefined) {
    throw new InvalidArgumentError('must be an ISO 8601 instant with its offset, e.g. 2026-04-03T16:00:00+08:00');
  }
  return new Date(parsed);
}

const wholeNumber = (limit: number) => (value: string) => {
  if (!/^\d{1,9}$/.test(value) || Number(value) > limit) throw new InvalidArgumentError(`must be a whole number from 0 to ${limit}`);
  return Number(value);
};

/** "2026-04-07 11:00 (Asia/Shanghai)" for people reading the terminal. */
function local(at: number, timeZone: string): string {
  const wall = new Date(wallTimeAt(timeZone, at)).toISOString();
  return `${wall.slice(0, 10)} ${formatMinute(Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)))} (${timeZone})`;
}

/** Runs `read` on the server's database in one read-only snapshot; null when there is none at hand (or it is not migrated yet). */
export type HoursDatabase = <T>(read: (db: Queryable) => Promise<T>) => Promise<T | null>;

/**
 * `okpay hours due|open`: the engine from the terminal, no server needed. The administrators'
 * changes are read from `database` when one is at hand (null: the shipped calendars alone).
 */
export function registerHoursCommands(program: Command, database: HoursDatabase): void {
  const readStored = () => database(loadStoredHours);
  // Bad input ends the command with a one-line reason and exit code 1, like commander's own checks.
  const fail = (message: string): never => program.error(`error: ${message}`);
  const hours = program.command('hours').description('Business hours: due times and open/closed, from the same calendars as the server');

  const calendarOf = async (options: { calendar?: string; shipped?: boolean }) => {
    const stored = options.shipped ? null : await readStored();
    const snapshot = stored ? buildHours(stored) : buildHours(noStoredHours);
    const name = options.calendar ?? defaultCalendarName;
    const calendar = snapshot.calendars.get(name);
    if (!calendar) {
      return fail(`there is no calendar named "${name}"; calendars: ${[...snapshot.calendars.keys()].join(', ')}`);
    }
    return calendar;
  };

  hours
    .command('due')
    .description('When a clock of N business minutes (or hours, or days) started at --from is due')
    .requiredOption('--from <iso>', 'start instant, e.g. 2026-04-03T16:00:00+08:00', instant)
    .option('--business-minutes <n>', 'business minutes to add', wholeNumber(10_000_000))
    .option('--business-hours <n>', 'business hours to add', wholeNumber(100_000))
    .option('--business-days <n>', 'business days to add (days on which the calendar opens)', wholeNumber(10_000))
    .option('--calendar <name>', `calendar to count in (default: ${defaultCalendarName})`)
    .option('--shipped', 'use the shipped calendars, ignoring changes stored in the database')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        from: Date;
        businessMinutes?: number;
        businessHours?: number;
        businessDays?: number;
        calendar?: string;
        shipped?: boolean;
        json?: boolean;
      }) => {
        const given = [options.businessMinutes, options.businessHours, options.businessDays].filter((value) => value !== undefined);
        if (given.length !== 1) fail('give exactly one of --business-minutes, --business-hours, --business-days');
        const calendar = await calendarOf(options);
        let due: number;
        try {
          due =
            options.businessDays !== undefined
              ? calendar.addBusinessDays(options.from, options.businessDays)
              : calendar.addBusinessTime(options.from, ((options.businessMinutes ?? 0) + (options.businessHours ?? 0) * 60) * 60_000);
        } catch (error) {
          if (error instanceof CalendarRangeError) return fail(error.message);
          throw error;
        }
        const answer = { due: new Date(due).toISOString(), calendar: calendar.name, timeZone: calendar.timeZone };
        console.log(
          options.json ? JSON.stringify(answer) : `Due ${local(due, calendar.timeZone)} = ${answer.due}, calendar ${calendar.name}`,
        );
      },
    );

  hours
    .command('open')
    .description('Whether the calendar is open at an instant, and when that changes next')
    .requiredOption('--at <iso>', 'instant, e.g. 2026-10-01T10:00:00+08:00', instant)
    .option('--calendar <name>', `calendar to ask (default: ${defaultCalendarName})`)
    .option('--shipped', 'use the shipped calendars, ignoring changes stored in the database')
    .option('--json', 'print JSON')
    .action(async (options: { at: Date; calendar?: string; shipped?: boolean; json?: boolean }) => {
      const calendar = await calendarOf(options);
      let state: { open: boolean; nextChange: number | null };
      try {
        state = calendar.state(options.at);
      } catch (error) {
        if (error instanceof CalendarRangeError) return fail(error.message);
        throw error;
      }
      const answer = { open: state.open, nextChange: state.nextChange === null ? null : new Date(state.nextChange).toISOString() };
      if (options.json) console.log(JSON.stringify(answer));
      else {
        const next =
          state.nextChange === null
            ? 'no change within three years'
            : `${state.open ? 'closes' : 'opens'} ${local(state.nextChange, calendar.timeZone)}`;
        console.log(`${calendar.name} is ${state.open ? 'open' : 'closed'}; ${next}`);
      }
    });
}
