import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnNode, waitUntilReady } from '../../server/src/test/node-process.ts';
import { keepChatOpenAllDay } from './hours.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const operatorCli = path.join(repoRoot, 'server/dist/cli.js');
const webIndex = path.join(repoRoot, 'web/dist/index.html');

export { freePort };

export const demoPassword = 'OKPay-Welcome-2026';

export type RunningServer = {
  url: string;
  output(): string;
  /** Runs an operator command (`npm run okpay -- …`) against this server's data, as an operator would. */
  operator(...args: string[]): Promise<string>;
  stop(): Promise<void>;
};

/**
 * Starts the built server (`node server/dist/main.js`) as its own process with a fresh data
 * directory, so its embedded PostgreSQL starts empty and the demo accounts are seeded. Chat is
 * kept open around the clock unless `shippedHours` asks for the shipped calendars.
 */
export async function startServer(options: {
  smtpUrl: string;
  readyTimeoutMs?: number;
  shippedHours?: boolean;
  inboundSmtpPort?: number;
  /** More settings for this server, e.g. a web build to serve (WEB_ROOT), push services to allow or `CSAT_EMAIL_DELAY_MINUTES`. */
  env?: Record<string, string>;
}): Promise<RunningServer> {
  if (!existsSync(webIndex)) throw new Error(`${webIndex} is missing; run \`npm run build -w web\` first`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-e2e-'));
  const node = spawnNode(
    {
      NODE_ENV: 'development',
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      SMTP_URL: options.smtpUrl,
      // Inbound mail only for journeys that send some, on a port of their own.
      INBOUND_SMTP_PORT: String(options.inboundSmtpPort ?? 0),
      INBOUND_SMTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'true',
      ...options.env,
    },
    { port },
  );
  const stop = async () => {
    await node.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, node, options.readyTimeoutMs ?? 90_000);
    if (!options.shippedHours) await keepChatOpenAllDay(url);
  } catch (error) {
    await stop();
    throw error;
  }
  const operator = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const command = spawn(process.execPath, [operatorCli, ...args], {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, DATABASE_URL: '', SESSION_SECRET: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let printed = '';
      command.stdout?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
      });
      command.stderr?.on('data', (chunk: Buffer) => {
        printed += chunk.toString();
      });
      command.once('exit', (code) =>
        code === 0 ? resolve(printed) : reject(new Error(`okpay ${args[0]} exited with ${code}:\n${printed}`)),
      );
    });
  return { url, output: node.output, operator, stop };
}
