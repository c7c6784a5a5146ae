import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  UserError
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/discovery/python-v2/runtime.ts
import { execFile } from "node:child_process";
import { join } from "node:path";

// src/discovery/python-v2/runtime-index.py
var runtime_index_default = `# The functions of a Python v2 app as the worker indexes them (azure_functions_worker/loader.py,
# index_function_app): the script file imported by its name with the app root on sys.path and as the
# working folder, its one FunctionRegister (FunctionApp, DFApp, ...) asked for its functions, and each
# function's name and raw bindings, the JSON the worker hands the host. It runs the app's code.
#
# Usage: python -c "$(cat runtime-index.py)" APP_ROOT
# Prints, after MARKER, one JSON object: {"functions": [{"name", "file", "line", "bindings"}]} or {"error": {...}}.
# PYTHON_SCRIPT_FILE_NAME in the environment names the script, as it does for the worker.
import importlib
import inspect
import json
import os
import sys
import traceback

MARKER = 'aks-functions-deploy-index:'
# Where the libraries keep the user's function inside theirs: durable clients, orchestrators, entities, wraps().
WRAPPED = ('client_function', 'orchestrator_function', 'entity_function', '__wrapped__')


def main():
    root = os.path.abspath(sys.argv[1])
    script = os.environ.get('PYTHON_SCRIPT_FILE_NAME') or 'function_app.py'
    os.chdir(root)
    sys.path.insert(0, root)
    try:
        from azure.functions import FunctionRegister
    except ImportError:
        return {'error': {'kind': 'library-missing'}}
    try:
        module = importlib.import_module(os.path.splitext(os.path.basename(script))[0])
        apps = []
        for name in module.__dir__():
            value = getattr(module, name, None)
            if isinstance(value, FunctionRegister) and all(value is not app for app in apps):
                apps.append(value)
        if len(apps) != 1:
            return {'error': {'kind': 'app-count', 'count': len(apps), 'script': script}}
        functions = apps[0].get_functions()
        return {'functions': [describe(function, root) for function in functions]}
    except Exception as error:  # The app's own failure: said by its kind and place, never by its message.
        return {'error': failure(error, root)}


def describe(function, root):
    file, line = where(function.get_user_function(), root)
    return {
        'name': function.get_function_name(),
        'file': file,
        'line': line,
        'bindings': [json.loads(raw) for raw in function.get_raw_bindings()],
    }


def where(code, root):
    """The file and line of the user's def, through the wrappers the libraries put around it."""
    for _ in range(10):
        inner = next((getattr(code, name) for name in WRAPPED if getattr(code, name, None) is not None), None)
        if inner is None:
            break
        code = inner
    try:
        file = os.path.abspath(inspect.getsourcefile(code))
        # A function the library itself defines (AsgiFunctionApp's) has no place in the app.
        return (os.path.relpath(file, root), inspect.getsourcelines(code)[1]) if file.startswith(root + os.sep) else (None, None)
    except (TypeError, OSError):
        return None, None


def failure(error, root):
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(frame.filename).startswith(root + os.sep)]
    found = {'kind': 'app-failed', 'type': type(error).__name__}
    if isinstance(error, SyntaxError) and error.filename:
        found['file'] = os.path.relpath(error.filename, root)
        found['line'] = error.lineno
    elif frames:
        found['file'] = os.path.relpath(frames[-1].filename, root)
        found['line'] = frames[-1].lineno
    if isinstance(error, ModuleNotFoundError):
        found['module'] = error.name
    return found


# On a line of its own, after a marker: the app's code may print too.
print('\\n' + MARKER + json.dumps(main()))
`;

// src/discovery/python-v2/runtime.ts
async function indexPythonAppAtRuntime(root, python, settings = {}, timeLimitMs = IMPORT_TIME_LIMIT_MS) {
  const output = await run(python, root, settings, timeLimitMs);
  const line = output.split("\n").find((text) => text.startsWith(MARKER));
  if (line === void 0) throw new UserError(`indexing the Python app with ${python} gave no answer`);
  const answer = JSON.parse(line.slice(MARKER.length));
  if ("error" in answer) throw refusal(answer.error, root, python, settings);
  return answer.functions.map((fn) => ({
    name: fn.name,
    source: fn.file === null ? join(root, scriptOf(settings)) : `${join(root, fn.file)}:${fn.line}`,
    bindings: fn.bindings
  }));
}
var MARKER = "aks-functions-deploy-index:";
var IMPORT_TIME_LIMIT_MS = 12e4;
function scriptOf(settings) {
  return settings.PYTHON_SCRIPT_FILE_NAME || "function_app.py";
}
function run(python, root, settings, timeLimitMs) {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ["-c", runtime_index_default, root],
      // The app sees its settings as the worker gives them, and nothing of this process's environment but PATH.
      { cwd: root, env: { PATH: process.env.PATH ?? "", ...settings }, timeout: timeLimitMs, maxBuffer: 64 << 20 },
      (error, stdout) => {
        const code = error?.code;
        if (error?.killed) {
          reject(
            new UserError(
              `importing the app with ${python} did not finish within ${timeLimitMs / 1e3}s (stopped): it must not wait for anything as it loads; or let the indexer read the source`
            )
          );
        } else if (typeof code === "string") {
          reject(
            new UserError(`cannot run '${python}' (${code}): give the Python the app's dependencies are installed for`)
          );
        } else resolve(stdout);
      }
    );
  });
}
function refusal(failure, root, python, settings) {
  const install = `${python} -m pip install -r ${join(root, "requirements.txt")}`;
  const script = join(root, scriptOf(settings));
  if (failure.kind === "library-missing") {
    return new UserError(
      `the app's dependencies are not installed for ${python} ('import azure.functions' fails): install them first (${install}), or let the indexer read the source`
    );
  }
  if (failure.kind === "app-count") {
    return new UserError(
      failure.count === 0 ? `${script}: importing it made no FunctionApp (or DFApp) at its top level, so the worker would find no functions` : `${script}: importing it made ${failure.count} FunctionApps at its top level, which the worker refuses`,
      script
    );
  }
  const where = failure.file ? `${join(root, failure.file)}:${failure.line}` : script;
  const missing = failure.module ? ` (no module named '${failure.module}': install the app's dependencies: ${install})` : "";
  return new UserError(
    `${where}: importing the app raised ${failure.type}${missing}; run 'python -c "import ${scriptOf(settings).replace(/\.py$/, "")}"' in ${root} to see why`,
    where
  );
}
export {
  IMPORT_TIME_LIMIT_MS,
  indexPythonAppAtRuntime
};
