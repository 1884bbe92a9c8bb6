import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { SMTPServer } from 'smtp-server';
import { io } from 'socket.io-client';
import {
  benchNodeEnv,
  cpuCalibrationMs,
  cpuSeconds,
  machine,
  machineCpu,
  numberFrom,
  percentile,
  printMarkdownTable,
  writeResults,
} from './harness.js';

/**
 * bench:email — real SMTP into the support address from concurrent clients.
 *
 * One orchestrating process starts a durable embedded PostgreSQL (fsync on, synchronous_commit on)
 * and a loopback SMTP sink for our outgoing acknowledgements, then two child processes:
 *   server — a real OKPay node (startRuntime: inbound SMTP, the email pipeline, routing, the job
 *            queue sending acknowledgements to the sink, Socket.IO);
 *   load   — BENCH_CONNECTIONS SMTP connections sending new customer mails open-loop at each rate
 *            in BENCH_RATES for BENCH_SECONDS, and a supervisor's console socket that hears every
 *            new message. Each mail is a new conversation (the heaviest path: conversation, thread,
 *            message, acknowledgement).
 * Reported per rate: mails accepted per second (SMTP 250, given only after the raw mail is
 * committed), conversations visible per second at the console socket, the time from MAIL FROM to
 * 250 and from MAIL FROM to the console's `message` event, what the database holds afterwards,
 * the acknowledgements delivered to the sink, and the CPU time of the node and of PostgreSQL per
 * accepted mail, counted until the last acknowledgement is out (the headline on a shared machine:
 * it varies far less than the latencies), with the load average beside it.
 * Quick and quiet: `BENCH_RATES=100,200 BENCH_SECONDS=8 npm run bench:email`.
 *
 * Environment: BENCH_RATES (mails/s, comma-separated), BENCH_SECONDS (per rate), BENCH_CONNECTIONS,
 * BENCH_POOL_SIZE, BENCH_CPU_PROF=1 (node --cpu-prof on the server, profiles in bench/results/profiles),
 * BENCH_PG_STATS=1 (pg_stat_statements: the statements that took the most time), BENCH_ACKS=0 (no
 * acknowledgements, to see what they cost).
 */

const file = fileURLToPath(import.meta.url);
const p99GoalMs = 1_000;
const rateGoal = 200;

type Ipc = { type: string } & Record<string, unknown>;
type ServerArgs = {
  databaseUrl: string;
  dataDir: string;
  sessionSecret: string;
  sinkUrl: string;
  smtpPort: number;
  poolSize: number;
  acknowledgements: boolean;
};
type LoadArgs = { smtpPort: number; httpUrl: string; token: string; rate: number; seconds: number; connections: number; runId: string };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function send(message: Ipc): void {
  process.send?.(message);
}

