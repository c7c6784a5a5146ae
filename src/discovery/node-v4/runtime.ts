import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { type AppManifest, mainFiles, readAppManifest, staleBuildWarning, typescriptSources } from './entry-files.js';
import type { IndexedFunction } from '../code-first.js';
import { appMessage, CHANNEL_FD, MAX_CHANNEL_BYTES, runIndexingChild } from '../runtime-child-process.js';
import {
  type ChildReport,
  type ChildRequest,
  type LoadFailure,
  loadAppRecordingFunctions,
  openChannel,
} from './runtime-child.js';

/**
 * `indexer: runtime` for Node.js v4 apps: the functions @azure/functions itself registers when the worker loads the
 * app, for registrations computed as it loads. It runs the app's code, so in a child process of its own (never in
 * ours), with the app's own installed library, the app root as its working folder, the app's settings as its only
 * environment and a time limit. Loaded only when `indexer: runtime` is given.
 */

/** How long the app's entry files may take to load. */
export const LOAD_TIME_LIMIT_MS = 30_000;

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
  const report = await loadInChild(root, request, settings, timeLimitMs, manifest.path);
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
 * The child: `node --eval` of the loader's own source, so nothing but this chunk has to be found on disk. Its answer
 * comes on the channel runIndexingChild gives it; what the app prints is dropped.
 */
async function loadInChild(
  root: string,
  request: ChildRequest,
  settings: Readonly<Record<string, string>>,
  timeLimitMs: number,
  manifestPath: string,
): Promise<ChildReport> {
  const outcome = await runIndexingChild({
    command: process.execPath,
    args: [
      '--input-type=module',
      '--eval',
      `await (${loadAppRecordingFunctions.toString()})(${JSON.stringify(request)}, ` +
        `await (${openChannel.toString()})(${CHANNEL_FD}));`,
    ],
    cwd: request.root,
    settings,
    timeLimitMs,
  });
  // The entry file it was loading when it stopped, else package.json (whose `main` names them).
  const loadingFile = (loading: string | undefined) => (loading === undefined ? manifestPath : join(root, loading));
  switch (outcome.kind) {
    case 'answered':
      return outcome.answer as ChildReport;
    case 'time limit': {
      const file = loadingFile(outcome.loading);
      throw new UserError(
        `${file}: indexer 'runtime' stopped the app at its time limit of ${timeLimitMs / 1000} s, still loading ` +
          `this file (a top-level await or a loop that never ends?): fix the app's loading, or list its functions ` +
          `in the 'triggers' input`,
        file,
      );
    }
    case 'output limit':
      throw new UserError(
        `input 'indexer': the app wrote more than ${MAX_CHANNEL_BYTES >> 20} MiB to the file descriptor the ` +
          `indexer's answer travels on (${CHANNEL_FD}) as it loaded`,
      );
    case 'not started':
      throw new UserError(`input 'indexer': cannot start ${process.execPath} (${outcome.code})`);
    case 'ended': {
      const how = outcome.signal !== null ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      // 13: Node's own code for a top-level await that never settled (the child awaits the app's).
      const why = outcome.code === 13 ? ' (a top-level await that never settled)' : '';
      const file = loadingFile(outcome.loading);
      throw new UserError(
        `${file}: the app's code ended the process (${how})${why} before its entry files finished loading ` +
          `(indexer 'runtime')`,
        file,
      );
    }
  }
}

/** The app's own words (appMessage), at the place in its code that threw. */
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
  const message = appMessage(failure.message, settings);
  return new UserError(
    message === undefined
      ? `${where}: the app threw ${failure.thrown} with no message while loading (indexer 'runtime')`
      : `${where}: the app threw while loading (indexer 'runtime'): ${message}`,
    file,
    line,
  );
}
