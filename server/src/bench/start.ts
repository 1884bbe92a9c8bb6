import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../platform/index.js';
import { machine, printMarkdownTable, writeResults } from './harness.js';

/**
 * bench:start — seconds from `npm start` to a node that answers /readyz, as an operator meets it:
 * the first start on an empty data folder (the embedded PostgreSQL is initialised, migrated and
 * given demo data), then BENCH_START_ROUNDS (default 3) starts with nothing changed (no build,
 * the data reused). Each start is stopped with SIGTERM, as an orchestrator stops a node, and the
 * stop is timed too, until the node's embedded PostgreSQL has stopped (the next start needs its
 * data folder). Run it after a build (`npm run build`), as a second `npm start` would find it.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const rounds = Number(process.env.BENCH_START_ROUNDS ?? 3);
const goalSeconds = 5;

async function readyWithin(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) })).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`not ready within ${timeoutMs} ms`);
}

/** One `npm start` in its own process group: seconds to ready and to stopped. */
async function startOnce(dataDir: string): Promise<{ readySeconds: number; stopSeconds: number }> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  });
  const errors: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  try {
    await readyWithin(`http://127.0.0.1:${port}`, child, 180_000);
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${String(error)}\n${errors.join('').slice(-2_000)}`);
  }
  const readySeconds = (performance.now() - began) / 1000;
  const stopping = performance.now();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
  await exited;
  // npm's exit may precede the server's; wait until nothing answers on the port.
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(200) });
      await new Promise((resolve) => setTimeout(resolve, 25));
    } catch {
      break;
    }
  }
  // The node has stopped once its embedded PostgreSQL has too (it removes its pid file last).
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  const stopDeadline = performance.now() + 60_000;
  while (existsSync(pidFile)) {
    if (performance.now() > stopDeadline) throw new Error('the embedded PostgreSQL did not stop within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { readySeconds, stopSeconds: (performance.now() - stopping) / 1000 };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-bench-start-'));
  const loadBefore = os.loadavg().map((value) => Math.round(value * 100) / 100);
  try {
    const runs: Array<{ start: string; readySeconds: number; stopSeconds: number }> = [];
    runs.push({ start: 'first (empty data folder)', ...(await startOnce(dataDir)) });
    for (let round = 1; round <= rounds; round++) runs.push({ start: `again, nothing changed (${round})`, ...(await startOnce(dataDir)) });
    const loadAfter = os.loadavg().map((value) => Math.round(value * 100) / 100);
    const cores = machine();
    printMarkdownTable(
      `bench:start on ${cores.cpus} cores (${cores.cpuModel}), Node ${cores.node}, load average ${loadBefore.join(', ')} before; goal: ready ≤ ${goalSeconds} s with nothing changed`,
      ['start', 'ready s', 'stopped s'],
      runs.map((run) => [run.start, run.readySeconds.toFixed(2), run.stopSeconds.toFixed(2)]),
    );
    console.log(`load average at the end (1, 5, 15 min): ${loadAfter.join(', ')}`);
    const file = await writeResults('start', { machine: cores, loadAverageBefore: loadBefore, loadAverage: loadAfter, goalSeconds, runs });
    console.log(`\nwrote ${file}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
