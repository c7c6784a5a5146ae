/**
 * What the runtime indexer's child process runs: a stand-in for the module the Node.js worker gives @azure/functions
 * at run time (`@azure/functions-core`, which the library requires by name), recording each registerFunction call
 * instead of telling a host, and the loading of the app's entry files as the worker does it
 * (azure-functions-nodejs-worker src/setupCoreModule.ts, startApp.ts, loadScriptFile.ts).
 *
 * It travels to the child as its own source text (Function.prototype.toString), so each function below uses nothing
 * from outside its body: only globals and the built-in modules it imports itself, and no syntax a bundler lowers into
 * helpers of its own (classes with fields, decorators, `using`).
 */

export interface ChildRequest {
  /** The app root (also the child's working folder), absolute. */
  readonly root: string;
  /** The files package.json `main` matches, in order; `esm`: loaded by import() rather than require(). */
  readonly files: readonly { readonly path: string; readonly esm: boolean }[];
}

/** One registration as the worker hands it to the host: `rawBindings`, each binding with its name. */
export interface RecordedFunction {
  readonly name: string;
  readonly bindings: readonly Record<string, unknown>[];
  /** `file:line` (relative to the root) of the app's own code that registered it, else the entry file loading. */
  readonly site: string;
}

export interface LoadFailure {
  /** What the app threw: its own text, empty when it gave none (the parent shows its first line). */
  readonly message: string;
  /** What it threw: the Error's name (`TypeError`), or the type of a value that is not an Error. */
  readonly thrown: string;
  /** `file:line` of the app's own code that threw, else the entry file loading. */
  readonly site: string;
  /** A package that a load could not find (`Cannot find module 'x'`). */
  readonly missingPackage?: string;
}

/** The child's answer, its last message on the channel. */
export interface ChildReport {
  readonly functions: readonly RecordedFunction[];
  readonly failure?: LoadFailure;
}

/**
 * The child's end of the channel its answer travels on: the nonce that marks this run's messages is read from stdin
 * before the app's code runs, and kept only in the closure of the function this gives.
 */
export async function openChannel(channelFd: number): Promise<(message: object) => void> {
  const { readFileSync, writeSync } = await import('node:fs');
  const nonce = readFileSync(0, 'utf8').trim();
  // One message on a line of its own: a line the app left unfinished there cannot spoil it.
  return (message) => {
    const bytes = Buffer.from(`\n${nonce} ${JSON.stringify(message)}\n`);
    for (let sent = 0; sent < bytes.length;) {
      try {
        sent += writeSync(channelFd, bytes, sent);
      } catch (error) {
        // A pipe that is full right now: written on once the parent has read.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
    }
  };
}

export async function loadAppRecordingFunctions(
  request: ChildRequest,
  send: (message: { loading: string } | { answer: ChildReport }) => void,
): Promise<void> {
  const { default: Module, createRequire } = await import('node:module');
  const { fileURLToPath, pathToFileURL } = await import('node:url');
  const { isAbsolute, join, relative, sep } = await import('node:path');
  const { existsSync } = await import('node:fs');

  let loading = '';
  /** The first place in a stack that is the app's own code (not a package's), as `file:line` within the root. */
  const appSite = (stack: unknown): string => {
    for (const line of String(stack ?? '').split('\n')) {
      // `    at f (/app/x.js:3:9)`, `    at file:///app/x.mjs:3:9`, and a SyntaxError's first line `/app/x.js:3`.
      const place = /^(?:\s+at (?:.*\()?)?((?:file:\/\/)?[^()]+?):(\d+)(?::\d+)?\)?$/.exec(line);
      const written = place?.[1] ?? '';
      const path = written.startsWith('file://') ? fileURLToPath(written) : written;
      // A file that is not there is no place in the app: the child's own code is `<root>/[eval1]`.
      if (!isAbsolute(path) || !existsSync(path)) continue;
      const file = relative(request.root, path);
      if (file.startsWith('..') || isAbsolute(file) || file.split(sep).includes('node_modules')) continue;
      return `${file}:${place?.[2]}`;
    }
    return loading;
  };

  const functions: RecordedFunction[] = [];
  const disposable = { dispose() {} };
  let programmingModel: unknown;
  const core = {
    version: 'aks-functions-deploy runtime indexer',
    registerFunction(metadata: { name: string; bindings: Record<string, object> }) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 64;
      const stack = new Error().stack;
      Error.stackTraceLimit = limit;
      const bindings = Object.entries(metadata.bindings).map(([name, binding]) => ({ ...binding, name }));
      functions.push({ name: metadata.name, bindings, site: appSite(stack) });
      return disposable;
    },
    setProgrammingModel(model: unknown) {
      programmingModel = model;
    },
    getProgrammingModel: () => programmingModel,
    registerHook: () => disposable,
    log() {},
  };
  // The worker's own way: `require('@azure/functions-core')` from any module answers the core API.
  Module.prototype.require = new Proxy(Module.prototype.require, {
    apply: (target, self, args) => (args[0] === '@azure/functions-core' ? core : Reflect.apply(target, self, args)),
  });

  let failure: LoadFailure | undefined;
  const requireFromApp = createRequire(join(request.root, 'package.json'));
  try {
    for (const file of request.files) {
      loading = relative(request.root, file.path);
      send({ loading });
      if (file.esm) await import(pathToFileURL(file.path).href);
      else requireFromApp(file.path);
    }
  } catch (error) {
    const isError = error instanceof Error;
    const message = isError ? error.message : typeof error === 'string' ? error : '';
    const missing = /^Cannot find (?:module|package) '([^'./][^']*)'/.exec(message)?.[1];
    failure = {
      message,
      thrown: isError ? error.name : error === null ? 'null' : typeof error,
      site: appSite(isError ? error.stack : undefined),
      missingPackage: missing,
    };
  }
  // Whatever the app's loading left running (a timer, a connection, a process) ends with the process group.
  const answer: ChildReport = { functions, failure };
  send({ answer });
  process.exit(0);
}
