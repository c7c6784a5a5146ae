import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { isObject, readJsonFile } from './json-file.js';
import { isPresent } from '../files.js';
import { codeFirstFunctions, type Indexer } from './code-first.js';

export type { Indexer } from './code-first.js';
import {
  type AppSettings,
  type Binding,
  type DurableStorage,
  type FunctionApp,
  type FunctionDefinition,
  type HostSettings,
  isValidSettingKey,
} from './model.js';

/** Where the app and its settings come from: the discovery stage's input. */
export interface AppSource {
  readonly appPath: string;
  readonly settingsFile?: string;
  /** From the app-settings input; override the settings file. */
  readonly appSettings: Readonly<Record<string, string>>;
  /** The triggers input, still as text: discovery parses it. */
  readonly triggers?: string;
  /** Default `static`. */
  readonly indexer?: Indexer;
}

export interface Discovery {
  readonly app: FunctionApp;
  readonly warnings: readonly string[];
}

// The host's own rule for function names.
const FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;

/**
 * Finds the app's functions and settings: host.json marks the root; functions
 * come from <function>/function.json, functions.metadata (.NET isolated), the
 * source of code-first apps (Node.js v4, Python v2) and the triggers input.
 * Every problem names its file.
 */
export async function discoverApp(source: AppSource, settingsFromExistingObjects: boolean): Promise<Discovery> {
  const warnings: string[] = [];
  const root = source.appPath;
  if (!existsSync(root)) throw new UserError(`input 'app-path': '${root}' does not exist`);
  if (!statSync(root).isDirectory()) throw new UserError(`input 'app-path': '${root}' is not a folder`);
  const hostPath = join(root, 'host.json');
  // A host.json symlink to nothing is a broken app, not a folder without one: readHost says which.
  if (!isPresent(hostPath, shown(root, hostPath))) {
    throw new UserError(
      `input 'app-path': no host.json in '${root}': point app-path at the function app's root folder`,
    );
  }
  const host = readHost(hostPath, shown(root, hostPath), warnings);

  const declared = [
    ...functionJsonFunctions(root, warnings),
    ...metadataFunctions(root),
    ...(source.triggers === undefined ? [] : triggersInputFunctions(source.triggers)),
  ];
  const settings = readSettings(source, settingsFromExistingObjects);
  const codeFirst = async () =>
    (await codeFirstFunctions(root, source.indexer ?? 'static', settings.values, warnings)).map((fn) =>
      defineFunction(fn.name, fn.source, fn.bindings),
    );
  const functions = (declared.length > 0 ? declared : await codeFirst()).filter(
    (fn) => host.only === undefined || host.only.has(fn.name.toLowerCase()),
  );

  const seen = new Map<string, FunctionDefinition>();
  for (const fn of functions) {
    const earlier = seen.get(fn.name.toLowerCase());
    if (earlier)
      throw new UserError(`${fn.source}: function '${fn.name}' is also defined in ${earlier.source}`, fn.source);
    seen.set(fn.name.toLowerCase(), fn);
  }
  if (functions.length === 0) {
    throw new UserError(
      `no functions found in '${root}': expected <function>/function.json, functions.metadata (.NET isolated), ` +
        `app.* registrations in the files package.json "main" names (Node.js v4), decorated functions in ` +
        `function_app.py or the file PYTHON_SCRIPT_FILE_NAME names (Python v2), or the triggers input` +
        buildOutputHint(root),
    );
  }

  return {
    app: { root, host: host.settings, functions, settings },
    warnings,
  };
}

/**
 * .NET isolated and Java apps are deployed from their build output, not their project folder (which has a host.json
 * too): where that output is, when app-path is the project.
 */
function buildOutputHint(root: string): string {
  const names = listFolder(root).map((entry) => entry.name);
  if (names.some((name) => /\.(cs|fs|vb)proj$/.test(name))) {
    return (
      `; this is a .NET project: point app-path at its publish output, which holds functions.metadata ` +
      `(e.g. bin/Release/net8.0/publish after 'dotnet publish -c Release')`
    );
  }
  if (names.includes('pom.xml')) {
    return (
      `; this is a Maven project: point app-path at the Azure Functions Maven plugin's staging folder, which holds ` +
      `a function.json for each function (target/azure-functions/<functionAppName> after 'mvn package')`
    );
  }
  return '';
}

/** A file as the user would name it: the app-path they gave, then the file within. */
function shown(root: string, path: string): string {
  return join(root, relative(root, path));
}

function readHost(path: string, shownAs: string, warnings: string[]): { settings: HostSettings; only?: Set<string> } {
  const json = readJsonFile(path, shownAs);
  if (!isObject(json)) throw new UserError(`${shownAs}: must be a JSON object`, shownAs);
  if (json.version !== '2.0') {
    warnings.push(
      `${shownAs}: "version" is ${JSON.stringify(json.version)}, not "2.0": the Functions runtime 2.x and ` +
        `later expect "2.0"`,
    );
  }
  const extensions = isObject(json.extensions) ? json.extensions : {};
  const http = isObject(extensions.http) ? extensions.http : {};
  const routePrefix = typeof http.routePrefix === 'string' ? http.routePrefix : 'api';
  const durable = isObject(extensions.durableTask) ? extensions.durableTask : {};
  const provider = isObject(durable.storageProvider) ? durable.storageProvider : undefined;
  const number = (value: unknown) =>
    Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : undefined;
  const durableStorage: DurableStorage | undefined =
    provider && typeof provider.type === 'string'
      ? {
          type: provider.type,
          connectionStringName:
            typeof provider.connectionStringName === 'string' ? provider.connectionStringName : undefined,
          maxConcurrentOrchestrators: number(durable.maxConcurrentOrchestratorFunctions),
          maxConcurrentActivities: number(durable.maxConcurrentActivityFunctions),
        }
      : undefined;
  let only: Set<string> | undefined;
  if (json.functions !== undefined) {
    if (!Array.isArray(json.functions) || !json.functions.every((name) => typeof name === 'string')) {
      throw new UserError(`${shownAs}: "functions" must be a list of function names`, shownAs);
    }
    only = new Set(json.functions.map((name: string) => name.toLowerCase()));
  }
  return { settings: { routePrefix, durableStorage }, only };
}

