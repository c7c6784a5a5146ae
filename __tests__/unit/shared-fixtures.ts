import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildImageOptions } from '../../src/image/plan.js';

/** ../shared beside the clone (as CI lays it out), or AFD_SHARED_DIR. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.AFD_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');

export function sharedPath(...parts: string[]): string {
  const path = join(SHARED_DIR, ...parts);
  if (!existsSync(path))
    throw new Error(`${path} is missing: the tests need ../shared beside the clone (or AFD_SHARED_DIR)`);
  return path;
}

/**
 * The committed bundle, run as a user runs it (npm run test:unit builds it first), bounded in time: a read that blocks is
 * a failure, not a hung test run.
 */
export function runCli(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
    // Node survives SIGTERM while blocked opening a FIFO: only SIGKILL bounds such a run.
    killSignal: 'SIGKILL',
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A docker build of `context` to reg.example.com/orders, as the image tests plan it. */
export const dockerBuild = (context: string, extra: Partial<BuildImageOptions> = {}): BuildImageOptions => ({
  build: 'docker',
  login: 'auto',
  server: 'reg.example.com',
  repository: 'orders',
  context,
  dockerfile: 'Dockerfile',
  buildArgs: {},
  platform: 'linux/amd64',
  ...extra,
});
