import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../platform/free-port.js';
import {
  ask,
  type IdleOpened,
  type Ipc,
  round,
  runChatStep,
  type ServerArgs,
  sleep,
  startLoadProcess,
  startReady,
  stopChild,
  summarize,
  tallyChatResults,
} from './chat.js';
import { cpuCalibrationMs, cpuSeconds, listFrom, machine, machineCpu, numberFrom, printMarkdownTable, writeResults } from './harness.js';

/**
 * bench:chat-nodes — the live chat on several OKPay nodes sharing one PostgreSQL, for each
 * Socket.IO adapter (PostgreSQL, the default; Redis with REDIS_URL), and a reconnect storm.
 *
 * The processes are bench:chat's roles (server, bare, load), forked from chat.js: each node is its
 * own process with its own data folder; one durable embedded PostgreSQL holds one database per
 * adapter; for the Redis adapter the bench starts Debian's `redis-server` on a free port.
 *
 * Scenarios
 *   chat  — BENCH_NODES nodes (3). The agents are split into one group per node: group g's customers
 *           connect to node g and their agents to node g+1, so every delivery crosses nodes through
 *           the adapter. Then, as in bench:chat, open loop at each rate in BENCH_RATES, customers and
 *           agents taking turns; latency is send → the other side's `message` event (both sides live
 *           in the same load process: one clock). One table, the adapters side by side.
 *   storm — BENCH_STORM_CONNECTIONS widget customers (10,000) connect to node 1; node 1 is killed
 *           (SIGKILL) and every client reconnects at once to node 2, each load process keeping
 *           BENCH_STORM_CONCURRENCY handshakes in flight. Handshakes/s, handshake p50/p99, CPU per
 *           handshake and node 2's memory per connection, for each adapter and for bare Socket.IO
 *           (no auth, no database) under the same storm.
 *
 * Environment: BENCH_ADAPTERS (postgres,redis), BENCH_NODES (3), BENCH_SCENARIOS (chat,storm),
 * BENCH_RATES (500,1000,2000), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_DRAIN_SECONDS (10),
 * BENCH_CHAT_CUSTOMERS (200), BENCH_CHAT_AGENTS (10), BENCH_CHAT_LOAD_PROCS (1), BENCH_POOL_SIZE (20 per
 * node), BENCH_STORM_CONNECTIONS (10000), BENCH_STORM_LOAD_PROCS (2), BENCH_STORM_CONCURRENCY (50 per
 * load process), BENCH_STORM_BARE (1: also bare Socket.IO), BENCH_STORM_ROUNDS (1: more storms, each adapter's then
 * bare's in turn, each round on fresh nodes, the median of the rounds printed after the table), BENCH_PG_STATS=0 (no pg_stat_statements: the storm
 * prints statements per handshake), BENCH_PG_SETTINGS=name=value,… (extra PostgreSQL settings;
 * pg_stat_statements.track_planning=on adds planning time), BENCH_CPU_PROF=1 (node --cpu-prof on the storm's OKPay nodes and bare's surviving one, profiles in
 * bench/results/profiles). Results: bench/results/chat-nodes.json.
 */

type Adapter = 'postgres' | 'redis';
type NodeHandle = { child: ChildProcess; url: string };
type Stats = Ipc & { rss: number; heapUsed: number; connections: number };

/** The middle value (the mean of the two middle ones for an even count), rounded to two decimals. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.round(value * 100) / 100;
}

const settings = {
  adapters: listFrom('BENCH_ADAPTERS', 'postgres,redis') as Adapter[],
  nodes: numberFrom('BENCH_NODES', 3),
  scenarios: listFrom('BENCH_SCENARIOS', 'chat,storm'),
  rates: listFrom('BENCH_RATES', '500,1000,2000').map(Number),
  seconds: numberFrom('BENCH_SECONDS', 10),
  warmupSeconds: numberFrom('BENCH_WARMUP_SECONDS', 3),
  drainSeconds: numberFrom('BENCH_DRAIN_SECONDS', 10),
  chatCustomers: numberFrom('BENCH_CHAT_CUSTOMERS', 200),
  chatAgents: numberFrom('BENCH_CHAT_AGENTS', 10),
  chatLoadProcesses: numberFrom('BENCH_CHAT_LOAD_PROCS', 1),
  poolSize: numberFrom('BENCH_POOL_SIZE', 20),
  stormConnections: numberFrom('BENCH_STORM_CONNECTIONS', 10_000),
  stormLoadProcesses: numberFrom('BENCH_STORM_LOAD_PROCS', 2),
  stormConcurrency: numberFrom('BENCH_STORM_CONCURRENCY', 50),
  stormBare: process.env.BENCH_STORM_BARE !== '0',
  stormRounds: Math.max(1, numberFrom('BENCH_STORM_ROUNDS', 1)),
  settleMs: numberFrom('BENCH_SETTLE_MS', 1000),
  pgStats: process.env.BENCH_PG_STATS !== '0',
  /** Extra PostgreSQL settings, name=value,… (pg_stat_statements.track_planning=on shows planning time per statement). */
  pgSettings: listFrom('BENCH_PG_SETTINGS', ''),
  /** node --cpu-prof on the storm's OKPay nodes (the one that survives writes bench/results/profiles/*.cpuprofile). */
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
};
const p99GoalMs = 100;
const adapterName = (adapter: Adapter) => (adapter === 'redis' ? 'Redis adapter' : 'PostgreSQL adapter');
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');