function functionJsonFunctions(root: string, warnings: string[]): FunctionDefinition[] {
  const result: FunctionDefinition[] = [];
  const folders = listFolder(root)
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders) {
    const path = join(root, folder, 'function.json');
    const source = shown(root, path);
    // A function.json that cannot be read is an error: skipped, its function's objects would be pruned.
    if (!isPresent(path, source)) continue;
    const json = readJsonFile(path, source);
    if (!isObject(json)) throw new UserError(`${source}: must be a JSON object`, source);
    if (json.disabled === true) {
      warnings.push(`${source}: function '${folder}' is disabled ("disabled": true) and is not deployed`);
      continue;
    }
    result.push(defineFunction(folder, source, json.bindings));
  }
  return result;
}

function listFolder(root: string): Dirent[] {
  try {
    return readdirSync(root, { withFileTypes: true });
  } catch (error) {
    throw new UserError(`input 'app-path': cannot list '${root}' (${(error as NodeJS.ErrnoException).code})`);
  }
}

function metadataFunctions(root: string): FunctionDefinition[] {
  const path = join(root, 'functions.metadata');
  const source = shown(root, path);
  if (!isPresent(path, source)) return [];
  const json = readJsonFile(path, source);
  if (!Array.isArray(json)) throw new UserError(`${source}: must be a JSON list of functions`, source);
  return json.map((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== 'string') {
      throw new UserError(`${source}: entry ${index + 1} has no "name"`, source);
    }
    return defineFunction(entry.name, source, entry.bindings);
  });
}

/** The triggers input: a YAML list of `{name, type, ...binding properties}`. */
function triggersInputFunctions(text: string): FunctionDefinition[] {
  const source = "input 'triggers'";
  let entries: unknown;
  try {
    entries = yaml.load(text);
  } catch (error) {
    const problem = error as yaml.YAMLException;
    // Some errors (a second document) point at no line.
    throw new UserError(
      `${source}: invalid YAML${problem.mark ? ` at line ${problem.mark.line + 1}` : ''}: ${problem.reason}`,
    );
  }
  if (!Array.isArray(entries)) throw new UserError(`${source}: must be a YAML list of {name, type, ...} entries`);
  return entries.map((entry, index) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.type !== 'string') {
      throw new UserError(`${source}, entry ${index + 1}: needs a "name" and a "type" (e.g. queueTrigger)`);
    }
    const { name, ...binding } = entry;
    return defineFunction(name, source, [{ direction: 'in', ...binding }]);
  });
}

function defineFunction(name: string, source: string, bindings: unknown): FunctionDefinition {
  const where = `${source}: function '${name}'`;
  if (!FUNCTION_NAME.test(name)) {
    throw new UserError(
      `${where}: not a valid function name (a letter, then letters, digits, '_' or '-', at most 128)`,
      source,
    );
  }
  if (!Array.isArray(bindings)) throw new UserError(`${where}: "bindings" must be a list`, source);
  const checked = bindings.map((binding, index): Binding => {
    if (!isObject(binding) || typeof binding.type !== 'string' || binding.type.trim() === '') {
      throw new UserError(`${where}: binding ${index + 1} has no "type"`, source);
    }
    return binding as Binding;
  });
  // Output bindings are never triggers, whatever their type says.
  const triggers = checked.filter(
    (binding) => /trigger$/i.test(binding.type) && String(binding.direction ?? 'in').toLowerCase() !== 'out',
  );
  if (triggers.length !== 1) {
    throw new UserError(
      triggers.length === 0
        ? `${where}: no trigger binding (a binding whose type ends in "Trigger")`
        : `${where}: ${triggers.length} trigger bindings (${triggers.map((t) => t.type).join(', ')}); a function has exactly one`,
      source,
    );
  }
  return { name, source, trigger: triggers[0] as Binding, bindings: checked };
}

function readSettings(source: AppSource, fromExistingObjects: boolean): AppSettings {
  // No prototype: a setting named `constructor` or `__proto__` is a setting like any other.
  const values: Record<string, string> = Object.create(null);
  if (source.settingsFile !== undefined) {
    const file = source.settingsFile;
    if (!existsSync(file)) throw new UserError(`input 'settings-file': '${file}' does not exist`);
    const json = readJsonFile(file, file);
    if (!isObject(json)) throw new UserError(`${file}: must be a JSON object`, file);
    if (json.IsEncrypted === true) {
      throw new UserError(
        `${file}: the settings are encrypted ("IsEncrypted": true); decrypt them with 'func settings decrypt' first`,
        file,
      );
    }
    if (json.Values !== undefined && !isObject(json.Values))
      throw new UserError(`${file}: "Values" must be an object`, file);
    for (const [key, value] of Object.entries(json.Values ?? {})) {
      // Name the key only: values are secrets.
      if (!isValidSettingKey(key)) {
        throw new UserError(
          `${file}: "Values" key '${key}' is not a valid setting name (letters, digits, '-', '_' and '.'; use ` +
            `'__' for nesting)`,
          file,
        );
      }
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new UserError(`${file}: "Values" key '${key}' must have a string value`, file);
      }
      values[key] = String(value);
    }
  }
  Object.assign(values, source.appSettings);
  return { values, complete: !fromExistingObjects && Object.keys(values).length > 0 };
}
