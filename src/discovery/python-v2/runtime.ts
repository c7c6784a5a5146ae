import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import type { IndexedFunction } from '../code-first.js';
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
  const output = await run(python, root, settings, timeLimitMs);
  const line = output.split('\n').find((text) => text.startsWith(MARKER));
  if (line === undefined) throw new UserError(`indexing the Python app with ${python} gave no answer`);
  const answer = JSON.parse(line.slice(MARKER.length)) as Answer;
  if ('error' in answer) throw refusal(answer.error, root, python, settings);
  return answer.functions.map((fn) => ({
    name: fn.name,
    source: fn.file === null ? join(root, scriptOf(settings)) : `${join(root, fn.file)}:${fn.line}`,
    bindings: fn.bindings,
  }));
}

const MARKER = 'aks-functions-deploy-index:';

/** How long importing the app may take: an app that never finishes (a loop, a wait on a network) is an error. */
export const IMPORT_TIME_LIMIT_MS = 120_000;

type Answer =
  | { functions: { name: string; file: string | null; line: number | null; bindings: Record<string, unknown>[] }[] }
  | { error: Failure };

interface Failure {
  kind: 'library-missing' | 'app-count' | 'app-failed';
  module?: string;
  count?: number;
  type?: string;
  file?: string;
  line?: number;
}

function scriptOf(settings: Readonly<Record<string, string>>): string {
  return settings.PYTHON_SCRIPT_FILE_NAME || 'function_app.py';
}

function run(
  python: string,
  root: string,
  settings: Readonly<Record<string, string>>,
  timeLimitMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', program, root],
      // The app sees its settings as the worker gives them, and nothing of this process's environment but PATH.
      { cwd: root, env: { PATH: process.env.PATH ?? '', ...settings }, timeout: timeLimitMs, maxBuffer: 64 << 20 },
      (error, stdout) => {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (error?.killed) {
          reject(
            new UserError(
              `importing the app with ${python} did not finish within ${timeLimitMs / 1000}s (stopped): it must not ` +
                `wait for anything as it loads; or let the indexer read the source`,
            ),
          );
        } else if (typeof code === 'string') {
          reject(
            new UserError(`cannot run '${python}' (${code}): give the Python the app's dependencies are installed for`),
          );
        } else resolve(stdout);
      },
    );
  });
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
    return new UserError(
      failure.count === 0
        ? `${script}: importing it made no FunctionApp (or DFApp) at its top level, so the worker would find no functions`
        : `${script}: importing it made ${failure.count} FunctionApps at its top level, which the worker refuses`,
      script,
    );
  }
  const where = failure.file ? `${join(root, failure.file)}:${failure.line}` : script;
  const missing = failure.module
    ? ` (no module named '${failure.module}': install the app's dependencies: ${install})`
    : '';
  return new UserError(
    `${where}: importing the app raised ${failure.type}${missing}; run 'python -c "import ` +
      `${scriptOf(settings).replace(/\.py$/, '')}"' in ${root} to see why`,
    where,
  );
}
