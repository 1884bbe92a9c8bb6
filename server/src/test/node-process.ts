import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../platform/free-port.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const serverMain = path.join(repoRoot, 'server/dist/main.js');

export type NodeProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  /** The last lines it wrote to stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, as an orchestrator stops a node, and waits for the exit (SIGKILL after 20 s). */
  stop(): Promise<number | null>;
};

export { freePort };

/** Polls /readyz until it answers 200; fails early when the process exits. */
export async function waitUntilReady(url: string, node: { child: ChildProcess; output(): string }, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.child.exitCode !== null)
      throw new Error(`the server exited with code ${node.child.exitCode} before it was ready:\n${node.output()}`);
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${node.output()}`);
}

/**
 * Runs the built server (`node server/dist/main.js`) as its own process, the way it runs in
 * production, with exactly the environment given (plus PATH, HOME, HOST and PORT).
 */
export function spawnNode(env: Record<string, string>, options: { port: number }): NodeProcess {
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing; run \`npx tsc -b\` first`);
  const logs: string[] = [];
  const child = spawn(process.execPath, [serverMain], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(options.port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If the test run itself dies, do not leave a server (and its PostgreSQL) behind.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  void exited.then(() => process.off('exit', stopOnExit));
  return {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    child,
    output: () => logs.join('').slice(-8_000),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}

/** Starts the built server and waits until it is ready. */
export async function startNode(env: Record<string, string>, options: { readyTimeoutMs?: number } = {}): Promise<NodeProcess> {
  const node = spawnNode(env, { port: await freePort() });
  try {
    await waitUntilReady(node.url, node, options.readyTimeoutMs);
  } catch (error) {
    await node.stop();
    throw error;
  }
  return node;
}
