import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepChatOpenAllDay } from './hours.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const serverMain = path.join(repoRoot, 'server/dist/main.js');
const webIndex = path.join(repoRoot, 'web/dist/index.html');

export const demoPassword = 'OKPay-Welcome-2026';

export type RunningServer = { url: string; output(): string; stop(): Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts the built server (`node server/dist/main.js`) as its own process with a fresh data
 * directory, so its embedded PostgreSQL starts empty and the demo accounts are seeded. Chat is
 * kept open around the clock unless `shippedHours` asks for the shipped calendars.
 */
export async function startServer(options: { smtpUrl: string; readyTimeoutMs?: number; shippedHours?: boolean }): Promise<RunningServer> {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing; run \`npx tsc -b\` first`);
  if (!existsSync(webIndex)) throw new Error(`${webIndex} is missing; run \`npm run build -w web\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-e2e-'));
  const logs: string[] = [];
  const output = () => logs.join('').slice(-8_000);

  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      SMTP_URL: options.smtpUrl,
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'true',
      // Settings a developer's shell might carry must not reach this server.
      DATABASE_URL: '',
      SESSION_SECRET: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the test run itself dies, do not leave a server (and its PostgreSQL) behind.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    process.off('exit', stopOnExit);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(url, child, output, options.readyTimeoutMs ?? 90_000);
    if (!options.shippedHours) await keepChatOpenAllDay(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output, stop };
}
