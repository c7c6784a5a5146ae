import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isObject, readJsonFile } from './json-file.js';
import type { IndexedFunction } from './node-v4/index.js';

/**
 * Code-first apps (Node.js v4, Python v2): which language an app is in, and which indexer reads it. Each indexer (with
 * its parser, or its child process) is loaded only for an app that needs it.
 */

/**
 * How a code-first app's functions are read: `static` parses its source and runs nothing; `runtime` loads it with its
 * own installed libraries and records what they register (it runs the app's code).
 */
export type Indexer = 'static' | 'runtime';

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
  if (indexer === 'runtime' && isPythonApp(root, settings)) {
    // PYTHON RUNTIME INDEXER: call indexPythonAppAtRuntime(root, python) from './python-v2/runtime.js' here (loaded
    // with import(), as above) in place of this error.
    throw new UserError(
      `input 'indexer': 'runtime' does not read Python apps yet: use indexer 'static', or list the app's functions in ` +
        `the 'triggers' input`,
    );
  }
  return [];
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

/** A Python app by its settings' worker runtime or, with none given, by the script file the Python v2 worker loads. */
function isPythonApp(root: string, settings: Readonly<Record<string, string>>): boolean {
  const runtime = settings.FUNCTIONS_WORKER_RUNTIME;
  if (runtime !== undefined) return runtime.trim().toLowerCase() === 'python';
  return existsSync(join(root, settings.PYTHON_SCRIPT_FILE_NAME ?? 'function_app.py'));
}