/** CPU seconds so far of the nodes, PostgreSQL (with its children), Redis and the load processes, and the whole machine. */
function cpuNow(pids: { nodes: number[]; pg: number; redis?: number; loads: number[] }) {
  const sum = (list: number[]) => list.reduce((total, pid) => total + cpuSeconds(pid), 0);
  return {
    at: performance.now(),
    nodes: sum(pids.nodes),
    pg: cpuSeconds(pids.pg, true),
    redis: cpuSeconds(pids.redis),
    load: sum(pids.loads),
    machine: machineCpu(),
  };
}
type Cpu = ReturnType<typeof cpuNow>;

/** Percent of one core between two snapshots; `other` is whatever else ran on the machine meanwhile. */
function cpuPercent(before: Cpu, after: Cpu) {
  const seconds = (after.at - before.at) / 1000;
  const percent = (value: number) => Math.round((value / seconds) * 100);
  const span = after.machine.total - before.machine.total;
  const machineTotal = span > 0 ? Math.round(((after.machine.busy - before.machine.busy) / span) * 100 * os.cpus().length) : 0;
  const nodes = percent(after.nodes - before.nodes);
  const postgres = percent(after.pg - before.pg);
  const redis = percent(after.redis - before.redis);
  const load = percent(after.load - before.load);
  return { nodes, postgres, redis, load, other: Math.max(0, machineTotal - nodes - postgres - redis - load), machine: machineTotal };
}

/** CPU milliseconds per operation: nodes, PostgreSQL, Redis. */
function cpuPer(before: Cpu, after: Cpu, operations: number) {
  const per = (seconds: number) => (operations > 0 ? round((seconds * 1000) / operations, 3) : 0);
  return { nodes: per(after.nodes - before.nodes), postgres: per(after.pg - before.pg), redis: per(after.redis - before.redis) };
}

async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return { child, url: `redis://127.0.0.1:${port}` };
}

