import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  benchNodeEnv,
  cpuCalibrationMs,
  cpuSeconds,
  listFrom,
  machine,
  machineCpu,
  numberFrom,
  percentile,
  printMarkdownTable,
  procStat,
  writeResults,
} from './harness.js';

/**
 * bench:chat — the live chat under load, against a bare Socket.IO relay on the same machine.
 *
 * One orchestrating process starts a durable embedded PostgreSQL and then, as child processes:
 *   server — a real OKPay node (startRuntime: Fastify, Socket.IO with the Postgres adapter, pg-boss,
 *            the whole support use cases), or `bare`: Socket.IO alone, no database, no auth;
 *   load   — socket.io-client WebSocket connections that generate the load and time it.
 * Server and load never share a process, so the server's CPU and memory are its own. They do share
 * the machine's cores with each other and with PostgreSQL; the table reports who used how much.
 *
 * Scenarios
 *   chat — N customers each start a conversation (routed to one of M agents, capacity N/M),
 *          the agents open them; then, open loop at a fixed total rate, customers and agents take
 *          turns sending `message:send`. Latency is send → the OTHER side's `message` event (the
 *          send time is in the body). The rate is swept upwards until p99 falls apart.
 *   idle — 10,000 customer widget connections that sit idle: server RSS before/after (after GC),
 *          memory per connection and connection setup rate.
 *
 * Environment: BENCH_TARGETS (okpay,bare), BENCH_SCENARIOS (chat,idle), BENCH_RATES (msg/s,
 * comma-separated), BENCH_SECONDS (per rate), BENCH_CHAT_CUSTOMERS, BENCH_CHAT_AGENTS,
 * BENCH_CHAT_LOAD_PROCS, BENCH_IDLE_CONNECTIONS, BENCH_IDLE_LOAD_PROCS, BENCH_IDLE_HOLD_SECONDS,
 * BENCH_POOL_SIZE, BENCH_PG_STATS=0 (no pg_stat_statements), BENCH_CPU_PROF=1 (node --cpu-prof on the
 * OKPay server process, profiles in bench/results/profiles), BENCH_HEAP_SNAPSHOT=1 (idle: heap snapshots
 * of each server before and after the connections, in bench/results/profiles), BENCH_PG_WAITS=1 (sample PostgreSQL wait
 * events and CPU per backend during each rate), BENCH_PG_SETTINGS=name=value,… (extra server settings),
 * BENCH_SETUP_SQL (run once after the migrations: schema experiments; the results record it),
 * BENCH_SERVER_ENV=NAME=value,… (OKPay's own settings for its server, e.g. MESSAGE_BATCH_INTERVAL_MS=0).
 *
 * The box is shared: the `other` CPU column is everything on the machine that is not server, load or
 * PostgreSQL. Rows with a large `other` measured someone else's build as much as OKPay.
 */

const file = fileURLToPath(import.meta.url);
const p99GoalMs = 100;

type Target = 'okpay' | 'bare';
export type Ipc = { type: string } & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Small shared helpers
// ---------------------------------------------------------------------------------------------

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Microseconds since the epoch, comparable across processes on one machine. */
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function send(message: Ipc): void {
  process.send?.(message);
}

/** Sends a command to a child (unless `message` is undefined) and resolves with its next reply of the given type. */
export function ask<T extends Ipc>(child: ChildProcess, message: Ipc | undefined, replyType: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (reply: Ipc) => {
      if (reply.type === 'error') {
        cleanup();
        reject(new Error(String(reply.message)));
      } else if (reply.type === replyType) {
        cleanup();
        resolve(reply as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${code}) while waiting for ${replyType}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (message) child.send(message);
  });
}

