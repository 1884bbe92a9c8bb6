// bench:sla — business-time arithmetic at SLA scale: due times for 1,000,000 conversations over
// the default calendar (China's holidays and make-up workdays plus days set by hand), on one core;
// then the SLA job over 100,000 open conversations on PostgreSQL (sla-breaches.ts).
import { BusinessCalendar, type CalendarDefinition } from '../support/hours/business-calendar.js';
import { shippedCalendars } from '../support/hours/shipped-calendars.js';
import { machine, percentile, printMarkdownTable, writeResults } from './harness.js';
import { type BreachRow, breachReevaluation } from './sla-breaches.js';

type Row = {
  scenario: string;
  operations: number;
  seconds: number;
  perSecond: number;
  meanMicroseconds: number;
  p50Microseconds: number;
  p99Microseconds: number;
  /** Answers checked against the engine's inverse (business time between start and due). */
  wrong: number;
};

const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1_000_000);
const openConversations = Number(process.env.BENCH_OPEN_CONVERSATIONS ?? 100_000);
const year2026 = Date.parse('2026-01-01T00:00:00+08:00');
const yearMs = 365 * 86_400_000;
const minute = 60_000;

// A deterministic generator, so runs compare.
let seed = 20_260_403;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

function officeCalendar(): BusinessCalendar {
  const shipped = shippedCalendars()[0] as CalendarDefinition;
  // A company's own days on top of the official ones: a closed day a month and a short Friday.
  const overrides = Array.from({ length: 12 }, (_, month) => ({ date: `2026-${String(month + 1).padStart(2, '0')}-15`, periods: [] }));
  overrides.push({ date: '2026-12-31', periods: [{ start: 540, end: 720 }] } as never);
  return new BusinessCalendar({ ...shipped, overrides });
}

/** Runs `operation` over all inputs, timing the whole run and every 100th call on its own. */
function run(scenario: string, count: number, operation: (index: number) => void, check: () => number): Row {
  const sampled: number[] = [];
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    if (index % 100 === 0) {
      const begin = performance.now();
      operation(index);
      sampled.push((performance.now() - begin) * 1000);
    } else operation(index);
  }
  const seconds = (performance.now() - started) / 1000;
  sampled.sort((left, right) => left - right);
  return {
    scenario,
    operations: count,
    seconds: Number(seconds.toFixed(3)),
    perSecond: Math.round(count / seconds),
    meanMicroseconds: Number(((seconds * 1e6) / count).toFixed(2)),
    p50Microseconds: Number(percentile(sampled, 0.5).toFixed(2)),
    p99Microseconds: Number(percentile(sampled, 0.99).toFixed(2)),
    wrong: check(),
  };
}

