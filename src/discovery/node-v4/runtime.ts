import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { type AppManifest, mainFiles, readAppManifest, staleBuildWarning, typescriptSources } from './entry-files.js';
import type { IndexedFunction } from '../code-first.js';
import { type ChildReport, type ChildRequest, type LoadFailure, loadAppRecordingFunctions } from './runtime-child.js';

/**
 * `indexer: runtime` for Node.js v4 apps: the functions @azure/functions itself registers when the worker loads the
 * app, for registrations computed as it loads. It runs the app's code, so in a child process of its own (never in
 * ours), with the app's own installed library, the app root as its working folder, the app's settings as its only
 * environment and a time limit. Loaded only when `indexer: runtime` is given.
 */

/** How long the app's entry files may take to load. */
export const LOAD_TIME_LIMIT_MS = 30_000;

/** Values this short are configuration, not credentials (the masking rule of platform.ts). */
const MIN_HIDDEN_LENGTH = 4;
/** The app's error is shown this long at most. */
const MAX_MESSAGE_LENGTH = 300;
/** The report of thousands of functions fits many times over; more is the app writing, and is not kept. */
const MAX_REPORT_BYTES = 8 << 20;

export async function indexNodeAppAtRuntime(
  root: string,
  settings: Readonly<Record<string, string>>,
  warnings: string[],
  timeLimitMs = LOAD_TIME_LIMIT_MS,
): Promise<IndexedFunction[]> {
  const manifest = readAppManifest(root);
  if (manifest === undefined) return [];
  const files = builtEntryFiles(root, manifest, warnings);
  requireInstalledLibrary(root);
  // Node names a loaded file by its real path (symlinks resolved), so the child places the app by the root's.
  const request: ChildRequest = {
    root: realpathSync(root),
    files: files.map((path) => ({ path: realpathSync(path), esm: isEsModule(path, manifest) })),
  };
  const report = await loadInChild(request, settings, timeLimitMs);
  if (report.failure !== undefined) throw loadFailure(root, report.failure, settings);
  return report.functions.map((fn) => ({
    name: fn.name,
    source: join(root, fn.site),
    // `properties` is the worker's side channel to the host (supportsDeferredBinding), not a function.json property.
    bindings: fn.bindings.map(({ properties, ...binding }) => (void properties, binding)),
  }));
}

/** What the worker loads: the build output `main` matches; a TypeScript app not built yet has none. */
function builtEntryFiles(root: string, manifest: AppManifest, warnings: string[]): string[] {
  const built = mainFiles(root, manifest.main);
  const sources = typescriptSources(root, manifest.main);
  if (built.length === 0) {
    throw new UserError(
      `${manifest.path}: "main" ('${manifest.main}') matches no file: ` +
        (sources.length > 0
          ? `indexer 'runtime' loads the build output, as the worker does: build the app first (e.g. 'npm run build')`
          : `point "main" at the files that register the functions`),
      manifest.path,
    );
  }
  const stale = staleBuildWarning(built, sources, manifest.path, manifest.main);
  if (stale !== undefined) warnings.push(stale);
  return built;
}

/** The app's own @azure/functions, found as the worker's require() finds it: from the app, up its node_modules. */
function requireInstalledLibrary(root: string): void {
  try {
    createRequire(join(resolve(root), 'package.json')).resolve('@azure/functions');
  } catch {
    throw new UserError(
      `input 'indexer': 'runtime' loads the app with its own @azure/functions, which is not installed in '${root}': ` +
        `install the app's dependencies first ('npm ci', or 'npm install', in app-path)`,
    );
  }
}

/** The worker's rule (loadScriptFile.ts): .mjs is an ES module, .cjs is not, others follow package.json `type`. */
function isEsModule(file: string, manifest: AppManifest): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return manifest.type === 'module';
}

/**
 * The child: `node --eval` of the loader's own source, so nothing but this chunk has to be found on disk. Its stdin
 * is closed and its stderr (the app's console output, which may print anything) dropped; its stdout holds the report.
 */
async function loadInChild(
  request: ChildRequest,
  settings: Readonly<Record<string, string>>,
  timeLimitMs: number,
): Promise<ChildReport> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '--eval', `await (${loadAppRecordingFunctions.toString()})(${JSON.stringify(request)});`],
    { cwd: request.root, env: childEnvironment(settings), stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const output: Buffer[] = [];
  let stopped: 'time limit' | 'output limit' | undefined;
  const stop = (why: typeof stopped) => {
    stopped ??= why;
    child.kill('SIGKILL');
  };
  let received = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > MAX_REPORT_BYTES) stop('output limit');
    else output.push(chunk);
  });
  const timer = setTimeout(() => stop('time limit'), timeLimitMs);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal }));
  }).finally(() => clearTimeout(timer));
  if (stopped === 'time limit') {
    throw new UserError(
      `input 'indexer': the app's entry files did not finish loading within ${timeLimitMs / 1000} s (a top-level ` +
        `await or a loop that never ends?): fix the app's loading, or list its functions in the 'triggers' input`,
    );
  }
  if (stopped === 'output limit') {
    throw new UserError(
      `input 'indexer': the app wrote more than ${MAX_REPORT_BYTES >> 20} MiB to the file descriptor of the ` +
        `standard output itself as it loaded, where the functions it registers are reported`,
    );
  }
  const last = Buffer.concat(output).toString('utf8').trimEnd().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ChildReport;
  } catch {
    const how = ended.signal !== null ? `signal ${ended.signal}` : `exit code ${ended.code}`;
    // 13: Node's own code for a top-level await that never settled (the child awaits the app's).
    const why = ended.code === 13 ? ' (a top-level await that never settled)' : '';
    throw new UserError(
      `input 'indexer': the app's code ended the process (${how})${why} before its entry files finished loading`,
    );
  }
}

/**
 * The worker's environment in the cluster holds the app's settings (the Secret the pods read): a registration that
 * reads one as it loads gets the value it will have there. Nothing of ours: not this process's environment, its
 * tokens or credentials, nor NODE_OPTIONS.
 */
function childEnvironment(settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...settings };
  // Node itself needs it on Windows.
  if (process.platform === 'win32' && process.env.SystemRoot !== undefined)
    environment.SystemRoot = process.env.SystemRoot;
  return environment;
}

/**
 * The app's own words, first line only: it may quote a setting it was given (each value is hidden), or a secret of its
 * own, which no one here can know, so never more than that line.
 */
function loadFailure(root: string, failure: LoadFailure, settings: Readonly<Record<string, string>>): UserError {
  const site = /^(.*):(\d+)$/.exec(failure.site);
  const file = join(root, site?.[1] ?? failure.site);
  const where = site === null ? file : `${file}:${site[2]}`;
  const line = site === null ? undefined : Number(site[2]);
  if (failure.missingPackage !== undefined) {
    return new UserError(
      `${where}: package '${failure.missingPackage}' is not installed, so indexer 'runtime' cannot load the app: ` +
        `install the app's dependencies first ('npm ci', or 'npm install', in app-path)`,
      file,
      line,
    );
  }
  let message = failure.message;
  const hidden = Object.entries(settings)
    .filter(([name, value]) => name !== 'FUNCTIONS_WORKER_RUNTIME' && value.trim().length >= MIN_HIDDEN_LENGTH)
    .map(([, value]) => value)
    // The longest first: a value that holds another is hidden whole.
    .sort((a, b) => b.length - a.length);
  for (const value of hidden) message = message.split(value).join('***');
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
  return new UserError(`${where}: the app threw while loading (indexer 'runtime'): ${message}`, file, line);
}
