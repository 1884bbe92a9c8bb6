import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type NodeProcess, serverMain, spawnNode, waitUntilReady } from './test/node-process.js';

const nodes: NodeProcess[] = [];

/** A node on ports of its own (HTTP and inbound mail), so runs side by side never meet. */
async function startServer(dataDir: string, port: number) {
  const node = spawnNode(
    { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', INBOUND_SMTP_PORT: String(await freePort()) },
    { port },
  );
  nodes.push(node);
  return node;
}

const dataDirs: string[] = [];
afterAll(async () => {
  // A failed run leaves no node behind holding its ports and data.
  for (const node of nodes) await node.stop().catch(() => undefined);
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

describe('the built server on an empty data directory', () => {
  it('starts, seeds, stops on SIGTERM and starts again on the same data without seeding twice', async () => {
    expect(existsSync(serverMain), 'build the server first (tsc -b)').toBe(true);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'okpay-startup-'));
    dataDirs.push(dataDir);
    const port = await freePort();

    const first = await startServer(dataDir, port);
    await waitUntilReady(first.url, first);
    expect(first.output()).toContain('demo@okpay.local');
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@okpay.local', password: 'OKPay-Welcome-2026' }),
    });
    expect(login.status).toBe(200);
    expect(await first.stop()).toBe(0);
    expect(first.output()).not.toMatch(/error/i);

    const second = await startServer(dataDir, port);
    await waitUntilReady(second.url, second);
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
    expect(await second.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'postgres-owner.json'))).toBe(false);
  }, 180_000);
});
