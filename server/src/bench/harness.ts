import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

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