export function spawnRole(role: string, args: unknown, execArgv: string[] = []): ChildProcess {
  return fork(file, [role, JSON.stringify(args)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'exit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((left, right) => left - right);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 0.5), 2),
    p90: round(percentile(sorted, 0.9), 2),
    p99: round(percentile(sorted, 0.99), 2),
    max: round(sorted.at(-1) ?? 0, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc: server, load generators, PostgreSQL (postmaster and its children)
// ---------------------------------------------------------------------------------------------

type CpuSnapshot = { at: number; server: number; pg: number; load: number; machine: { busy: number; total: number } };

function cpuSnapshot(serverPid: number | undefined, pgPid: number | undefined, loadPids: Array<number | undefined>): CpuSnapshot {
  return {
    at: performance.now(),
    server: cpuSeconds(serverPid),
    pg: cpuSeconds(pgPid, true),
    load: loadPids.reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0),
    machine: machineCpu(),
  };
}

/** Percent of one core used between two snapshots (200 % = both cores of a 2-core box). */
/** Server and PostgreSQL CPU time per message sent, in milliseconds: steadier than latency on a shared box. */
function cpuPerMessage(before: CpuSnapshot, after: CpuSnapshot, messages: number) {
  const perMessage = (seconds: number) => (messages > 0 ? round((seconds * 1000) / messages, 3) : 0);
  return { server: perMessage(after.server - before.server), postgres: perMessage(after.pg - before.pg) };
}

function cpuPercent(before: CpuSnapshot, after: CpuSnapshot) {
  const seconds = (after.at - before.at) / 1000;
  const percent = (value: number) => Math.round((value / seconds) * 100);
  const machineSpan = after.machine.total - before.machine.total;
  const server = percent(after.server - before.server);
  const postgres = percent(after.pg - before.pg);
  const load = percent(after.load - before.load);
  const machine = machineSpan > 0 ? Math.round(((after.machine.busy - before.machine.busy) / machineSpan) * 100 * os.cpus().length) : 0;
  // Whatever else ran on the box meanwhile (other people's builds and tests): numbers taken with a
  // large `other` are not comparable with quiet-box numbers.
  return { server, postgres, load, other: Math.max(0, machine - server - postgres - load), machine };
}

// ---------------------------------------------------------------------------------------------
// Role: the OKPay node
// ---------------------------------------------------------------------------------------------

export type ServerArgs = {
  databaseUrl: string;
  dataDir: string;
  poolSize: number;
  sessionSecret: string;
  capacity: number;
  /** Extra node settings (bench:chat-nodes: REDIS_URL). */
  env?: Record<string, string>;
};

async function serveStats(io: { engine: { clientsCount: number } }, onExit: () => Promise<void>): Promise<void> {
  const collect = () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    return {
      type: 'stats',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      connections: io.engine.clientsCount,
    };
  };
  // Per step: how long the event loop stalled, and how much of that was garbage collection.
  const { monitorEventLoopDelay, PerformanceObserver } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let gcMaxMs = 0;
  let gcTotalMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
      gcTotalMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (message: Ipc) => {
    if (message.type === 'loop') {
      send({
        type: 'loop',
        delayP99Ms: round(loopDelay.percentile(99) / 1e6, 1),
        delayMaxMs: round(loopDelay.max / 1e6, 1),
        gcMaxMs: round(gcMaxMs, 1),
        gcTotalMs: round(gcTotalMs, 1),
      });
      loopDelay.reset();
      gcMaxMs = 0;
      gcTotalMs = 0;
    }
    if (message.type === 'stats') send(collect());
    if (message.type === 'exit') {
      void onExit()
        .catch((error) => console.error(error))
        .finally(() => process.exit(0));
    }
  });
}

async function runOkpayServer(args: ServerArgs): Promise<void> {
  const { loadConfig } = await import('../platform/config.js');
  const { createLogger } = await import('../platform/logger.js');
  const { startRuntime } = await import('../runtime.js');
  const config = loadConfig({
    ...benchNodeEnv(args),
    // Production refuses to start without SMTP. Nothing in the bench sends mail (no offline messages),
    // so this closed loopback port is never dialled.
    SMTP_URL: 'smtp://127.0.0.1:9',
    ...args.env,
  });
  const runtime = await startRuntime(config, createLogger(config.logLevel), { webRoot: path.join(args.dataDir, 'no-web') });
  await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  await serveStats(runtime.realtime.io, () => runtime.close());
  send({ type: 'ready', port: (runtime.app.server.address() as AddressInfo).port });
}

// ---------------------------------------------------------------------------------------------
// Role: a bare Socket.IO relay speaking the same events (no database, no auth, no validation)
// ---------------------------------------------------------------------------------------------

async function runBareServer(args: ServerArgs): Promise<void> {
  const { Server } = await import('socket.io');
  const httpServer = createServer();
  // The same Server options OKPay uses.
  const io = new Server(httpServer, {
    path: '/socket.io',
    cors: { origin: true, credentials: false },
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
  });
  const load = new Map<string, number>();
  let seq = 0;
  io.on('connection', (socket) => {
    const [kind = 'customer', id = socket.id] = String(socket.handshake.auth?.token ?? '').split(':');
    const isStaff = kind === 'staff';
    if (isStaff) {
      void socket.join(`staff:${id}`);
      load.set(id, load.get(id) ?? 0);
    }
    socket.on('presence:set', (payload: { status: string }, ack: (response: unknown) => void) => ack({ status: payload.status }));
    socket.on('conversation:start', (_payload: unknown, ack: (response: unknown) => void) => {
      // Like OKPay's router: the agent with the fewest conversations below capacity.
      let chosen: string | undefined;
      for (const [agent, count] of load) if (count < args.capacity && (!chosen || count < (load.get(chosen) ?? 0))) chosen = agent;
      const conversationId = randomUUID();
      if (chosen) load.set(chosen, (load.get(chosen) ?? 0) + 1);
      void socket.join(`c:${conversationId}`);
      ack({ conversation: { id: conversationId, agent: chosen ? { id: chosen, name: `Agent ${chosen}` } : null }, messages: [] });
    });
    socket.on('conversation:open', (payload: { conversationId: string }, ack: (response: unknown) => void) => {
      void socket.join(`c:${payload.conversationId}`);
      ack({ conversation: { id: payload.conversationId, status: 'open' }, messages: [] });
    });
    socket.on(
      'message:send',
      (payload: { conversationId: string; body: string; clientMessageId: string }, ack: (response: unknown) => void) => {
        seq += 1;
        const message = {
          id: randomUUID(),
          conversationId: payload.conversationId,
          seq,
          authorType: isStaff ? 'agent' : 'customer',
          authorName: isStaff ? `Agent ${id}` : 'Customer',
          body: payload.body,
          isInternal: false,
          redactions: null,
          attachment: null,
          clientMessageId: payload.clientMessageId,
          createdAt: new Date().toISOString(),
        };
        io.to(`c:${payload.conversationId}`).emit('message', message);
        ack({ message });
      },
    );
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  await serveStats(io, async () => {
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });
  send({ type: 'ready', port: (httpServer.address() as AddressInfo).port });
}

// ---------------------------------------------------------------------------------------------
// Role: load generator (socket.io-client over WebSocket)
// ---------------------------------------------------------------------------------------------

type ClientSocket = import('socket.io-client').Socket;
type ChatRun = {
  prefix: string;
  /** Epoch milliseconds when sending began; secondMax[n] is the worst latency of messages sent in second n. */
  startedAt: number;
  secondMax: number[];
  latencies: number[];
  seen: Set<string>;
  delivered: number;
  duplicates: number;
};

async function runLoad(): Promise<void> {
  const { io } = await import('socket.io-client');
  const connect = (url: string, token: string) =>
    new Promise<ClientSocket>((resolve, reject) => {
      const socket = io(url, {
        path: '/socket.io',
        auth: { token, locale: 'en' },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 30_000,
      });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  const emitAck = async <T>(socket: ClientSocket, event: string, payload: unknown): Promise<T> => {
    const response = (await socket.timeout(30_000).emitWithAck(event, payload)) as T & { error?: { code: string } };
    if (response && typeof response === 'object' && 'error' in response && response.error)
      throw new Error(`${event}: ${response.error.code}`);
    return response;
  };
  const pool = async <T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, items.length) }, async () => {
        while (next < items.length) {
          const index = next++;
          await work(items[index] as T, index);
        }
      }),
    );
  };

  const idleSockets: ClientSocket[] = [];
  const pairs: Array<{ conversationId: string; customer: ClientSocket; agent: ClientSocket }> = [];
  const chatSockets: ClientSocket[] = [];
  let run: ChatRun | undefined;

  const listen = (socket: ClientSocket, side: 'customer' | 'agent') => {
    socket.on('message', (message: { authorType: string; body: string; clientMessageId: string | null }) => {
      const current = run;
      if (!current) return;
      // Only the other side's messages count; each side also hears its own echo.
      if ((message.authorType === 'agent') === (side === 'agent')) return;
      if (!message.body.startsWith(current.prefix)) return;
      const sentAt = Number.parseInt(message.body.slice(current.prefix.length, message.body.indexOf(' ', current.prefix.length)), 36);
      const key = message.clientMessageId ?? '';
      if (current.seen.has(key)) {
        current.duplicates += 1;
        return;
      }
      current.seen.add(key);
      current.delivered += 1;
      const latency = round((nowMicros() - sentAt) / 1000, 2);
      current.latencies.push(latency);
      const second = Math.max(0, Math.floor((sentAt / 1000 - current.startedAt) / 1000));
      current.secondMax[second] = Math.max(current.secondMax[second] ?? 0, latency);
    });
  };

  const handle = async (message: Ipc): Promise<void> => {
    if (message.type === 'idle') {
      const { url, tokens, concurrency } = message as unknown as { url: string; tokens: string[]; concurrency: number };
      const handshakes: number[] = [];
      const errors: string[] = [];
      const startedAt = performance.timeOrigin + performance.now();
      await pool(tokens, concurrency, async (token) => {
        const begin = performance.now();
        try {
          idleSockets.push(await connect(url, token));
          handshakes.push(performance.now() - begin);
        } catch (error) {
          if (errors.length < 5) errors.push(String(error));
        }
      });
      const finishedAt = performance.timeOrigin + performance.now();
      send({
        type: 'idle:opened',
        opened: handshakes.length,
        failed: tokens.length - handshakes.length,
        errors,
        startedAt,
        finishedAt,
        handshakeMs: handshakes.map((value) => round(value, 2)),
        rss: process.memoryUsage().rss,
      });
    } else if (message.type === 'idle:close') {
      for (const socket of idleSockets.splice(0)) socket.close();
      send({ type: 'idle:closed' });
    } else if (message.type === 'chat:setup') {
      const { url, agentUrl, agents, customers } = message as unknown as {
        url: string;
        /** Where the agents connect (bench:chat-nodes: another node than their customers'); `url` when absent. */
        agentUrl?: string;
        agents: Array<{ id: string; token: string }>;
        customers: string[];
      };
      const begin = performance.now();
      const agentSockets = new Map<string, ClientSocket>();
      for (const agent of agents) {
        const socket = await connect(agentUrl ?? url, agent.token);
        await emitAck(socket, 'presence:set', { status: 'online' });
        agentSockets.set(agent.id, socket);
        chatSockets.push(socket);
        listen(socket, 'agent');
      }
      await pool(customers, 4, async (token) => {
        const socket = await connect(url, token);
        chatSockets.push(socket);
        const started = await emitAck<{ conversation: { id: string; agent: { id: string } | null } }>(socket, 'conversation:start', {
          category: 'top_up',
        });
        const agent = started.conversation.agent ? agentSockets.get(started.conversation.agent.id) : undefined;
        if (!agent) throw new Error(`conversation ${started.conversation.id} was not routed to one of this process's agents`);
        await emitAck(agent, 'conversation:open', { conversationId: started.conversation.id, afterSeq: 0 });
        listen(socket, 'customer');
        pairs.push({ conversationId: started.conversation.id, customer: socket, agent });
      });
      send({ type: 'chat:ready', conversations: pairs.length, seconds: round((performance.now() - begin) / 1000, 2) });
    } else if (message.type === 'chat:run') {
      // The previous rate's results are garbage now: collect them before the clock starts, not during.
      (globalThis as { gc?: () => void }).gc?.();
      const { rate, seconds, drainSeconds, tag } = message as unknown as {
        rate: number;
        seconds: number;
        drainSeconds: number;
        tag: string;
      };
      const current: ChatRun = {
        prefix: `b:${tag}:`,
        startedAt: performance.timeOrigin + performance.now(),
        secondMax: [],
        latencies: [],
        seen: new Set(),
        delivered: 0,
        duplicates: 0,
      };
      run = current;
      const ackLatencies: number[] = [];
      const ackErrors: Record<string, number> = {};
      let sent = 0;
      let acked = 0;
      let failed = 0;
      let maxLagMs = 0;
      const total = Math.round(rate * seconds);
      const text = '您好，我昨天的充值还没有到账，订单号在附件里，麻烦帮我查一下 (top-up still pending)';
      const sendOne = (index: number) => {
        const pair = pairs[index % pairs.length];
        if (!pair) return;
        // Rounds alternate: customers speak, then agents answer, across every conversation.
        const fromAgent = Math.floor(index / pairs.length) % 2 === 1;
        const socket = fromAgent ? pair.agent : pair.customer;
        const sentAt = nowMicros();
        socket.timeout(10_000).emit(
          'message:send',
          {
            conversationId: pair.conversationId,
            body: `${current.prefix}${sentAt.toString(36)} ${text}`,
            clientMessageId: `${tag}-${index}`,
          },
          (error: Error | null, response?: { error?: { code: string } }) => {
            const code = error ? 'ack_timeout' : response?.error?.code;
            if (code) {
              failed += 1;
              ackErrors[code] = (ackErrors[code] ?? 0) + 1;
              return;
            }
            acked += 1;
            ackLatencies.push(round((nowMicros() - sentAt) / 1000, 2));
          },
        );
      };
      const start = performance.now();
      await new Promise<void>((resolve) => {
        const tick = () => {
          const now = performance.now();
          const due = Math.min(total, Math.floor(((now - start) * rate) / 1000));
          if (sent < due) maxLagMs = Math.max(maxLagMs, now - (start + (sent * 1000) / rate));
          while (sent < due) sendOne(sent++);
          if (sent >= total) resolve();
          else setTimeout(tick, 1);
        };
        tick();
      });
      const sendSeconds = (performance.now() - start) / 1000;
      const drainUntil = performance.now() + drainSeconds * 1000;
      while (performance.now() < drainUntil && (acked + failed < sent || current.delivered < acked)) await sleep(10);
      run = undefined;
      send({
        type: 'chat:result',
        sent,
        acked,
        failed,
        ackErrors,
        delivered: current.delivered,
        duplicates: current.duplicates,
        sendSeconds,
        maxLagMs: round(maxLagMs, 1),
        latencies: current.latencies,
        secondMax: Array.from(current.secondMax, (value) => value ?? 0),
        ackLatencies,
      });
    } else if (message.type === 'exit') {
      for (const socket of [...idleSockets, ...chatSockets]) socket.close();
      process.exit(0);
    }
  };
  process.on('message', (message: Ipc) => {
    handle(message).catch((error) => send({ type: 'error', message: String(error instanceof Error ? error.stack : error) }));
  });
  send({ type: 'ready' });
}

