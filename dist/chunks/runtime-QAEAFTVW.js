import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  mainFiles,
  readAppManifest,
  staleBuildWarning,
  typescriptSources
} from "./chunk-TA4GFMJG.js";
import {
  CHANNEL_FD,
  MAX_CHANNEL_BYTES,
  appMessage,
  runIndexingChild
} from "./chunk-KC2ZAIW3.js";
import "./chunk-KT26BUDG.js";
import "./chunk-7NIGNZU7.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/discovery/node-v4/runtime.ts
import { createRequire } from "node:module";
import { realpathSync } from "node:fs";
import { join, resolve } from "node:path";

// src/discovery/node-v4/runtime-child.ts
async function openChannel(channelFd) {
  const { readFileSync, writeSync } = await import("node:fs");
  const nonce = readFileSync(0, "utf8").trim();
  return (message) => {
    const bytes = Buffer.from(`
${nonce} ${JSON.stringify(message)}
`);
    for (let sent = 0; sent < bytes.length; ) {
      try {
        sent += writeSync(channelFd, bytes, sent);
      } catch (error) {
        if (error.code !== "EAGAIN") throw error;
      }
    }
  };
}
async function loadAppRecordingFunctions(request, send) {
  const { default: Module, createRequire: createRequire2 } = await import("node:module");
  const { fileURLToPath, pathToFileURL } = await import("node:url");
  const { isAbsolute, join: join2, relative, sep } = await import("node:path");
  const { existsSync } = await import("node:fs");
  let loading = "";
  const appSite = (stack) => {
    for (const line of String(stack ?? "").split("\n")) {
      const place = /^(?:\s+at (?:.*\()?)?((?:file:\/\/)?[^()]+?):(\d+)(?::\d+)?\)?$/.exec(line);
      const written = place?.[1] ?? "";
      const path = written.startsWith("file://") ? fileURLToPath(written) : written;
      if (!isAbsolute(path) || !existsSync(path)) continue;
      const file = relative(request.root, path);
      if (file.startsWith("..") || isAbsolute(file) || file.split(sep).includes("node_modules")) continue;
      return `${file}:${place?.[2]}`;
    }
    return loading;
  };
  const functions = [];
  const disposable = { dispose() {
  } };
  let programmingModel;
  const core = {
    version: "aks-functions-deploy runtime indexer",
    registerFunction(metadata) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 64;
      const stack = new Error().stack;
      Error.stackTraceLimit = limit;
      const bindings = Object.entries(metadata.bindings).map(([name, binding]) => ({ ...binding, name }));
      functions.push({ name: metadata.name, bindings, site: appSite(stack) });
      return disposable;
    },
    setProgrammingModel(model) {
      programmingModel = model;
    },
    getProgrammingModel: () => programmingModel,
    registerHook: () => disposable,
    log() {
    }
  };
  Module.prototype.require = new Proxy(Module.prototype.require, {
    apply: (target, self, args) => args[0] === "@azure/functions-core" ? core : Reflect.apply(target, self, args)
  });
  let failure;
  const requireFromApp = createRequire2(join2(request.root, "package.json"));
  try {
    for (const file of request.files) {
      loading = relative(request.root, file.path);
      send({ loading });
      if (file.esm) await import(pathToFileURL(file.path).href);
      else requireFromApp(file.path);
    }
  } catch (error) {
    const isError = error instanceof Error;
    const message = isError ? error.message : typeof error === "string" ? error : "";
    const missing = /^Cannot find (?:module|package) '([^'./][^']*)'/.exec(message)?.[1];
    failure = {
      message,
      thrown: isError ? error.name : error === null ? "null" : typeof error,
      site: appSite(isError ? error.stack : void 0),
      missingPackage: missing
    };
  }
  const answer = { functions, failure };
  send({ answer });
  process.exit(0);
}