/** The busiest statements since the last reset (pg_stat_statements), by calls. */
async function topStatements(db: import('pg').Pool) {
  const top = await db.query<{ query: string; calls: string; total_ms: number; plan_ms: number }>(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, round(total_exec_time::numeric, 1)::float AS total_ms,
            round(total_plan_time::numeric, 1)::float AS plan_ms
     FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
     ORDER BY calls DESC LIMIT 8`,
  );
  return top.rows.map((row) => ({ query: row.query.slice(0, 160), calls: Number(row.calls), totalMs: row.total_ms, planMs: row.plan_ms }));
}

async function killChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

async function main() {
  const capacity = Math.ceil(settings.chatCustomers / settings.chatAgents);
  if (capacity > 20) throw new Error('BENCH_CHAT_CUSTOMERS / BENCH_CHAT_AGENTS must be at most 20 (staff chat capacity)');
  if (settings.nodes < 2) throw new Error('BENCH_NODES must be at least 2');
  if (settings.chatAgents < settings.nodes) throw new Error('BENCH_CHAT_AGENTS must be at least BENCH_NODES');
  const fdLimit = readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)\s+(\d+)/);
  const softFds = Number(fdLimit?.[1] ?? 1024);
  if (settings.scenarios.includes('storm') && settings.stormConnections + 500 > softFds)
    throw new Error(`open-file limit ${softFds} is too low for ${settings.stormConnections} connections: raise it (ulimit -n)`);

  const { default: pg } = await import('pg');
  const { ensureDatabase, startEmbeddedPostgres } = await import('../platform/db/embedded-postgres.js');
  const { migrateDatabase } = await import('../platform/db/migrate.js');
  const { signRealtimeToken } = await import('../identity/index.js');

  const info = machine();
  const loadAtStart = loadAverage();
  console.log(`bench:chat-nodes on ${info.cpus} cores (${info.cpuModel}), Node ${process.version}, open files ${softFds}`);
  console.log(`load average at start: ${loadAtStart}`);
  const calibrationMs = cpuCalibrationMs();
  console.log(`CPU calibration: ${calibrationMs} ms for a fixed loop (lower is a faster, quieter host)`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-chat-nodes-'));
  const cluster = await startEmbeddedPostgres({
    dataDir,
    durable: true,
    maxConnections: 300,
    settings: [
      ...(settings.pgStats ? ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=all'] : []),
      ...settings.pgSettings,
    ],
  });
  const pgPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children: ChildProcess[] = [];
  const sessionSecret = randomBytes(32).toString('hex');

  const startServer = async (role: 'server' | 'bare', args: ServerArgs, profile = false): Promise<NodeHandle> => {
    const execArgv = ['--expose-gc'];
    if (profile) await mkdir(path.resolve('bench/results/profiles'), { recursive: true });
    if (profile)
      execArgv.push(
        '--cpu-prof',
        `--cpu-prof-dir=${path.resolve('bench/results/profiles')}`,
        '--heapsnapshot-signal=SIGUSR2',
        `--diagnostic-dir=${path.resolve('bench/results/profiles')}`,
      );
    return startReady(children, role, args, execArgv);
  };
  const startLoad = () => startLoadProcess(children);
  const stats = (node: NodeHandle) => ask<Stats>(node.child, { type: 'stats' }, 'stats');

  const chatRows: Array<Record<string, unknown>> = [];
  const stormRows: Array<Record<string, unknown>> = [];

  /** Every client reconnects at once from a killed node to another one; `nodes[0]` is killed, `nodes[1]` takes them. */
  const storm = async (
    stormRound: number,
    label: string,
    nodes: NodeHandle[],
    tokens: string[],
    extraPids: { pg: number; redis?: number },
    db?: import('pg').Pool,
  ) => {
    const [first, second] = nodes;
    if (!first || !second) throw new Error('the storm needs two nodes');
    console.log(`\n[${label}] storm: ${tokens.length} widgets on node 1, node 1 killed, all reconnect to node 2…`);
    const loads = await Promise.all(Array.from({ length: settings.stormLoadProcesses }, () => startLoad()));
    const per = Math.ceil(tokens.length / loads.length);
    const open = (url: string) =>
      Promise.all(
        loads.map((load, index) =>
          ask<IdleOpened>(
            load,
            { type: 'idle', url, tokens: tokens.slice(index * per, (index + 1) * per), concurrency: settings.stormConcurrency },
            'idle:opened',
          ),
        ),
      );
    const first_ = await open(first.url);
    const initiallyOpen = first_.reduce((total, result) => total + result.opened, 0);
    await sleep(1000);
    const pids = { nodes: [second.child.pid ?? 0], pg: extraPids.pg, redis: extraPids.redis, loads: loads.map((load) => load.pid ?? 0) };
    // What node 2 and PostgreSQL use with nothing to do (jobs, event dispatch): part of any CPU per handshake.
    const idleFrom = cpuNow(pids);
    await sleep(5000);
    const idle = cpuPercent(idleFrom, cpuNow(pids));
    const before = await stats(second);
    await killChild(first.child);
    // The clients saw their connections drop; forget them, then everyone comes back at once.
    await Promise.all(loads.map((load) => ask(load, { type: 'idle:close' }, 'idle:closed')));
    if (db && settings.pgStats) await db.query('SELECT pg_stat_statements_reset()');
    const cpuBefore = cpuNow(pids);
    const opened = await open(second.url);
    const cpuAfter = cpuNow(pids);
    const statements = db && settings.pgStats ? await topStatements(db) : [];
    await sleep(2000);
    const after = await stats(second);
    if (settings.cpuProfile && label.startsWith('OKPay')) {
      // A heap snapshot of the node holding every connection (written next to the CPU profile).
      second.child.kill('SIGUSR2');
      await sleep(15_000);
    }
    const count = opened.reduce((total, result) => total + result.opened, 0);
    const seconds = (Math.max(...opened.map((result) => result.finishedAt)) - Math.min(...opened.map((result) => result.startedAt))) / 1000;
    const row = {
      round: stormRound,
      server: label,
      connections: tokens.length,
      openBeforeKill: initiallyOpen,
      reconnected: count,
      failed: opened.reduce((total, result) => total + result.failed, 0),
      errors: opened.flatMap((result) => result.errors).slice(0, 5),
      serverConnections: after.connections,
      seconds: round(seconds, 2),
      handshakesPerSecond: Math.round(count / seconds),
      handshakeMs: summarize(opened.flatMap((result) => result.handshakeMs)),
      cpuMsPerHandshake: cpuPer(cpuBefore, cpuAfter, count),
      idleCpuPercent: { node: idle.nodes, postgres: idle.postgres },
      cpuPercent: cpuPercent(cpuBefore, cpuAfter),
      rssBeforeMb: round(before.rss / 2 ** 20),
      rssAfterMb: round(after.rss / 2 ** 20),
      rssPerConnectionKb: round((after.rss - before.rss) / 1024 / Math.max(1, count)),
      heapPerConnectionKb: round((after.heapUsed - before.heapUsed) / 1024 / Math.max(1, count)),
      statementsPerHandshake: statements.map((row) => ({ ...row, perHandshake: round(row.calls / Math.max(1, count), 3) })),
    };
    stormRows.push(row);
    console.log(
      `  ${count} reconnected (${row.failed} failed) in ${row.seconds} s = ${row.handshakesPerSecond}/s, handshake p50 ${row.handshakeMs.p50} ms p99 ${row.handshakeMs.p99} ms; CPU ms/handshake node ${row.cpuMsPerHandshake.nodes} pg ${row.cpuMsPerHandshake.postgres} redis ${row.cpuMsPerHandshake.redis} (idle node ${idle.nodes}% pg ${idle.postgres}%); RSS ${row.rssBeforeMb} → ${row.rssAfterMb} MB (${row.rssPerConnectionKb} KB/conn)`,
    );
    for (const row of statements.slice(0, 5))
      console.log(
        `    ${(row.calls / Math.max(1, count)).toFixed(3)} × ${row.query.slice(0, 110)} (${row.totalMs} ms executing, ${row.planMs} ms planning, in all)`,
      );
    await Promise.all(loads.map((load) => ask(load, { type: 'idle:close' }, 'idle:closed')));
    for (const load of loads) await stopChild(load);
  };

  const passwordHash = '$argon2id$bench-placeholder-nobody-logs-in';
  /** A fresh, migrated database in the one cluster, with `count` customers (nobody logs in with a password). */
  const openDatabase = async (name: string, count: number) => {
    await ensureDatabase(cluster.urlFor('postgres'), name);
    const url = cluster.urlFor(name);
    await migrateDatabase(url);
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    if (settings.pgStats) await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const customers = await pool.query<{ id: string }>(
      `INSERT INTO customers (email, display_name, password_hash)
       SELECT 'bench' || n || '@okpay.local', 'Customer ' || n, $1 FROM generate_series(1, $2) AS n RETURNING id`,
      [passwordHash, count],
    );
    return { url, db: pool, customerIds: customers.rows.map((row) => row.id) };
  };

  try {
    // Rounds after the first are storms only, alternating with bare's, so a slower or busier moment
    // of the machine falls on both sides; each round on databases and nodes of its own.
    for (let stormRound = 1; stormRound <= settings.stormRounds; stormRound++) {
      const scenarios = stormRound === 1 ? settings.scenarios : ['storm'];
      const suffix = stormRound === 1 ? '' : `_r${stormRound}`;
      for (const adapter of settings.adapters) {
        // The chat and the storm each on a database of their own: the storm's node does not inherit the
        // chat's jobs (SLA clocks, events) and its idle CPU is its own.
        const {
          url: databaseUrl,
          db,
          customerIds: chatCustomerIds,
        } = await openDatabase(`okpay_${adapter}${suffix}`, settings.chatCustomers);
        const redis = adapter === 'redis' ? await startRedis() : undefined;
        if (redis) children.push(redis.child);
        try {
          const agents = await db.query<{ id: string }>(
            `INSERT INTO staff_members (email, display_name, role, password_hash, chat_capacity)
           SELECT 'bench.agent' || n || '@okpay.local', 'Agent ' || n, 'agent', $1, $2 FROM generate_series(1, $3) AS n RETURNING id`,
            [passwordHash, capacity, settings.chatAgents],
          );
          const token = (identity: { kind: 'customer'; customerId: string } | { kind: 'staff'; staffId: string }) =>
            signRealtimeToken(sessionSecret, identity, new Date()).token;
          const countMessages = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM messages')).rows[0]?.n ?? 0);

          const startNodes = async (count: number, name: string, url: string) => {
            console.log(`\n[${adapterName(adapter)}] starting ${count} nodes…`);
            const nodes: NodeHandle[] = [];
            for (let index = 0; index < count; index++)
              nodes.push(
                await startServer(
                  'server',
                  {
                    databaseUrl: url,
                    // Each node its own data folder: whatever nodes share comes from the environment or the database.
                    dataDir: path.join(dataDir, `${adapter}-${name}-${index + 1}`),
                    poolSize: settings.poolSize,
                    sessionSecret,
                    capacity,
                    // Inbound SMTP on a port of each node's own (they would all want 2525).
                    env: { INBOUND_SMTP_PORT: '0', ...(redis ? { REDIS_URL: redis.url } : {}) },
                  },
                  settings.cpuProfile && name === 'storm',
                ),
              );
            return nodes;
          };

          if (scenarios.includes('chat')) {
            const nodes = await startNodes(settings.nodes, 'node', databaseUrl);
            console.log(
              `[${adapterName(adapter)}] chat: ${settings.chatCustomers} customers, ${settings.chatAgents} agents (capacity ${capacity})…`,
            );
            const loads: ChildProcess[] = [];
            for (let index = 0; index < settings.chatLoadProcesses; index++) loads.push(await startLoad());
            // Group g: agents connected to node g+1, their customers to node g. Groups are set up one
            // after the other, so each group's customers fill exactly its own agents' capacity.
            let agentOffset = 0;
            let customerOffset = 0;
            for (let group = 0; group < settings.nodes; group++) {
              const size = Math.floor(settings.chatAgents / settings.nodes) + (group < settings.chatAgents % settings.nodes ? 1 : 0);
              const groupAgents = agents.rows.slice(agentOffset, agentOffset + size);
              const groupCustomers = chatCustomerIds.slice(customerOffset, customerOffset + size * capacity);
              agentOffset += size;
              customerOffset += groupCustomers.length;
              const customerNode = nodes[group] as NodeHandle;
              const agentNode = nodes[(group + 1) % nodes.length] as NodeHandle;
              const load = loads[group % loads.length] as ChildProcess;
              const ready = await ask<Ipc & { conversations: number; seconds: number }>(
                load,
                {
                  type: 'chat:setup',
                  url: customerNode.url,
                  agentUrl: agentNode.url,
                  agents: groupAgents.map((agent) => ({ id: agent.id, token: token({ kind: 'staff', staffId: agent.id }) })),
                  customers: groupCustomers.map((id) => token({ kind: 'customer', customerId: id })),
                },
                'chat:ready',
              );
              console.log(
                `  customers on node ${group + 1}, their ${size} agents on node ${((group + 1) % nodes.length) + 1}: ${ready.conversations} conversations in ${ready.seconds} s`,
              );
            }
            const pids = {
              nodes: nodes.map((node) => node.child.pid ?? 0),
              pg: pgPid,
              redis: redis?.child.pid,
              loads: loads.map((load) => load.pid ?? 0),
            };
            const runStep = async (rate: number, seconds: number, tag: string) => {
              await sleep(settings.settleMs);
              const startedAt = new Date().toISOString();
              const persistedBefore = await countMessages();
              const before = cpuNow(pids);
              const during = sleep(seconds * 1000).then(() => cpuNow(pids));
              const results = await runChatStep(loads, { rate, seconds, drainSeconds: settings.drainSeconds, tag });
              const duringSnapshot = await during;
              const persisted = (await countMessages()) - persistedBefore;
              const tally = tallyChatResults(results);
              const { sent, delivered, errors, latencyMs: latency } = tally;
              return {
                adapter,
                startedAt,
                targetRate: rate,
                ...tally,
                persisted,
                cpuPercent: cpuPercent(before, duringSnapshot),
                cpuMsPerMessage: cpuPer(before, duringSnapshot, Math.min(sent, Math.round(rate * seconds))),
                holds: latency.p99 <= p99GoalMs && errors === 0 && delivered === sent && persisted === sent && sent > 0,
              };
            };
            console.log(`  warm-up ${settings.warmupSeconds} s at ${settings.rates[0]} msg/s`);
            await runStep(settings.rates[0] ?? 500, settings.warmupSeconds, `w${adapter}`);
            for (const [index, rate] of settings.rates.entries()) {
              const row = await runStep(rate, settings.seconds, `r${index}${adapter}`);
              chatRows.push(row);
              const cpu = row.cpuPercent;
              console.log(
                `  ${rate} msg/s: delivered ${row.deliveredPerSecond}/s across nodes, persisted ${row.persisted}/${row.sent}, p50 ${row.latencyMs.p50} ms, p99 ${row.latencyMs.p99} ms, errors ${row.errors}, CPU % nodes ${cpu.nodes} pg ${cpu.postgres} redis ${cpu.redis} load ${cpu.load} other ${cpu.other}, CPU ms/msg nodes ${row.cpuMsPerMessage.nodes} pg ${row.cpuMsPerMessage.postgres} redis ${row.cpuMsPerMessage.redis}`,
              );
              if (row.latencyMs.p99 > 10 * p99GoalMs || row.delivered < 0.9 * row.sent) break;
            }
            for (const load of loads) await stopChild(load);
            for (const node of nodes) await stopChild(node.child);
          }

          if (scenarios.includes('storm')) {
            // Fresh nodes, like bare Socket.IO's: the memory per connection is the storm's alone.
            const stormDatabase = await openDatabase(`okpay_${adapter}_storm${suffix}`, settings.stormConnections);
            const nodes = await startNodes(2, 'storm', stormDatabase.url);
            await storm(
              stormRound,
              `OKPay, ${adapterName(adapter)}`,
              nodes,
              stormDatabase.customerIds.map((id) => token({ kind: 'customer', customerId: id })),
              { pg: pgPid, redis: redis?.child.pid },
              stormDatabase.db,
            );
            for (const node of nodes) await stopChild(node.child);
            await stormDatabase.db.end();
          }
        } finally {
          await db.end();
          if (redis) await killChild(redis.child, 'SIGTERM');
        }
      }

      if (scenarios.includes('storm') && settings.stormBare) {
        const args: ServerArgs = { databaseUrl: '', dataDir: path.join(dataDir, `bare${suffix}`), poolSize: 0, sessionSecret, capacity };
        // The surviving node is profiled too (BENCH_CPU_PROF=1), to compare with OKPay's.
        const nodes = [await startServer('bare', args), await startServer('bare', args, settings.cpuProfile)];
        // bare Socket.IO reads `kind:id` tokens and checks nothing.
        await storm(
          stormRound,
          'bare Socket.IO',
          nodes,
          Array.from({ length: settings.stormConnections }, (_, index) => `customer:bare-${index}`),
          { pg: pgPid },
        );
        for (const node of nodes) await stopChild(node.child);
      }
    }

    const loadAtEnd = loadAverage();
    if (chatRows.length > 0) {
      const adapters = settings.adapters;
      const headers = ['target msg/s'];
      for (const adapter of adapters)
        headers.push(
          `${adapterName(adapter)}: delivered/s`,
          'persisted',
          'cross-node p50 ms',
          'p99 ms',
          'errors',
          'CPU ms/msg nodes + pg + redis',
          `p99 ≤ ${p99GoalMs}`,
        );
      const rows = settings.rates
        .filter((rate) => chatRows.some((row) => row.targetRate === rate))
        .map((rate) => {
          const cells: string[] = [String(rate)];
          for (const adapter of adapters) {
            const row = chatRows.find((candidate) => candidate.adapter === adapter && candidate.targetRate === rate);
            if (!row) {
              cells.push('—', '—', '—', '—', '—', '—', '—');
              continue;
            }
            const latency = row.latencyMs as ReturnType<typeof summarize>;
            const cpu = row.cpuMsPerMessage as ReturnType<typeof cpuPer>;
            cells.push(
              String(row.deliveredPerSecond),
              `${row.persisted}/${row.sent}`,
              String(latency.p50),
              String(latency.p99),
              String(row.errors),
              `${cpu.nodes} + ${cpu.postgres} + ${cpu.redis}`,
              row.holds ? 'yes' : 'no',
            );
          }
          return cells;
        });
      printMarkdownTable(
        `bench:chat-nodes on ${info.cpus} cores (${info.cpuModel}), Node ${process.version}: ${settings.nodes} nodes, customers on one node and their agents on the next, ${settings.chatCustomers} customers ↔ ${settings.chatAgents} agents, ${settings.seconds} s per rate; load average ${loadAtStart} → ${loadAtEnd}`,
        headers,
        rows,
      );
    }
    const bareOf = (stormRound: unknown) => stormRows.find((row) => row.server === 'bare Socket.IO' && row.round === stormRound);
    const percentOfBare = (row: Record<string, unknown>) => {
      const bare = bareOf(row.round);
      return bare ? Math.round((Number(row.handshakesPerSecond) / Number(bare.handshakesPerSecond)) * 100) : undefined;
    };
    if (stormRows.length > 0)
      printMarkdownTable(
        `Reconnect storm: ${settings.stormConnections} widgets on a node that is killed, all reconnecting to another node (${settings.stormLoadProcesses} client processes, ${settings.stormConcurrency} handshakes in flight each); load average ${loadAtStart} → ${loadAtEnd}`,
        [
          'server',
          ...(settings.stormRounds > 1 ? ['round'] : []),
          'reconnected',
          'failed',
          'handshakes/s',
          '% of bare',
          'handshake p50 ms',
          'p99 ms',
          'CPU ms/handshake node + pg + redis',
          'idle CPU % node / pg',
          'CPU % other',
          'RSS before → after MB',
          'KB/conn',
        ],
        stormRows.map((row) => {
          const handshake = row.handshakeMs as ReturnType<typeof summarize>;
          const cpu = row.cpuMsPerHandshake as ReturnType<typeof cpuPer>;
          const percent = percentOfBare(row);
          return [
            String(row.server),
            ...(settings.stormRounds > 1 ? [String(row.round)] : []),
            `${row.reconnected}/${row.connections}`,
            String(row.failed),
            String(row.handshakesPerSecond),
            percent === undefined ? '—' : `${percent} %`,
            handshake.p50,
            handshake.p99,
            `${cpu.nodes} + ${cpu.postgres} + ${cpu.redis}`,
            `${(row.idleCpuPercent as { node: number }).node} / ${(row.idleCpuPercent as { postgres: number }).postgres}`,
            String((row.cpuPercent as ReturnType<typeof cpuPercent>).other),
            `${row.rssBeforeMb} → ${row.rssAfterMb}`,
            String(row.rssPerConnectionKb),
          ];
        }),
      );
    // With several rounds, each server's middle round: one run's answer that a busy moment moves less.
    const stormMedians =
      settings.stormRounds > 1
        ? [...new Set(stormRows.map((row) => String(row.server)))].map((server) => {
            const rows = stormRows.filter((row) => row.server === server);
            const percents = rows.map(percentOfBare).filter((value): value is number => value !== undefined);
            const p99s = rows.map((row) => (row.handshakeMs as ReturnType<typeof summarize>).p99);
            return {
              server,
              rounds: rows.length,
              handshakesPerSecond: median(rows.map((row) => Number(row.handshakesPerSecond))),
              percentOfBare: percents.length > 0 ? median(percents) : undefined,
              percentOfBareByRound: percents,
              p99Ms: median(p99s),
              p99MaxMs: Math.max(...p99s),
            };
          })
        : [];
    for (const row of stormMedians)
      console.log(
        `median of ${row.rounds} rounds, ${row.server}: ${row.handshakesPerSecond} handshakes/s${row.percentOfBare === undefined ? '' : `, ${row.percentOfBare} % of bare (rounds: ${row.percentOfBareByRound.join(', ')} %)`}, p99 ${row.p99Ms} ms (at most ${row.p99MaxMs})`,
      );
    const written = await writeResults('chat-nodes', {
      benchmark: 'chat-nodes',
      machine: info,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      cpuCalibrationMs: calibrationMs,
      settings: {
        ...settings,
        capacity,
        p99GoalMs,
        socketIo: (createRequire(import.meta.url)('socket.io/package.json') as { version: string }).version,
      },
      chat: chatRows,
      storm: stormRows,
      ...(stormMedians.length > 0 ? { stormMedians } : {}),
    });
    console.log(`\nresults written to ${path.relative(process.cwd(), written)}`);
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
