import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { isObject, readJsonFile } from './json-file.js';

/**
 * Code-first apps (Node.js v4, Python v2): which language an app is in, which indexer reads it, and what the indexers
 * share. Each indexer (with its parser, or its child process) is loaded only for an app that needs it.
 */

export interface IndexedFunction {
  readonly name: string;
  /** `file:line` of the registration. */
  readonly source: string;
  readonly bindings: readonly Readonly<Record<string, unknown>>[];
}

/**
 * How a code-first app's functions are read: `static` parses its source and runs nothing; `runtime` loads it with its
 * own installed libraries and records what they register (it runs the app's code).
 */
export type Indexer = 'static' | 'runtime';

/** The two ways out every refusal of the static indexers points at. */
export const WAYS_OUT =
  "read it with the app's own library (input 'indexer': runtime; it runs the app's code and needs its dependencies " +
  "installed), or list the app's functions in the 'triggers' input";

/** Code nested thousands deep exhausts the stack of a recursive reader: said, not crashed on. */
export function tooDeep(file: string): UserError {
  return new UserError(`${file}: nested too deeply to be read; ${WAYS_OUT}`, file);
}

export async function codeFirstFunctions(
  root: string,
  indexer: Indexer,
  settings: Readonly<Record<string, string>>,
  warnings: string[],
): Promise<readonly IndexedFunction[]> {
  if (isNodeApp(root, settings)) {
    if (indexer === 'runtime') {
      const { indexNodeAppAtRuntime } = await import('./node-v4/runtime.js');
      return indexNodeAppAtRuntime(root, settings, warnings);
    }
    const { indexNodeApp } = await import('./node-v4/index.js');
    return indexNodeApp(root, warnings);
  }
  const script = pythonScript(root, settings);
  if (script === undefined) return [];
  if (indexer === 'runtime') {
    const { indexPythonAppAtRuntime } = await import('./python-v2/runtime.js');
    return indexPythonAppAtRuntime(root, appPython(root), settings);
  }
  const { indexPythonApp } = await import('./python-v2/index.js');
  return indexPythonApp(root, script);
}

/**
 * A Node.js app by its settings' worker runtime or, with none given, by depending on the library: a Python or .NET
 * app's tooling package.json is not one.
 */
function isNodeApp(root: string, settings: Readonly<Record<string, string>>): boolean {
  const runtime = settings.FUNCTIONS_WORKER_RUNTIME;
  if (runtime !== undefined) return runtime.trim().toLowerCase() === 'node';
  const packagePath = join(root, 'package.json');
  if (!existsSync(packagePath)) return false;
  const manifest = readJsonFile(packagePath, packagePath);
  if (!isObject(manifest)) return false;
  return [manifest.dependencies, manifest.devDependencies].some(
    (dependencies) =>
      isObject(dependencies) && ('@azure/functions' in dependencies || 'durable-functions' in dependencies),
  );
}

/**
 * The script a Python v2 app's worker imports (PYTHON_SCRIPT_FILE_NAME, by default function_app.py), when the app is
 * one: by its settings' worker runtime or, with none given, by that file being there.
 */
function pythonScript(root: string, settings: Readonly<Record<string, string>>): string | undefined {
  const runtime = settings.FUNCTIONS_WORKER_RUNTIME;
  if (runtime !== undefined && runtime.trim().toLowerCase() !== 'python') return undefined;
  const script = settings.PYTHON_SCRIPT_FILE_NAME?.trim() || 'function_app.py';
  return existsSync(join(root, script)) ? script : undefined;
}

/**
 * The Python the app's dependencies are installed for: its own virtual environment (`.venv` in the app folder, as
 * `func init` and the Functions docs make it), else the `python3` (on Windows `python`) on PATH.
 */
function appPython(root: string): string {
  const windows = process.platform === 'win32';
  const venv = join(resolve(root), '.venv', windows ? 'Scripts' : 'bin', windows ? 'python.exe' : 'python');
  if (existsSync(venv)) return venv;
  return windows ? 'python' : 'python3';
}
