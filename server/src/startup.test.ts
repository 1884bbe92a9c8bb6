import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const mainScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

async function waitForReady(port: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server not ready in time:\n${output()}`);
}

function startServer(dataDir: string, port: number) {
  let output = '';
  const child = spawn(process.execPath, [mainScript], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function stopServer(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

const dataDirs: string[] = [];
afterAll(async () => {
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('the built server on an empty data directory', () => {
  it('starts, seeds, stops on SIGTERM and starts again on the same data without seeding twice', async () => {
    expect(existsSync(mainScript), 'build the server first (tsc -b)').toBe(true);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-startup-'));
    dataDirs.push(dataDir);
    const port = await freePort();

    const first = startServer(dataDir, port);
    await waitForReady(port, first.child, first.output);
    expect(first.output()).toContain('demo@okpay.local');
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@okpay.local', password: 'OKPay-Welcome-2026' }),
    });
    expect(login.status).toBe(200);
    expect(await stopServer(first.child)).toBe(0);
    expect(first.output()).not.toMatch(/error/i);

    const second = startServer(dataDir, port);
    await waitForReady(port, second.child, second.output);
    const { port: databasePort } = JSON.parse(await readFile(path.join(dataDir, 'postgres-owner.json'), 'utf8')) as { port: number };
    const password = await readFile(path.join(dataDir, 'postgres-password'), 'utf8');
    const client = new pg.Client({
      connectionString: `postgres://postgres:${encodeURIComponent(password.trim())}@127.0.0.1:${databasePort}/okpay`,
    });
    await client.connect();
    const customers = await client.query("select count(*)::int as n from customers where email = 'demo@okpay.local'");
    // Agent, supervisor, admin and the help-centre editor, once each.
    const staff = await client.query('select count(*)::int as n from staff_members');
    await client.end();
    expect(customers.rows[0]?.n).toBe(1);
    expect(staff.rows[0]?.n).toBe(4);
    expect(await stopServer(second.child)).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres-owner.json'))).toBe(false);
  }, 180_000);
});