// ---------------------------------------------------------------------------------------------
// Orchestrator
// ---------------------------------------------------------------------------------------------

const settings = {
  targets: listFrom('BENCH_TARGETS', 'okpay,bare') as Target[],
  scenarios: listFrom('BENCH_SCENARIOS', 'chat,idle'),
  rates: listFrom('BENCH_RATES', '500,1000,2000,2500,3000,4000,5000').map(Number),
  seconds: numberFrom('BENCH_SECONDS', 10),
  warmupSeconds: numberFrom('BENCH_WARMUP_SECONDS', 3),
  drainSeconds: numberFrom('BENCH_DRAIN_SECONDS', 10),
  chatCustomers: numberFrom('BENCH_CHAT_CUSTOMERS', 200),
  chatAgents: numberFrom('BENCH_CHAT_AGENTS', 10),
  chatLoadProcesses: numberFrom('BENCH_CHAT_LOAD_PROCS', 1),
  idleConnections: numberFrom('BENCH_IDLE_CONNECTIONS', 10_000),
  idleLoadProcesses: numberFrom('BENCH_IDLE_LOAD_PROCS', 2),
  idleConcurrency: numberFrom('BENCH_IDLE_CONCURRENCY', 50),
  idleHoldSeconds: numberFrom('BENCH_IDLE_HOLD_SECONDS', 10),
  poolSize: numberFrom('BENCH_POOL_SIZE', 40),
  pgStats: process.env.BENCH_PG_STATS !== '0',
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  heapSnapshot: process.env.BENCH_HEAP_SNAPSHOT === '1',
  pgWaits: process.env.BENCH_PG_WAITS === '1',
  /** Pause between rates, so one rate's bookkeeping does not land in the next one's measurements. */
  settleMs: numberFrom('BENCH_SETTLE_MS', 1000),
  /** Extra PostgreSQL settings for experiments, e.g. BENCH_PG_SETTINGS=commit_delay=200,track_wal_io_timing=on */
  pgSettings: listFrom('BENCH_PG_SETTINGS', ''),
  /** SQL run once after the migrations, for schema experiments, e.g. BENCH_SETUP_SQL='DROP INDEX conversations_updated_idx' */
  setupSql: process.env.BENCH_SETUP_SQL ?? '',
  /** OKPay settings for its server, e.g. BENCH_SERVER_ENV=MESSAGE_BATCH_INTERVAL_MS=0 (the previous behaviour). */
  serverEnv: Object.fromEntries(
    listFrom('BENCH_SERVER_ENV', '').map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`BENCH_SERVER_ENV takes NAME=value pairs: ${pair}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  ),
};

/** CPU seconds of each PostgreSQL process (the postmaster's children), by pid. */
function pgProcesses(pgPid: number): Map<number, { title: string; cpu: number }> {
  const result = new Map<number, { title: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid !== pgPid) continue;
    let title = '';
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    result.set(Number(entry), { title, cpu: stat.own });
  }
  return result;
}

/** PostgreSQL CPU over a step by who used it: the application (pool) of each backend, or the background process. */
async function pgCpuBreakdown(
  db: import('pg').Pool,
  before: Map<number, { title: string; cpu: number }>,
  after: Map<number, { title: string; cpu: number }>,
  seconds: number,
) {
  const names = await db.query<{ pid: number; name: string }>(
    `SELECT pid, CASE WHEN application_name <> '' THEN application_name ELSE backend_type END AS name FROM pg_stat_activity`,
  );
  const byPid = new Map(names.rows.map((row) => [row.pid, row.name]));
  const totals: Record<string, number> = {};
  for (const [pid, now] of after) {
    const name = byPid.get(pid) ?? now.title.replace(/^postgres: /, '').split(' ')[0] ?? '?';
    totals[name] = (totals[name] ?? 0) + now.cpu - (before.get(pid)?.cpu ?? 0);
  }
  return Object.fromEntries(
    Object.entries(totals)
      .filter(([, cpu]) => cpu > 0)
      .sort((left, right) => right[1] - left[1])
      .map(([name, cpu]) => [name, `${Math.round((cpu / seconds) * 100)}%`]),
  );
}

/** Samples what OKPay's PostgreSQL backends are doing every 50 ms: average backends per state / wait event. */
function sampleWaits(db: import('pg').Pool, seconds: number): () => Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let samples = 0;
  let stopped = false;
  const done = (async () => {
    const until = performance.now() + seconds * 1000;
    while (!stopped && performance.now() < until) {
      const rows = await db.query<{ key: string; n: number }>(
        `SELECT coalesce(state, '?') || ' ' || coalesce(wait_event_type || ':' || wait_event, 'cpu') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 36) AS key, count(*)::int AS n
         FROM pg_stat_activity WHERE datname = 'okpay' AND pid <> pg_backend_pid() AND state <> 'idle' GROUP BY 1`,
      );
      samples += 1;
      for (const row of rows.rows) counts[row.key] = (counts[row.key] ?? 0) + row.n;
      await sleep(50);
    }
  })();
  return async () => {
    stopped = true;
    await done;
    return Object.fromEntries(
      Object.entries(counts)
        .sort((left, right) => right[1] - left[1])
        .slice(0, 8)
        .map(([key, value]) => [key, round(value / Math.max(1, samples), 2)]),
    );
  };
}

type ServerHandle = { child: ChildProcess; url: string };
type Stats = { rss: number; heapUsed: number; external: number; arrayBuffers: number; connections: number };
export type ChatResult = Ipc & {
  sent: number;
  acked: number;
  failed: number;
  ackErrors: Record<string, number>;
  delivered: number;
  duplicates: number;
  sendSeconds: number;
  maxLagMs: number;
  latencies: number[];
  secondMax: number[];
  ackLatencies: number[];
};
/** Starts a role in a child process kept in `children` (to be stopped at the end) and waits until it is ready. */
export async function startReady(children: ChildProcess[], role: string, args: unknown, execArgv: string[]) {
  const child = spawnRole(role, args, execArgv);
  children.push(child);
  const ready = await ask<Ipc & { port?: number }>(child, undefined, 'ready');
  return { child, url: `http://127.0.0.1:${ready.port}` };
}

