import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexedFunction } from '../../src/discovery/code-first.js';
import { REPO_ROOT } from './shared-fixtures.js';

/**
 * The Python the oracle runs: a virtual environment with the real azure-functions and azure-functions-durable from
 * PyPI at the pinned versions (their dependencies pinned too), made the first time and kept in the cache, keyed by
 * the pins. What CI needs is made here, by the test itself.
 */

const PINS = join(REPO_ROOT, '__tests__', 'fixtures', 'python-oracle-requirements.txt');

export function pinnedVersion(name: string): string {
  const line = readFileSync(PINS, 'utf8')
    .split('\n')
    .find((entry) => entry.toLowerCase().startsWith(`${name}==`));
  if (line === undefined) throw new Error(`${PINS} does not pin ${name}`);
  return line.slice(name.length + 2).trim();
}

export function oraclePython(): string {
  const pins = readFileSync(PINS, 'utf8');
  const cache = process.env.AFD_CACHE_DIR ?? join(homedir(), '.cache', 'aks-functions-deploy');
  const key = `azure-functions-${pinnedVersion('azure-functions')}-durable-${pinnedVersion('azure-functions-durable')}`;
  const venv = join(cache, `python-oracle-${key}`);
  const python = join(venv, 'bin', 'python');
  const stamp = join(venv, '.installed');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === pins) return python;
  // Made beside its place and moved in whole: a second run at the same time never sees half an environment.
  const building = `${venv}.tmp-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  const step = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000 });
    if (result.status !== 0)
      throw new Error(`${command} ${args.join(' ')} failed: ${result.error ?? ''}${result.stdout}${result.stderr}`);
  };
  // azure-functions 1.x supports Python 3.10 to 3.12; python3 on PATH is the machine's.
  step('python3', ['-c', 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12), sys.version']);
  step('python3', ['-m', 'venv', building]);
  step(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', PINS]);
  writeFileSync(join(building, '.installed'), pins);
  rmSync(venv, { recursive: true, force: true });
  renameSync(building, venv);
  return python;
}

/** What the worker answers for an app: its functions, or why it refuses the app (the exception's type and text). */
export type WorkerIndex = IndexedFunction[] | WorkerRefusal;

export class WorkerRefusal extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(`the worker refuses the app: ${type}: ${message}`);
  }
}

const WORKER_INDEX = join(REPO_ROOT, '__tests__', 'unit', 'python-worker-index.py');

/**
 * The app indexed the way the Python worker does it (python-worker-index.py says how), with the pinned libraries,
 * the app's settings as its environment and nothing of this process's but PATH.
 */
export function workerIndex(root: string, settings: Record<string, string> = {}): Promise<WorkerIndex> {
  const answerFile = join(mkdtempSync(join(tmpdir(), 'afd-worker-index-')), 'answer.json');
  return new Promise((resolve, reject) => {
    execFile(
      oraclePython(),
      ['-I', WORKER_INDEX, root, answerFile],
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...settings }, timeout: 120_000, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        if (!existsSync(answerFile)) {
          reject(new Error(`python-worker-index.py gave no answer for ${root}: ${error?.message ?? ''} ${stderr}`));
          return;
        }
        const answer = JSON.parse(readFileSync(answerFile, 'utf8')) as WorkerAnswer;
        rmSync(join(answerFile, '..'), { recursive: true, force: true });
        if ('error' in answer) resolve(new WorkerRefusal(answer.error.type, answer.error.message));
        else {
          const script = settings.PYTHON_SCRIPT_FILE_NAME || 'function_app.py';
          resolve(
            answer.functions.map((fn) => ({
              name: fn.name,
              source: fn.file === null ? join(root, script) : `${join(root, fn.file)}:${fn.line}`,
              bindings: fn.bindings,
            })),
          );
        }
      },
    );
  });
}

type WorkerAnswer =
  | { functions: { name: string; file: string | null; line: number | null; bindings: Record<string, unknown>[] }[] }
  | { error: { type: string; message: string } };
