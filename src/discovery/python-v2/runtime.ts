import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import type { IndexedFunction } from '../code-first.js';
import { appMessage, CHANNEL_FD, MAX_CHANNEL_BYTES, runIndexingChild } from '../runtime-child-process.js';
import program from './runtime-index.py';

/**
 * The functions of a Python v2 app as azure-functions itself gives them: the app imported by `python` (the one its
 * dependencies are installed for) the way the worker indexes it. This RUNS the app's code; `settings` are its
 * environment, as the worker's are the app settings.
 */
export async function indexPythonAppAtRuntime(
  root: string,
  python: string,
  settings: Readonly<Record<string, string>> = {},
  timeLimitMs = IMPORT_TIME_LIMIT_MS,
): Promise<IndexedFunction[]> {
  const outcome = await runIndexingChild({
    command: python,
    // -I: neither the working folder (the app's) first on sys.path, nor PYTHON* variables; the program puts the app
    // root where the worker does.
    args: ['-I', '-c', program, resolve(root)],
    cwd: resolve(root),
    settings,
    timeLimitMs,
  });
  const script = join(root, scriptOf(settings));
  switch (outcome.kind) {
    case 'answered':
      break;
    case 'time limit':
      throw new UserError(
        `${script}: indexer 'runtime' stopped importing it with ${python} at its time limit of ` +
          `${timeLimitMs / 1000} s: it must not wait for anything as it loads; or let the indexer read the source`,
        script,
      );
    case 'output limit':
      throw new UserError(
        `${script}: importing it wrote more than ${MAX_CHANNEL_BYTES >> 20} MiB to the file descriptor the ` +
          `indexer's answer travels on (${CHANNEL_FD})`,
        script,
      );
    case 'not started':
      throw new UserError(
        `cannot run '${python}' (${outcome.code}): give the Python the app's dependencies are installed for`,
      );
    case 'ended': {
      const how = outcome.signal !== null ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      throw new UserError(
        `${script}: importing it with ${python} ended the process (${how}) before it answered`,
        script,
      );
    }
  }
  const answer = outcome.answer as Answer;
  if ('error' in answer) throw refusal(answer.error, root, python, settings);
  return answer.functions.map((fn) => ({
    name: fn.name,
    source: fn.file === null ? script : `${join(root, fn.file)}:${fn.line}`,
    bindings: fn.bindings,
  }));
}

/** How long importing the app may take: an app that never finishes (a loop, a wait on a network) is an error. */
export const IMPORT_TIME_LIMIT_MS = 120_000;

type Answer =
  | { functions: { name: string; file: string | null; line: number | null; bindings: Record<string, unknown>[] }[] }
  | { error: Failure };

interface Failure {
  kind: 'library-missing' | 'app-count' | 'app-failed';
  module?: string;
  /** The module's names bound to a FunctionApp (or DFApp). */
  names?: string[];
  type?: string;
  message?: string;
  file?: string;
  line?: number;
}

function scriptOf(settings: Readonly<Record<string, string>>): string {
  return settings.PYTHON_SCRIPT_FILE_NAME || 'function_app.py';
}

function refusal(failure: Failure, root: string, python: string, settings: Readonly<Record<string, string>>) {
  const install = `${python} -m pip install -r ${join(root, 'requirements.txt')}`;
  const script = join(root, scriptOf(settings));
  if (failure.kind === 'library-missing') {
    return new UserError(
      `the app's dependencies are not installed for ${python} ('import azure.functions' fails): install them ` +
        `first (${install}), or let the indexer read the source`,
    );
  }
  if (failure.kind === 'app-count') {
    const names = failure.names ?? [];
    return new UserError(
      names.length === 0
        ? `${script}: importing it made no FunctionApp (or DFApp) at its top level, so the worker would find no functions`
        : `${script}: importing it binds ${names.length} top-level names to FunctionApps (${names.join(', ')}), ` +
            `which the worker refuses even when they are one app: keep one name`,
      script,
    );
  }
  const file = failure.file ? join(root, failure.file) : script;
  const where = failure.file ? `${file}:${failure.line}` : script;
  const missing = failure.module
    ? ` (no module named '${failure.module}': install the app's dependencies: ${install})`
    : '';
  const message = appMessage(failure.message ?? '', settings);
  return new UserError(
    `${where}: importing the app raised ${failure.type}${message === undefined ? ' with no message' : `: ${message}`}` +
      `${missing} (indexer 'runtime')`,
    file,
    failure.file ? failure.line : undefined,
  );
}