// src/discovery/node-v4/runtime.ts
var LOAD_TIME_LIMIT_MS = 3e4;
async function indexNodeAppAtRuntime(root, settings, warnings, timeLimitMs = LOAD_TIME_LIMIT_MS) {
  const manifest = readAppManifest(root);
  if (manifest === void 0) return [];
  const files = builtEntryFiles(root, manifest, warnings);
  requireInstalledLibrary(root);
  const request = {
    root: realpathSync(root),
    files: files.map((path) => ({ path: realpathSync(path), esm: isEsModule(path, manifest) }))
  };
  const report = await loadInChild(root, request, settings, timeLimitMs, manifest.path);
  if (report.failure !== void 0) throw loadFailure(root, report.failure, settings);
  return report.functions.map((fn) => ({
    name: fn.name,
    source: join(root, fn.site),
    // `properties` is the worker's side channel to the host (supportsDeferredBinding), not a function.json property.
    bindings: fn.bindings.map(({ properties, ...binding }) => (void properties, binding))
  }));
}
function builtEntryFiles(root, manifest, warnings) {
  const built = mainFiles(root, manifest.main);
  const sources = typescriptSources(root, manifest.main);
  if (built.length === 0) {
    throw new UserError(
      `${manifest.path}: "main" ('${manifest.main}') matches no file: ` + (sources.length > 0 ? `indexer 'runtime' loads the build output, as the worker does: build the app first (e.g. 'npm run build')` : `point "main" at the files that register the functions`),
      manifest.path
    );
  }
  const stale = staleBuildWarning(built, sources, manifest.path, manifest.main);
  if (stale !== void 0) warnings.push(stale);
  return built;
}
function requireInstalledLibrary(root) {
  try {
    createRequire(join(resolve(root), "package.json")).resolve("@azure/functions");
  } catch {
    throw new UserError(
      `input 'indexer': 'runtime' loads the app with its own @azure/functions, which is not installed in '${root}': install the app's dependencies first ('npm ci', or 'npm install', in app-path)`
    );
  }
}
function isEsModule(file, manifest) {
  if (file.endsWith(".mjs")) return true;
  if (file.endsWith(".cjs")) return false;
  return manifest.type === "module";
}
async function loadInChild(root, request, settings, timeLimitMs, manifestPath) {
  const outcome = await runIndexingChild({
    command: process.execPath,
    args: [
      "--input-type=module",
      "--eval",
      `await (${loadAppRecordingFunctions.toString()})(${JSON.stringify(request)}, await (${openChannel.toString()})(${CHANNEL_FD}));`
    ],
    cwd: request.root,
    settings,
    timeLimitMs
  });
  const loadingFile = (loading) => loading === void 0 ? manifestPath : join(root, loading);
  switch (outcome.kind) {
    case "answered":
      return outcome.answer;
    case "time limit": {
      const file = loadingFile(outcome.loading);
      throw new UserError(
        `${file}: indexer 'runtime' stopped the app at its time limit of ${timeLimitMs / 1e3} s, still loading this file (a top-level await or a loop that never ends?): fix the app's loading, or list its functions in the 'triggers' input`,
        file
      );
    }
    case "output limit":
      throw new UserError(
        `input 'indexer': the app wrote more than ${MAX_CHANNEL_BYTES >> 20} MiB to the file descriptor the indexer's answer travels on (${CHANNEL_FD}) as it loaded`
      );
    case "not started":
      throw new UserError(`input 'indexer': cannot start ${process.execPath} (${outcome.code})`);
    case "ended": {
      const how = outcome.signal !== null ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      const why = outcome.code === 13 ? " (a top-level await that never settled)" : "";
      const file = loadingFile(outcome.loading);
      throw new UserError(
        `${file}: the app's code ended the process (${how})${why} before its entry files finished loading (indexer 'runtime')`,
        file
      );
    }
  }
}
function loadFailure(root, failure, settings) {
  const site = /^(.*):(\d+)$/.exec(failure.site);
  const file = join(root, site?.[1] ?? failure.site);
  const where = site === null ? file : `${file}:${site[2]}`;
  const line = site === null ? void 0 : Number(site[2]);
  if (failure.missingPackage !== void 0) {
    return new UserError(
      `${where}: package '${failure.missingPackage}' is not installed, so indexer 'runtime' cannot load the app: install the app's dependencies first ('npm ci', or 'npm install', in app-path)`,
      file,
      line
    );
  }
  const message = appMessage(failure.message, settings);
  return new UserError(
    message === void 0 ? `${where}: the app threw ${failure.thrown} with no message while loading (indexer 'runtime')` : `${where}: the app threw while loading (indexer 'runtime'): ${message}`,
    file,
    line
  );
}
export {
  LOAD_TIME_LIMIT_MS,
  indexNodeAppAtRuntime
};