function nextMessage<T extends Ipc>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: Ipc) => {
      if (message.type === 'error') {
        cleanup();
        reject(new Error(String(message.message)));
      } else if (message.type === type) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child exited with ${code} before ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function spawnRole(role: string, args: unknown, execArgv: string[] = []): ChildProcess {
  return fork(file, [role, JSON.stringify(args)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A child that is already on its way out has closed its channel: then it needs no telling.
  if (child.connected) child.send({ type: 'exit' }, () => undefined);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function summarize(values: number[]) {
  const sorted = [...values].sort((left, right) => left - right);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5), 1),
    p99: round(percentile(sorted, 0.99), 1),
    max: round(sorted.at(-1) ?? 0, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Role: the OKPay node
// ---------------------------------------------------------------------------------------------

async function runServer(args: ServerArgs): Promise<void> {
  const { loadConfig } = await import('../platform/config.js');
  const { createLogger } = await import('../platform/logger.js');
  const { startRuntime } = await import('../runtime.js');
  const config = loadConfig({
    ...benchNodeEnv(args),
    SMTP_URL: args.sinkUrl,
    SUPPORT_EMAIL: 'support@okpay.local',
    INBOUND_SMTP_PORT: String(args.smtpPort),
    INBOUND_SMTP_HOST: '127.0.0.1',
    EMAIL_ACK_LIMIT_PER_HOUR: args.acknowledgements ? '5' : '0',
  });
  const runtime = await startRuntime(config, createLogger(config.logLevel), { webRoot: path.join(args.dataDir, 'no-web') });
  await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  process.on('message', (message: Ipc) => {
    if (message.type === 'exit') {
      void runtime
        .close()
        .catch((error) => console.error(error))
        .finally(() => process.exit(0));
    }
  });
  send({ type: 'ready', httpPort: (runtime.app.server.address() as AddressInfo).port, smtpPort: runtime.email.smtpPort });
}

// ---------------------------------------------------------------------------------------------
// Role: customers' mail servers and a supervisor's console
// ---------------------------------------------------------------------------------------------

function connectSmtp(port: number): Promise<SMTPConnection> {
  return new Promise((resolve, reject) => {
    const connection = new SMTPConnection({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, socketTimeout: 60_000 });
    connection.once('error', reject);
    connection.connect(() => {
      connection.off('error', reject);
      connection.on('error', () => undefined);
      resolve(connection);
    });
  });
}

function sendOn(connection: SMTPConnection, envelope: { from: string; to: string[] }, raw: string): Promise<void> {
  return new Promise((resolve, reject) => connection.send(envelope, raw, (error) => (error ? reject(error) : resolve())));
}

async function runLoad(args: LoadArgs): Promise<void> {
  const started = new Map<number, number>();
  const visibleMs: number[] = [];
  const acceptMs: number[] = [];
  let visible = 0;
  let errors = 0;
  const socket = io(args.httpUrl, { transports: ['websocket'], auth: { token: args.token }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const marker = new RegExp(`^bench ${args.runId} (\\d+)$`);
  socket.on('message', (message: { body: string }) => {
    const seq = Number(marker.exec(message.body)?.[1] ?? Number.NaN);
    const at = started.get(seq);
    if (at === undefined) return;
    started.delete(seq);
    visible += 1;
    visibleMs.push(performance.now() - at);
  });
  const connections = await Promise.all(Array.from({ length: args.connections }, () => connectSmtp(args.smtpPort)));
  const total = Math.round(args.rate * args.seconds);
  const due: number[] = [];
  let next = 0;
  let done = 0;
  const beginning = performance.now();
  // Open loop: mail n is due at beginning + n / rate, whether or not earlier ones are through.
  const schedule = setInterval(() => {
    const elapsed = (performance.now() - beginning) / 1000;
    while (next < total && next / args.rate <= elapsed) due.push(next++);
  }, 5);
  await Promise.all(
    connections.map(async (connection) => {
      while (done + due.length < total || due.length > 0) {
        const seq = due.shift();
        if (seq === undefined) {
          await sleep(2);
          if (next >= total && due.length === 0) break;
          continue;
        }
        const from = `customer${seq}-${args.runId}@example.com`;
        const raw = [
          `From: Customer ${seq} <${from}>`,
          'To: support@okpay.local',
          `Subject: bench ${args.runId} ${seq}`,
          `Message-ID: <bench-${args.runId}-${seq}@example.com>`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          `bench ${args.runId} ${seq}`,
          '',
          `On Mon, Dec 7, 2026 at 10:12 AM OKPay <support@okpay.local> wrote:`,
          '> an earlier mail, quoted',
          '',
        ].join('\r\n');
        const at = performance.now();
        started.set(seq, at);
        try {
          await sendOn(connection, { from, to: ['support@okpay.local'] }, raw);
          acceptMs.push(performance.now() - at);
        } catch (error) {
          errors += 1;
          started.delete(seq);
          if (errors <= 3) console.error(`  send ${seq}: ${String(error)}`);
        }
        done += 1;
      }
    }),
  );
  clearInterval(schedule);
  const sendSeconds = (performance.now() - beginning) / 1000;
  const waitUntil = performance.now() + 30_000;
  while (started.size > 0 && performance.now() < waitUntil) await sleep(50);
  const allSeconds = (performance.now() - beginning) / 1000;
  for (const connection of connections) connection.quit();
  socket.disconnect();
  send({
    type: 'result',
    total,
    accepted: acceptMs.length,
    visible,
    lost: started.size,
    errors,
    sendSeconds: round(sendSeconds, 2),
    allSeconds: round(allSeconds, 2),
    accept: summarize(acceptMs),
    toVisible: summarize(visibleMs),
  });
}

// ---------------------------------------------------------------------------------------------
// Orchestration
// ---------------------------------------------------------------------------------------------

type LoadResult = {
  total: number;
  accepted: number;
  visible: number;
  lost: number;
  errors: number;
  sendSeconds: number;
  allSeconds: number;
  accept: ReturnType<typeof summarize>;
  toVisible: ReturnType<typeof summarize>;
};

async function main() {
  const rates = (process.env.BENCH_RATES ?? '100,200,300').split(',').map((value) => Number(value.trim()));
  const seconds = numberFrom('BENCH_SECONDS', 10);
  const connectionsCount = numberFrom('BENCH_CONNECTIONS', 16);
  const poolSize = numberFrom('BENCH_POOL_SIZE', 20);

  const { default: pg } = await import('pg');
  const { ensureDatabase, startEmbeddedPostgres } = await import('../platform/db/embedded-postgres.js');
  const { migrateDatabase } = await import('../platform/db/migrate.js');
  const { signRealtimeToken } = await import('../identity/index.js');

  // Acknowledgements go somewhere real: an SMTP sink that counts them.
  let acknowledgements = 0;
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        acknowledgements += 1;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const sinkPort = (sink.server.address() as AddressInfo).port;

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-email-'));
  const pgStats = process.env.BENCH_PG_STATS === '1';
  const cluster = await startEmbeddedPostgres({
    dataDir,
    durable: true,
    maxConnections: 200,
    settings: pgStats ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : [],
  });
  const children: ChildProcess[] = [];
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    const databaseUrl = cluster.urlFor('okpay');
    await migrateDatabase(databaseUrl);
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    db.on('error', () => undefined);
    if (pgStats) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const settings = await db.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'commit_delay') ORDER BY name",
    );
    const supervisor = await db.query<{ id: string }>(
      `INSERT INTO staff_members (email, display_name, role, password_hash) VALUES ('bench.supervisor@okpay.local', 'Bench', 'supervisor', 'x') RETURNING id`,
    );
    const sessionSecret = randomBytes(32).toString('hex');
    const token = signRealtimeToken(sessionSecret, { kind: 'staff', staffId: supervisor.rows[0]?.id ?? '' }, new Date()).token;
    const { createServer } = await import('node:net');
    const smtpPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });

    const acknowledging = process.env.BENCH_ACKS !== '0';
    console.log(`bench:email on ${machine().cpus} cores (${machine().cpuModel}), Node ${process.version}`);
    console.log(`PostgreSQL: ${settings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);
    const server = spawnRole(
      'server',
      {
        databaseUrl,
        dataDir,
        sessionSecret,
        // Pooled connections to the relay, as a production SMTP_URL should say.
        sinkUrl: `smtp://127.0.0.1:${sinkPort}/?pool=true`,
        smtpPort,
        poolSize,
        acknowledgements: acknowledging,
      } satisfies ServerArgs,
      process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profiles'] : [],
    );
    children.push(server);
    const ready = await nextMessage<Ipc & { httpPort: number; smtpPort: number }>(server, 'ready');
    const pgPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    console.log(`CPU calibration: ${cpuCalibrationMs()} ms for a fixed loop (lower is a faster, quieter host)`);

    const rows: Array<Array<string | number>> = [];
    const results: Array<
      { rate: number } & LoadResult & {
          stored: number;
          processed: number;
          acknowledgements: { delivered: number; due: number; seconds: number };
          cpu: Record<string, number>;
          otherPercent: number;
          loadAverage: number[];
        }
    > = [];
    for (const rate of rates) {
      const runId = randomBytes(4).toString('hex');
      const load = spawnRole('load', {
        smtpPort: ready.smtpPort,
        httpUrl: `http://127.0.0.1:${ready.httpPort}`,
        token,
        rate,
        seconds,
        connections: connectionsCount,
        runId,
      } satisfies LoadArgs);
      children.push(load);
      const before = { server: cpuSeconds(server.pid), pg: cpuSeconds(pgPid, true), load: 0, machine: machineCpu(), at: performance.now() };
      const acknowledgedBefore = acknowledgements;
      const result = await nextMessage<Ipc & LoadResult>(load, 'result');
      // The work of a mail ends with its acknowledgement delivered: CPU is counted until then.
      const acknowledgementsDue = acknowledging ? result.accepted : 0;
      const ackWaitUntil = performance.now() + 60_000;
      while (acknowledgements - acknowledgedBefore < acknowledgementsDue && performance.now() < ackWaitUntil) await sleep(50);
      const acknowledged = acknowledgements - acknowledgedBefore;
      const acknowledgedAfterSeconds = round((performance.now() - before.at) / 1000, 1);
      const after = {
        server: cpuSeconds(server.pid),
        pg: cpuSeconds(pgPid, true),
        load: cpuSeconds(load.pid),
        machine: machineCpu(),
        at: performance.now(),
      };
      await stopChild(load);
      const counts = await db.query<{ stored: string; processed: string }>(
        `SELECT count(*) AS stored, count(*) FILTER (WHERE status = 'processed') AS processed FROM inbound_emails
         WHERE envelope_from LIKE '%-' || $1 || '@example.com'`,
        [runId],
      );
      const stored = Number(counts.rows[0]?.stored ?? 0);
      const processed = Number(counts.rows[0]?.processed ?? 0);
      // CPU per mail is steadier than latency on a shared box; `other` is everyone else's work meanwhile.
      const perMail = (seconds: number) => round((seconds * 1000) / Math.max(1, result.accepted), 2);
      const cpu = { serverMsPerMail: perMail(after.server - before.server), postgresMsPerMail: perMail(after.pg - before.pg) };
      const span = after.machine.total - before.machine.total;
      const machinePercent = span > 0 ? Math.round(((after.machine.busy - before.machine.busy) / span) * 100 * os.cpus().length) : 0;
      const ownPercent = Math.round(
        ((after.server - before.server + after.pg - before.pg + after.load) / ((after.at - before.at) / 1000)) * 100,
      );
      const otherPercent = Math.max(0, machinePercent - ownPercent);
      const loadAverage = os.loadavg().map((value) => round(value, 2));
      const acks = { delivered: acknowledged, due: acknowledgementsDue, seconds: acknowledgedAfterSeconds };
      results.push({ rate, ...result, stored, processed, acknowledgements: acks, cpu, otherPercent, loadAverage });
      rows.push([
        rate,
        `${result.accepted}/${result.total}`,
        round(result.accepted / result.sendSeconds, 0),
        round(result.visible / result.allSeconds, 0),
        result.accept.p50,
        result.accept.p99,
        result.toVisible.p50,
        result.toVisible.p99,
        `${processed}/${stored}`,
        result.lost + result.errors,
        `${acknowledged}/${acknowledgementsDue} in ${acknowledgedAfterSeconds} s`,
        `${cpu.serverMsPerMail} + ${cpu.postgresMsPerMail} = ${round(cpu.serverMsPerMail + cpu.postgresMsPerMail, 2)}`,
        `${otherPercent} %`,
        loadAverage.join(' '),
      ]);
      await sleep(2_000);
    }
    printMarkdownTable(
      `bench:email — new customer mails over SMTP, ${connectionsCount} connections, ${seconds} s per rate (goal: ≥ ${rateGoal}/s with p99 to visible < ${p99GoalMs} ms)`,
      [
        'target/s',
        'accepted',
        'accepted/s (250 after commit)',
        'visible/s',
        'MAIL→250 p50 ms',
        'p99 ms',
        'MAIL→console p50 ms',
        'p99 ms',
        'processed/stored',
        'lost or refused',
        'acks delivered',
        'CPU ms per mail (server + PostgreSQL)',
        'other work on the box',
        'load average 1/5/15 min',
      ],
      rows,
    );
    console.log(`acknowledgements delivered to the sink: ${acknowledgements}`);
    if (pgStats) {
      // Top-level statements only (track=all also lists those run inside functions), by time and by calls:
      // each call is a round trip, the cost that grows with every mail.
      const mails = Math.max(
        1,
        results.reduce((sum, result) => sum + result.accepted, 0),
      );
      for (const order of ['total_exec_time', 'calls']) {
        const top = await db.query<{ calls: string; total: string; query: string }>(
          `SELECT calls, round(total_exec_time)::text AS total, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
           FROM pg_stat_statements WHERE toplevel ORDER BY ${order} DESC LIMIT 20`,
        );
        printMarkdownTable(
          `PostgreSQL statements by ${order === 'calls' ? 'calls' : 'total time'} (${mails} mails)`,
          ['ms', 'calls', 'calls per mail', 'statement'],
          top.rows.map((row) => [row.total, row.calls, round(Number(row.calls) / mails, 2), row.query]),
        );
      }
    }
    const written = await writeResults('email', {
      machine: machine(),
      settings: {
        rates,
        seconds,
        connections: connectionsCount,
        poolSize,
        postgres: Object.fromEntries(settings.rows.map((row) => [row.name, row.setting])),
      },
      results,
      acknowledgements,
      at: new Date().toISOString(),
    });
    console.log(`results: ${written}`);
    await db.end();
  } finally {
    for (const child of children.reverse()) await stopChild(child).catch(() => undefined);
    await cluster.stop();
    sink.close();
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

const role = process.argv[2] ?? 'main';
const roleArgs = process.argv[3] ? JSON.parse(process.argv[3]) : undefined;
const entry = role === 'server' ? () => runServer(roleArgs as ServerArgs) : role === 'load' ? () => runLoad(roleArgs as LoadArgs) : main;
entry().catch((error) => {
  console.error(error);
  if (role !== 'main') send({ type: 'error', message: String(error instanceof Error ? error.stack : error) });
  process.exit(1);
});
