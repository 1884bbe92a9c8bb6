import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built operator CLI (`npm run typecheck` or `tsc -b` builds it). */
export const cliScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

/**
 * Runs `okpay …` as an operator would, in a process of its own with only PATH, silent logs and
 * `env`, and collects what it printed and how it ended.
 */
export function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [cliScript, ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