/** A load-generator process (socket.io-client), ready for commands. */
export async function startLoadProcess(children: ChildProcess[]): Promise<ChildProcess> {
  return (await startReady(children, 'load', {}, ['--expose-gc'])).child;
}

/** Asks every load process for its share of a rate step and waits for all their results. */
export function runChatStep(loads: ChildProcess[], step: { rate: number; seconds: number; drainSeconds: number; tag: string }) {
  return Promise.all(
    loads.map((load) =>
      ask<ChatResult>(
        load,
        { type: 'chat:run', rate: step.rate / loads.length, seconds: step.seconds, drainSeconds: step.drainSeconds, tag: step.tag },
        'chat:result',
      ),
    ),
  );
}

/** The load processes' results of one step, added up: counts, rates over the sending time, latencies. */
export function tallyChatResults(results: ChatResult[]) {
  const sum = (pick: (result: ChatResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const sendSeconds = Math.max(...results.map((result) => result.sendSeconds));
  const sent = sum((result) => result.sent);
  const acked = sum((result) => result.acked);
  const delivered = sum((result) => result.delivered);
  const duplicates = sum((result) => result.duplicates);
  return {
    sent,
    sentPerSecond: Math.round(sent / sendSeconds),
    acked,
    delivered,
    deliveredPerSecond: Math.round(delivered / sendSeconds),
    duplicates,
    // Unanswered sends, sends answered but never delivered to the other side, and deliveries twice.
    errors: sum((result) => result.failed) + (acked - delivered) + duplicates,
    latencyMs: summarize(results.flatMap((result) => result.latencies)),
    ackLatencyMs: summarize(results.flatMap((result) => result.ackLatencies)),
  };
}

export type IdleOpened = Ipc & {
  opened: number;
  failed: number;
  errors: string[];
  startedAt: number;
  finishedAt: number;
  handshakeMs: number[];
  rss: number;
};

async function main() {
  const capacity = Math.ceil(settings.chatCustomers / settings.chatAgents);
  if (capacity > 20) throw new Error('BENCH_CHAT_CUSTOMERS / BENCH_CHAT_AGENTS must be at most 20 (staff chat capacity)');
  if (settings.chatAgents % settings.chatLoadProcesses !== 0) throw new Error('BENCH_CHAT_AGENTS must divide by BENCH_CHAT_LOAD_PROCS');
  const fdLimit = readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)\s+(\d+)/);
  const softFds = Number(fdLimit?.[1] ?? 1024);
  const perLoad = Math.ceil(settings.idleConnections / settings.idleLoadProcesses);
  if (perLoad + 200 > softFds || settings.idleConnections + 500 > softFds) {
    throw new Error(
      `open-file limit ${softFds} is too low for ${settings.idleConnections} connections: raise it (ulimit -n) or BENCH_IDLE_LOAD_PROCS`,
    );
  }

  const { default: pg } = await import('pg');
  const { ensureDatabase, startEmbeddedPostgres } = await import('../platform/db/embedded-postgres.js');
  const { migrateDatabase } = await import('../platform/db/migrate.js');
  const { signRealtimeToken } = await import('../identity/index.js');

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-chat-'));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    durable: true,
    maxConnections: 300,
    settings: [
      ...(settings.pgStats ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : []),
      ...settings.pgSettings,
    ],
  });
  const children: ChildProcess[] = [];
  try {
    await ensureDatabase(cluster.urlFor('postgres'), 'okpay');
    const databaseUrl = cluster.urlFor('okpay');
    await migrateDatabase(databaseUrl);
    const db = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    db.on('error', () => undefined);
    if (settings.pgStats) await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (settings.setupSql) {
      console.log(`experiment: ${settings.setupSql}`);
      await db.query(settings.setupSql);
    }
    const pgSettings = await db.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'commit_delay', 'wal_sync_method', 'shared_buffers', 'max_connections') ORDER BY name`,
    );
    const pgPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    console.log(`bench:chat on ${machine().cpus} cores (${machine().cpuModel}), Node ${process.version}, open files ${softFds}`);
    const idleBefore = machineCpu();
    await sleep(2000);
    const idleAfter = machineCpu();
    const busyAtStart = Math.round(((idleAfter.busy - idleBefore.busy) / (idleAfter.total - idleBefore.total)) * 100 * os.cpus().length);
    const calibrationMs = cpuCalibrationMs();
    console.log(`CPU calibration: ${calibrationMs} ms for a fixed loop (lower is a faster, quieter host)`);
    if (busyAtStart > 20)
      console.log(`warning: the machine is already ${busyAtStart} % busy (of ${os.cpus().length * 100} %): expect noisy numbers`);
    console.log(`PostgreSQL: ${pgSettings.rows.map((row) => `${row.name}=${row.setting}`).join(', ')}`);

    // People: customers inserted directly (one argon2 hash is not needed: nobody logs in with a password).
    const sessionSecret = randomBytes(32).toString('hex');
    const passwordHash = '$argon2id$bench-placeholder-nobody-logs-in';
    const agents = await db.query<{ id: string }>(
      `INSERT INTO staff_members (email, display_name, role, password_hash, chat_capacity)
       SELECT 'bench.agent' || n || '@okpay.local', 'Agent ' || n, 'agent', $1, $2 FROM generate_series(1, $3) AS n RETURNING id`,
      [passwordHash, capacity, settings.chatAgents],
    );
    const customers = await db.query<{ id: string }>(
      `INSERT INTO customers (email, display_name, password_hash)
       SELECT 'bench' || n || '@okpay.local', 'Customer ' || n, $1 FROM generate_series(1, $2) AS n RETURNING id`,
      [passwordHash, settings.chatCustomers + settings.idleConnections],
    );
    const chatCustomerIds = customers.rows.slice(0, settings.chatCustomers).map((row) => row.id);
    const idleCustomerIds = customers.rows.slice(settings.chatCustomers).map((row) => row.id);
    const tokenFor = (target: Target, kind: 'customer' | 'staff', id: string) => {
      if (target === 'bare') return `${kind}:${id}`;
      const identity = kind === 'customer' ? { kind, customerId: id } : { kind, staffId: id };
      return signRealtimeToken(sessionSecret, identity, new Date()).token;
    };

    const startServer = async (target: Target, profile: boolean, heapSnapshots = false): Promise<ServerHandle> => {
      const execArgv = ['--expose-gc'];
      if (profile) execArgv.push('--cpu-prof', `--cpu-prof-dir=${path.resolve('bench/results/profiles')}`);
      if (heapSnapshots) {
        await mkdir(path.resolve('bench/results/profiles'), { recursive: true });
        execArgv.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve('bench/results/profiles')}`);
      }
      const args: ServerArgs = {
        databaseUrl,
        dataDir: path.join(dataDir, 'node'),
        poolSize: settings.poolSize,
        sessionSecret,
        capacity,
        env: settings.serverEnv,
      };
      return startReady(children, target === 'okpay' ? 'server' : 'bare', args, execArgv);
    };
    const startLoad = () => startLoadProcess(children);
    const stats = (server: ServerHandle) => ask<Ipc & Stats>(server.child, { type: 'stats' }, 'stats');
    /** WAL volume and flushes (pg_stat_wal; fsyncs from pg_stat_io, timed only with track_wal_io_timing=on). */
    const walStats = async () => {
      const wal = await db.query<{ bytes: string; fpi: string }>('SELECT wal_bytes AS bytes, wal_fpi AS fpi FROM pg_stat_wal');
      const io = await db
        .query<{ fsyncs: string | null; fsync_ms: number | null }>(
          "SELECT sum(fsyncs) AS fsyncs, sum(fsync_time)::float AS fsync_ms FROM pg_stat_io WHERE object = 'wal'",
        )
        .catch(() => ({ rows: [{ fsyncs: null, fsync_ms: null }] }));
      return {
        bytes: Number(wal.rows[0]?.bytes ?? 0),
        fpi: Number(wal.rows[0]?.fpi ?? 0),
        fsyncs: Number(io.rows[0]?.fsyncs ?? 0),
        fsyncMs: Number(io.rows[0]?.fsync_ms ?? 0),
      };
    };
    const countMessages = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]?.n ?? 0);
    /** Events the slowest outbox subscriber (SLA clocks, reports, push, email) had not yet handled: work left outside the CPU window. */
    const outboxBehind = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `SELECT (SELECT count(*) FROM domain_events WHERE position IS NULL)
              + coalesce((SELECT max(position) FROM domain_events) - (SELECT min(position) FROM event_subscriptions), 0) AS n`,
          )
        ).rows[0]?.n ?? 0,
      );

    const chatRows: Array<Record<string, unknown>> = [];
    const idleRows: Array<Record<string, unknown>> = [];
    let statements: unknown[] = [];
    let statementsByTime: Array<{
      query: string;
      calls: number;
      plans: number;
      isTopLevel: boolean;
      totalMs: number;
      microsecondsPerMessage: number;
      planMicrosecondsPerMessage: number;
    }> = [];
    /** Autovacuum, HOT updates and checkpoints during the OKPay chat run: where latency spikes come from. */
    let background: unknown = null;

    for (const target of settings.targets) {
      if (settings.scenarios.includes('chat')) {
        console.log(`\n[${target}] chat: ${settings.chatCustomers} customers, ${settings.chatAgents} agents (capacity ${capacity})…`);
        const server = await startServer(target, settings.cpuProfile && target === 'okpay');
        const loads: ChildProcess[] = [];
        const agentsPer = settings.chatAgents / settings.chatLoadProcesses;
        // One load process at a time: its customers fill exactly its own agents' capacity, so both
        // sides of every conversation live in the same process (one clock for the latency).
        for (let index = 0; index < settings.chatLoadProcesses; index++) {
          const load = await startLoad();
          loads.push(load);
          const mine = agents.rows.slice(index * agentsPer, (index + 1) * agentsPer);
          const customerSlice = chatCustomerIds.slice(index * agentsPer * capacity, (index + 1) * agentsPer * capacity);
          const ready = await ask<Ipc & { conversations: number; seconds: number }>(
            load,
            {
              type: 'chat:setup',
              url: server.url,
              agents: mine.map((agent) => ({ id: agent.id, token: tokenFor(target, 'staff', agent.id) })),
              customers: customerSlice.map((id) => tokenFor(target, 'customer', id)),
            },
            'chat:ready',
          );
          console.log(`  load process ${index + 1}: ${ready.conversations} conversations open in ${ready.seconds} s`);
        }
        const runStep = async (rate: number, seconds: number, tag: string) => {
          // Let the last step's bookkeeping (here and in the load process) finish before measuring.
          await sleep(settings.settleMs);
          await ask(server.child, { type: 'loop' }, 'loop');
          const startedAt = new Date().toISOString();
          const persistedBefore = target === 'okpay' ? await countMessages() : 0;
          const walBefore = await walStats();
          const before = cpuSnapshot(
            server.child.pid,
            pgPid,
            loads.map((load) => load.pid),
          );
          // Once a second: how busy the rest of the machine was, to tell our stalls from someone else's build.
          const otherBySecond: number[] = [];
          const during = (async () => {
            let previous = before;
            for (let second = 0; second < seconds; second++) {
              await sleep(1000);
              const now = cpuSnapshot(
                server.child.pid,
                pgPid,
                loads.map((load) => load.pid),
              );
              otherBySecond.push(cpuPercent(previous, now).other);
              previous = now;
            }
            return previous;
          })();
          const behindAtOpen = target === 'okpay' ? outboxBehind() : Promise.resolve(undefined);
          const behindAtClose = target === 'okpay' ? during.then(() => outboxBehind()) : Promise.resolve(undefined);
          const stopSampling = settings.pgWaits && target === 'okpay' ? sampleWaits(db, seconds) : async () => undefined;
          const pgBefore = settings.pgWaits ? pgProcesses(pgPid) : undefined;
          const pgDuring = sleep(seconds * 1000).then(() => (settings.pgWaits ? pgProcesses(pgPid) : undefined));
          const results = await runChatStep(loads, { rate, seconds, drainSeconds: settings.drainSeconds, tag });
          const duringSnapshot = await during;
          const { type: _loop, ...serverLoop } = await ask<Ipc & { delayMaxMs: number }>(server.child, { type: 'loop' }, 'loop');
          const cpu = cpuPercent(before, duringSnapshot);
          const waits = await stopSampling();
          const pgAfter = await pgDuring;
          const pgCpu = pgBefore && pgAfter ? await pgCpuBreakdown(db, pgBefore, pgAfter, seconds) : undefined;
          const persisted = target === 'okpay' ? (await countMessages()) - persistedBefore : null;
          const walAfter = await walStats();
          const behind = { atOpen: await behindAtOpen, atClose: await behindAtClose };
          const wal =
            target === 'okpay'
              ? {
                  bytesPerMessage: Math.round((walAfter.bytes - walBefore.bytes) / Math.max(1, persisted ?? 0)),
                  fullPageImagesPerMessage: round((walAfter.fpi - walBefore.fpi) / Math.max(1, persisted ?? 0), 3),
                  fsyncs: walAfter.fsyncs - walBefore.fsyncs,
                  fsyncMs: round(walAfter.fsyncMs - walBefore.fsyncMs, 1),
                }
              : undefined;
          const tally = tallyChatResults(results);
          const { sent, delivered, errors, latencyMs: latency } = tally;
          const ackErrors: Record<string, number> = {};
          for (const result of results)
            for (const [code, count] of Object.entries(result.ackErrors)) ackErrors[code] = (ackErrors[code] ?? 0) + count;
          return {
            target,
            startedAt,
            targetRate: rate,
            ...tally,
            persisted,
            ackErrors,
            maxGeneratorLagMs: Math.max(...results.map((result) => result.maxLagMs)),
            otherCpuBySecondPercent: otherBySecond,
            worstLatencyBySecondMs: (results[0]?.secondMax ?? []).map((_, second) =>
              Math.max(...results.map((result) => result.secondMax[second] ?? 0)),
            ),
            serverLoop,
            cpuPercent: cpu,
            outboxBehind: target === 'okpay' ? behind : undefined,
            cpuMsPerMessage: cpuPerMessage(before, duringSnapshot, Math.min(sent, Math.round(rate * seconds))),
            ...(waits ? { pgWaits: waits } : {}),
            ...(pgCpu ? { pgCpu } : {}),
            ...(wal ? { wal } : {}),
            holds: latency.p99 <= p99GoalMs && errors === 0 && delivered === sent && (persisted === null || persisted === sent) && sent > 0,
          };
        };
        console.log(`  warm-up ${settings.warmupSeconds} s at ${settings.rates[0]} msg/s`);
        await runStep(settings.rates[0] ?? 500, settings.warmupSeconds, `w${target}`);
        if (target === 'okpay' && settings.pgStats) await db.query('SELECT pg_stat_statements_reset()');
        let persistedTotal = 0;
        for (const [index, rate] of settings.rates.entries()) {
          const row = await runStep(rate, settings.seconds, `r${index}${target}`);
          persistedTotal += row.persisted ?? 0;
          chatRows.push(row);
          if (row.latencyMs.p99 > p99GoalMs / 2)
            console.log(
              `  worst latency by second sent from ${row.startedAt.slice(11, 19)} (ms): ${row.worstLatencyBySecondMs.map((value) => Math.round(value)).join(' ')}; other CPU % by second: ${row.otherCpuBySecondPercent.join(' ')}; server event loop ${JSON.stringify(row.serverLoop)}`,
            );
          if (row.wal) console.log(`  WAL (${rate} msg/s): ${JSON.stringify(row.wal)}`);
          if (row.outboxBehind)
            console.log(
              `  outbox (${rate} msg/s): rows not yet handled by the slowest subscriber (a message batch is one row) ${row.outboxBehind.atOpen} when the CPU window opened, ${row.outboxBehind.atClose} when it closed`,
            );
          if (row.pgCpu) console.log(`  PostgreSQL CPU by process (${rate} msg/s): ${JSON.stringify(row.pgCpu)}`);
          if (row.pgWaits) console.log(`  PostgreSQL backends by state / wait event (${rate} msg/s): ${JSON.stringify(row.pgWaits)}`);
          console.log(
            `  ${rate} msg/s: sent ${row.sentPerSecond}/s, delivered ${row.deliveredPerSecond}/s, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, max ${row.latencyMs.max} ms, errors ${row.errors}, CPU server ${row.cpuPercent.server}% pg ${row.cpuPercent.postgres}% load ${row.cpuPercent.load}% other ${row.cpuPercent.other}%, CPU ms/msg server ${row.cpuMsPerMessage.server} pg ${row.cpuMsPerMessage.postgres}`,
          );
          // Far past the goal: higher rates only measure a growing backlog.
          if (row.latencyMs.p99 > 10 * p99GoalMs || row.delivered < 0.9 * row.sent) break;
        }
        if (target === 'okpay' && settings.pgStats) {
          const top = await db.query<{ query: string; calls: string; total_ms: number; mean_ms: number }>(
            `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, round(total_exec_time::numeric, 1)::float AS total_ms,
                    round(mean_exec_time::numeric, 3)::float AS mean_ms
             FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'okpay')
             ORDER BY calls DESC LIMIT 12`,
          );
          statements = top.rows.map((row) => ({
            ...row,
            query: row.query.slice(0, 160),
            perMessage: persistedTotal > 0 ? round(Number(row.calls) / persistedTotal, 3) : null,
          }));
          console.log('  statements per persisted message (pg_stat_statements, sweep only):');
          for (const row of top.rows.slice(0, 8))
            console.log(`    ${(Number(row.calls) / Math.max(1, persistedTotal)).toFixed(3)} × ${row.query.slice(0, 110)}`);
          // Where PostgreSQL spends its time: the statements that took the most, in µs per message.
          // Where PostgreSQL spends its time: the statements that took the most, in µs per message,
          // nested ones included; planning shows with BENCH_PG_SETTINGS=pg_stat_statements.track_planning=on.
          const byTime = await db.query<{
            query: string;
            calls: string;
            plans: string;
            total_ms: number;
            plan_ms: number;
            toplevel: boolean;
          }>(
            `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, plans, toplevel,
                    round(total_exec_time::numeric, 1)::float AS total_ms, round(total_plan_time::numeric, 1)::float AS plan_ms
             FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'okpay')
             ORDER BY total_exec_time + total_plan_time DESC LIMIT 12`,
          );
          const perMessage = (ms: number) => round((ms * 1000) / Math.max(1, persistedTotal), 1);
          statementsByTime = byTime.rows.map((row) => ({
            query: row.query.slice(0, 160),
            calls: Number(row.calls),
            plans: Number(row.plans),
            isTopLevel: row.toplevel,
            totalMs: row.total_ms,
            microsecondsPerMessage: perMessage(row.total_ms),
            planMicrosecondsPerMessage: perMessage(row.plan_ms),
          }));
          console.log('  statements by time (µs per persisted message executing + planning):');
          for (const row of statementsByTime)
            console.log(
              `    ${row.microsecondsPerMessage} + ${row.planMicrosecondsPerMessage} µs (${row.calls} calls, ${row.plans} plans${row.isTopLevel ? '' : ', nested'}) ${row.query.slice(0, 100)}`,
            );
        }
        if (target === 'okpay') {
          const maintenance = await db.query(
            `SELECT relname, n_tup_upd, n_tup_hot_upd, n_dead_tup, autovacuum_count, autoanalyze_count,
                    to_char(last_autovacuum, 'HH24:MI:SS') AS last_autovacuum, to_char(last_autoanalyze, 'HH24:MI:SS') AS last_autoanalyze
             FROM pg_stat_user_tables WHERE relname IN ('conversations', 'messages', 'agent_presence') ORDER BY relname`,
          );
          const checkpoints = await db
            .query('SELECT num_timed, num_requested, buffers_written FROM pg_stat_checkpointer')
            .catch(() => ({ rows: [] }));
          background = { tables: maintenance.rows, checkpoints: checkpoints.rows[0] ?? null };
          console.log(`  background: ${JSON.stringify(background)}`);
        }
        for (const load of loads) await stopChild(load);
        await stopChild(server.child);
      }

      if (settings.scenarios.includes('idle')) {
        console.log(`\n[${target}] idle: ${settings.idleConnections} connections from ${settings.idleLoadProcesses} load processes…`);
        const server = await startServer(target, false, settings.heapSnapshot);
        await sleep(1000);
        const before = await stats(server);
        /** Heap snapshots before and after the connections (BENCH_HEAP_SNAPSHOT=1): what each one keeps. */
        const snapshot = async () => {
          if (!settings.heapSnapshot) return;
          const folder = path.resolve('bench/results/profiles');
          const snapshots = async () => (await readdir(folder)).filter((name) => name.endsWith('.heapsnapshot'));
          const written = new Set(await snapshots());
          server.child.kill('SIGUSR2');
          // Written once its size stops growing (the node is paused while it writes).
          let size = -1;
          for (let waited = 0; waited < 300; waited += 1) {
            await sleep(1000);
            const name = (await snapshots()).find((candidate) => !written.has(candidate));
            if (!name) continue;
            const now = (await stat(path.join(folder, name))).size;
            if (now === size) break;
            size = now;
          }
        };
        await snapshot();
        const loads = await Promise.all(Array.from({ length: settings.idleLoadProcesses }, () => startLoad()));
        const tokens = idleCustomerIds.map((id) => tokenFor(target, 'customer', id));
        const opened = await Promise.all(
          loads.map((load, index) =>
            ask<IdleOpened>(
              load,
              {
                type: 'idle',
                url: server.url,
                tokens: tokens.slice(index * perLoad, (index + 1) * perLoad),
                concurrency: settings.idleConcurrency,
              },
              'idle:opened',
            ),
          ),
        );
        const hold = cpuSnapshot(
          server.child.pid,
          pgPid,
          loads.map((load) => load.pid),
        );
        await sleep(settings.idleHoldSeconds * 1000);
        const held = cpuSnapshot(
          server.child.pid,
          pgPid,
          loads.map((load) => load.pid),
        );
        const after = await stats(server);
        await snapshot();
        const count = opened.reduce((total, result) => total + result.opened, 0);
        const setupSeconds =
          (Math.max(...opened.map((result) => result.finishedAt)) - Math.min(...opened.map((result) => result.startedAt))) / 1000;
        const row = {
          target,
          requested: settings.idleConnections,
          opened: count,
          failed: opened.reduce((total, result) => total + result.failed, 0),
          errors: opened.flatMap((result) => result.errors).slice(0, 5),
          serverConnections: after.connections,
          setupSeconds: round(setupSeconds, 2),
          connectionsPerSecond: Math.round(count / setupSeconds),
          handshakeMs: summarize(opened.flatMap((result) => result.handshakeMs)),
          rssBeforeMb: round(before.rss / 2 ** 20),
          rssAfterMb: round(after.rss / 2 ** 20),
          heapBeforeMb: round(before.heapUsed / 2 ** 20),
          heapAfterMb: round(after.heapUsed / 2 ** 20),
          rssPerConnectionKb: round((after.rss - before.rss) / 1024 / Math.max(1, count)),
          heapPerConnectionKb: round((after.heapUsed - before.heapUsed) / 1024 / Math.max(1, count)),
          loadRssMbPerProcess: opened.map((result) => round(result.rss / 2 ** 20)),
          idleCpuPercent: cpuPercent(hold, held),
        };
        idleRows.push(row);
        console.log(
          `  ${row.opened} open (${row.failed} failed) in ${row.setupSeconds} s = ${row.connectionsPerSecond}/s; RSS ${row.rssBeforeMb} → ${row.rssAfterMb} MB (${row.rssPerConnectionKb} KB/conn); heap ${row.heapBeforeMb} → ${row.heapAfterMb} MB (${row.heapPerConnectionKb} KB/conn)`,
        );
        await Promise.all(loads.map((load) => ask(load, { type: 'idle:close' }, 'idle:closed')));
        for (const load of loads) await stopChild(load);
        await stopChild(server.child);
      }
    }

    const info = machine();
    const title = `bench:chat on ${info.cpus} cores (${info.cpuModel}), ${settings.seconds} s per rate; ${settings.chatCustomers} customers ↔ ${settings.chatAgents} agents; load in ${settings.chatLoadProcesses} separate process(es)`;
    if (chatRows.length > 0) {
      printMarkdownTable(
        title,
        [
          'server',
          'target msg/s',
          'sent/s',
          'delivered/s',
          'persisted',
          'p50 ms',
          'p99 ms',
          'max ms',
          'ack p99 ms',
          'errors',
          'CPU % server / pg / load / other',
          'CPU ms/msg server + pg',
          'p99 ≤ 100 ms',
        ],
        chatRows.map((row) => {
          const latency = row.latencyMs as ReturnType<typeof summarize>;
          const ack = row.ackLatencyMs as ReturnType<typeof summarize>;
          const cpu = row.cpuPercent as ReturnType<typeof cpuPercent>;
          return [
            row.target === 'okpay' ? 'OKPay' : 'bare Socket.IO',
            String(row.targetRate),
            String(row.sentPerSecond),
            String(row.deliveredPerSecond),
            row.persisted === null ? '—' : `${row.persisted}/${row.sent}`,
            latency.p50,
            latency.p99,
            latency.max,
            ack.p99,
            String(row.errors),
            `${cpu.server} / ${cpu.postgres} / ${cpu.load} / ${cpu.other}`,
            `${(row.cpuMsPerMessage as { server: number }).server} + ${(row.cpuMsPerMessage as { postgres: number }).postgres}`,
            row.holds ? 'yes' : 'no',
          ];
        }),
      );
    }
    const best = (target: Target) =>
      Math.max(0, ...chatRows.filter((row) => row.target === target && row.holds).map((row) => Number(row.targetRate)));
    for (const target of settings.targets.filter(() => settings.scenarios.includes('chat'))) {
      console.log(`highest rate holding p99 ≤ ${p99GoalMs} ms with nothing lost, ${target}: ${best(target) || 'none'} msg/s`);
    }
    if (idleRows.length > 0) {
      printMarkdownTable(
        `Idle widget connections (${settings.idleLoadProcesses} client processes, ${settings.idleConcurrency} handshakes in flight each; server RSS after GC)`,
        [
          'server',
          'connections',
          'failed',
          'setup/s',
          'handshake p99 ms',
          'RSS before MB',
          'RSS after MB',
          'KB/conn (RSS)',
          'KB/conn (heap)',
          'idle CPU % server',
          'CPU % other',
        ],
        idleRows.map((row) => [
          row.target === 'okpay' ? 'OKPay' : 'bare Socket.IO',
          `${row.serverConnections}/${row.requested}`,
          String(row.failed),
          String(row.connectionsPerSecond),
          (row.handshakeMs as ReturnType<typeof summarize>).p99,
          String(row.rssBeforeMb),
          String(row.rssAfterMb),
          String(row.rssPerConnectionKb),
          String(row.heapPerConnectionKb),
          String((row.idleCpuPercent as ReturnType<typeof cpuPercent>).server),
          String((row.idleCpuPercent as ReturnType<typeof cpuPercent>).other),
        ]),
      );
    }
    const written = await writeResults('chat', {
      benchmark: 'chat',
      machine: info,
      busyAtStartPercent: busyAtStart,
      cpuCalibrationMs: calibrationMs,
      ...(settings.setupSql ? { experiment: settings.setupSql } : {}),
      postgres: pgSettings.rows,
      settings: {
        ...settings,
        capacity,
        p99GoalMs,
        socketIo: (createRequire(import.meta.url)('socket.io/package.json') as { version: string }).version,
      },
      load: `socket.io-client over WebSocket in ${settings.chatLoadProcesses} (chat) / ${settings.idleLoadProcesses} (idle) child process(es), separate from the server process; open loop at the target rate`,
      highestRateHoldingGoal: Object.fromEntries(settings.targets.map((target) => [target, best(target)])),
      chat: chatRows,
      idle: idleRows,
      statements,
      statementsByTime,
      background,
    });
    console.log(`\nresults written to ${path.relative(process.cwd(), written)}`);
    await db.end();
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const role = process.argv[2] ?? 'main';
const roleArgs = process.argv[3] ? (JSON.parse(process.argv[3]) as ServerArgs) : undefined;
const entry =
  role === 'server' && roleArgs
    ? () => runOkpayServer(roleArgs)
    : role === 'bare' && roleArgs
      ? () => runBareServer(roleArgs)
      : role === 'load'
        ? runLoad
        : main;
// Only when run itself (or forked in a role): bench:chat-nodes imports the helpers above.
if (process.argv[1] && path.resolve(process.argv[1]) === file)
  entry().catch((error) => {
    console.error(error);
    if (role !== 'main') send({ type: 'error', message: String(error instanceof Error ? error.stack : error) });
    process.exit(1);
  });
