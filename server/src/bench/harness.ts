import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A benchmark's numeric knob from the environment. */
export const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** A benchmark's list knob from the environment (comma-separated). */
export const listFrom = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export type Sample = {
  scenario: string;
  concurrency: number;
  operations: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  errors: number;
};

export function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** Runs `operation` from `concurrency` workers for `seconds`, timing each call. */
export async function measure(
  scenario: string,
  concurrency: number,
  seconds: number,
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<Sample> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        const begin = performance.now();
        try {
          await operation(worker, iteration);
          latencies.push(performance.now() - begin);
        } catch (error) {
          errors += 1;
          if (errors <= 3) console.error(`  ${scenario}: ${String(error)}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((left, right) => left - right);
  return {
    scenario,
    concurrency,
    operations: latencies.length,
    seconds: Number(elapsed.toFixed(2)),
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
    p95Ms: Number(percentile(latencies, 0.95).toFixed(2)),
    p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    errors,
  };
}

export function printTable(title: string, samples: Sample[]): void {
  console.log(`\n${title}`);
  console.log('| scenario | clients | ops | ops/s | p50 ms | p95 ms | p99 ms | errors |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const sample of samples) {
    console.log(
      `| ${sample.scenario} | ${sample.concurrency} | ${sample.operations} | ${sample.perSecond} | ${sample.p50Ms} | ${sample.p95Ms} | ${sample.p99Ms} | ${sample.errors} |`,
    );
  }
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
}

export async function writeResults(name: string, data: unknown): Promise<string> {
  const directory = path.resolve(process.cwd(), 'bench/results');
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${name}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** A markdown table with any columns: `rows` are already-formatted cells. */
export function printMarkdownTable(title: string, headers: string[], rows: Array<Array<string | number>>): void {
  console.log(`\n${title}`);
  console.log(`| ${headers.join(' | ')} |`);
  console.log(`|${headers.map((_, index) => (index === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

// CPU accounting from /proc: a benchmark's server, its load and PostgreSQL (postmaster and its children).

const clockTicks = 100;

export function procStat(pid: number): { ppid: number; own: number; children: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const at = (index: number) => Number(fields[index] ?? 0);
    return { ppid: at(1), own: (at(11) + at(12)) / clockTicks, children: (at(13) + at(14)) / clockTicks };
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process; with `tree`, plus its live children and every child it has reaped. */
export function cpuSeconds(pid: number | undefined, tree = false): number {
  if (!pid) return 0;
  const root = procStat(pid);
  if (!root) return 0;
  if (!tree) return root.own;
  let total = root.own + root.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat?.ppid === pid) total += stat.own;
  }
  return total;
}

export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((sum, value) => sum + value, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / clockTicks, total: total / clockTicks };
}

/**
 * A fixed piece of single-threaded work, timed: on a shared virtual machine the same code runs
 * slower when the host is busy, and runs are only comparable at similar calibration times.
 */
export function cpuCalibrationMs(): number {
  const spin = (iterations: number) => {
    let value = 0;
    for (let index = 0; index < iterations; index++) value = (Math.imul(value, 31) + index) | 0;
    return value;
  };
  // Warm up until the loop is optimised, then time five runs and keep the median.
  for (let attempt = 0; attempt < 5; attempt++) spin(5_000_000);
  const times: number[] = [];
  let sink = 0;
  for (let attempt = 0; attempt < 5; attempt++) {
    const begin = performance.now();
    sink ^= spin(50_000_000);
    times.push(performance.now() - begin);
  }
  if (sink === 0.5) console.log('unreachable');
  return Number((times.sort((left, right) => left - right)[2] ?? 0).toFixed(1));
}

/**
 * The settings a benchmark's OKPay node starts with: production on loopback, a port of its own,
 * fresh secrets, no demo data, the sandbox bank, warnings only. Each bench adds what it needs.
 */
export function benchNodeEnv(node: {
  databaseUrl: string;
  poolSize: number;
  dataDir: string;
  sessionSecret: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1',
    DATABASE_URL: node.databaseUrl,
    DATABASE_POOL_SIZE: String(node.poolSize),
    DATA_DIR: node.dataDir,
    SESSION_SECRET: node.sessionSecret,
    CARD_FINGERPRINT_SECRET: randomBytes(32).toString('hex'),
    DOCUMENT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    ACQUIRER: 'sandbox',
  };
}