function dueTimes(): Row[] {
  const compileStarted = performance.now();
  const calendar = officeCalendar();
  calendar.isOpen(year2026);
  calendar.isOpen(year2026 + yearMs);
  const compileMs = performance.now() - compileStarted;

  // Conversations arrive any time in 2026; targets mix a chat's minutes, an email's hours and a complex case's days.
  const starts = new Float64Array(conversations);
  const targets = new Float64Array(conversations);
  const targetMinutes = [2, 30, 240, 8 * 60, 24 * 60, 27 * 60];
  for (let index = 0; index < conversations; index++) {
    starts[index] = year2026 + Math.floor(random() * yearMs);
    targets[index] = (targetMinutes[index % targetMinutes.length] as number) * minute;
  }
  const due = new Float64Array(conversations);
  const elapsed = new Float64Array(conversations);
  const states = new Uint8Array(conversations);
  const days = new Float64Array(conversations);
  const checkSample = (count: number, wrongIf: (index: number) => boolean) => {
    let wrong = 0;
    for (let index = 0; index < count; index += 97) if (wrongIf(index)) wrong++;
    return wrong;
  };

  const rows = [
    {
      scenario: `compile calendar, 2 years (${calendar.name}, ${calendar.timeZone})`,
      operations: 1,
      seconds: Number((compileMs / 1000).toFixed(3)),
      perSecond: 0,
      meanMicroseconds: Number((compileMs * 1000).toFixed(0)),
      p50Microseconds: 0,
      p99Microseconds: 0,
      wrong: 0,
    },
    run(
      'due time: start + business minutes',
      conversations,
      (index) => {
        due[index] = calendar.addBusinessTime(starts[index] as number, targets[index] as number);
      },
      () =>
        checkSample(
          conversations,
          (index) =>
            calendar.businessTimeBetween(starts[index] as number, due[index] as number) !== targets[index] ||
            !calendar.isOpen((due[index] as number) - 1),
        ),
    ),
    run(
      'business time used so far (between start and now)',
      conversations,
      (index) => {
        elapsed[index] = calendar.businessTimeBetween(starts[index] as number, year2026 + yearMs);
      },
      () => checkSample(conversations, (index) => (elapsed[index] as number) < 0),
    ),
    run(
      'open now and next change',
      conversations,
      (index) => {
        states[index] = calendar.state(starts[index] as number).open ? 1 : 0;
      },
      () => checkSample(conversations, (index) => (states[index] === 1) !== calendar.isOpen(starts[index] as number)),
    ),
    run(
      'due time: start + 3 business days',
      conversations / 10,
      (index) => {
        days[index] = calendar.addBusinessDays(starts[index] as number, 3);
      },
      () => checkSample(conversations / 10, (index) => (days[index] as number) <= (starts[index] as number)),
    ),
    run(
      'due time across a year of holidays (+ 2,000 business hours)',
      conversations / 10,
      (index) => {
        due[index] = calendar.addBusinessTime(starts[index] as number, 2000 * 60 * minute);
      },
      () =>
        checkSample(
          conversations / 10,
          (index) => calendar.businessTimeBetween(starts[index] as number, due[index] as number) !== 2000 * 60 * minute,
        ),
    ),
  ];
  return rows;
}

async function main() {
  const sections: Array<{ title: string; rows: () => Row[] }> = [{ title: 'due times', rows: dueTimes }];
  const results: Record<string, Row[] | BreachRow[]> = {};
  const started = performance.now();
  for (const section of sections) {
    const rows = section.rows();
    results[section.title] = rows;
    printMarkdownTable(
      `bench:sla — ${section.title}, ${conversations.toLocaleString('en')} conversations, ${machine().cpus} cores (${machine().cpuModel})`,
      ['scenario', 'operations', 'seconds', 'ops/s', 'mean µs', 'p50 µs', 'p99 µs', 'wrong'],
      rows.map((row) => [
        row.scenario,
        row.operations.toLocaleString('en'),
        row.seconds,
        row.perSecond.toLocaleString('en'),
        row.meanMicroseconds,
        row.p50Microseconds,
        row.p99Microseconds,
        row.wrong,
      ]),
    );
  }
  const breaches = await breachReevaluation(openConversations);
  results['breach re-evaluation'] = breaches;
  printMarkdownTable(
    `bench:sla — breach re-evaluation, ${openConversations.toLocaleString('en')} open conversations, durable embedded PostgreSQL, ${machine().cpus} cores`,
    ['scenario', 'clocks', 'recorded', 'seconds', 'per s', 'exact (ticks: within 60 s)'],
    breaches.map((row) => [
      row.scenario,
      row.clocks.toLocaleString('en'),
      row.recorded.toLocaleString('en'),
      row.seconds,
      row.perSecond.toLocaleString('en'),
      row.ok ? 'yes' : 'NO',
    ]),
  );
  const totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  console.log(`\nTotal ${totalSeconds} s`);
  const file = await writeResults('sla', {
    at: new Date().toISOString(),
    machine: machine(),
    conversations,
    openConversations,
    totalSeconds,
    results,
  });
  console.log(`Results written to ${file}`);
  const isWrong = (row: Row | BreachRow) => ('wrong' in row ? row.wrong > 0 : !row.ok);
  if (Object.values(results).some((rows) => rows.some(isWrong)) || totalSeconds > 300) process.exitCode = 1;
}

await main();
