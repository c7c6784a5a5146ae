import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  CHANNEL_FD,
  MAX_CHANNEL_BYTES,
  appMessage,
  runIndexingChild
} from "./chunk-KC2ZAIW3.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";
import "./chunk-J2GP2G6B.js";

// src/discovery/python-v2/runtime.ts
import { join, resolve } from "node:path";

// src/discovery/python-v2/runtime-index.py
var runtime_index_default = `# The functions of a Python v2 app as the worker indexes them (azure-functions-python-worker 4.34,
# loader.py's index_function_app): azure.functions imported first, the app root put LAST on sys.path
# (utils/dependency.py's prioritize_customer_dependencies: the app's modules never hide the standard
# library's or site-packages'), the script imported by its stem, and each attribute of the module that is
# a FunctionRegister (FunctionApp, DFApp, ...) counted, a second one refused even when it is the same
# object; that one's get_functions(), in its order, gives each function's name and raw bindings, the
# JSON the worker hands the host. It runs the app's code.
#
# Usage: python -I -c "$(cat runtime-index.py)" APP_ROOT, with the nonce of this run on stdin, file
# descriptor 3 open for the answer, and the app root as the working folder.
# Writes to fd 3, on a line of its own after the nonce, one JSON object:
# {"answer": {"functions": [{"name", "file", "line", "bindings"}]} or {"answer": {"error": {...}}}.
# PYTHON_SCRIPT_FILE_NAME in the environment names the script, as it does for the worker.
import importlib
import inspect
import json
import os
import pathlib
import sys
import traceback

CHANNEL_FD = 3
# Where the libraries keep the user's function inside theirs: durable clients, orchestrators, entities, wraps().
WRAPPED = ('client_function', 'orchestrator_function', 'entity_function', '__wrapped__')


def main(root):
    script = os.environ.get('PYTHON_SCRIPT_FILE_NAME') or 'function_app.py'
    try:
        from azure.functions import FunctionRegister
    except ImportError:
        return {'error': {'kind': 'library-missing'}}
    sys.path.append(root)
    try:
        module = importlib.import_module(pathlib.Path(script).stem)
        names = [name for name in module.__dir__() if isinstance(getattr(module, name, None), FunctionRegister)]
        if len(names) != 1:
            return {'error': {'kind': 'app-count', 'names': names}}
        return {'functions': [describe(function, root) for function in getattr(module, names[0]).get_functions()]}
    except Exception as error:  # noqa: BLE001 \u2014 the worker fails the app's indexing on any exception in it
        return {'error': failure(error, root)}


def describe(function, root):
    file, line = where(function.get_user_function(), root)
    return {
        'name': function.get_function_name(),
        'file': file,
        'line': line,
        'bindings': [json.loads(raw) for raw in function.get_raw_bindings()],
    }


def app_file(filename, root):
    """The file's path within the app, when it is a file of the app (not \`<string>\` of exec(), nor a library's)."""
    if not filename or not os.path.isfile(filename):
        return None
    path = os.path.abspath(filename)
    return os.path.relpath(path, root) if path.startswith(root + os.sep) else None


def where(code, root):
    """The file and line of the user's def, through the wrappers the libraries put around it."""
    for _ in range(10):
        inner = next((getattr(code, name) for name in WRAPPED if getattr(code, name, None) is not None), None)
        if inner is None:
            break
        code = inner
    try:
        file = app_file(inspect.getsourcefile(code), root)
        # A function the library itself defines (AsgiFunctionApp's), or one compiled from a string, has no place.
        return (file, inspect.getsourcelines(code)[1]) if file is not None else (None, None)
    except (TypeError, OSError):
        return None, None


def failure(error, root):
    found = {'kind': 'app-failed', 'type': type(error).__name__}
    try:
        found['message'] = str(error)
    except Exception:  # noqa: BLE001 \u2014 an exception whose __str__ fails says nothing
        found['message'] = ''
    places = [(app_file(frame.filename, root), frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
    if isinstance(error, SyntaxError):
        places.append((app_file(error.filename, root), error.lineno))
    # The innermost place that is a file of the app.
    file, line = next(((file, line) for file, line in reversed(places) if file is not None), (None, None))
    if file is not None:
        found['file'] = file
        found['line'] = line
    if isinstance(error, ModuleNotFoundError):
        found['module'] = error.name
    return found


def send(channel, nonce, message):
    """One message on the channel, on a line of its own: a line the app left unfinished there cannot spoil it."""
    data = ('\\n' + nonce + ' ' + json.dumps(message) + '\\n').encode('utf-8')
    while data:
        try:
            data = data[os.write(channel, data):]
        except BlockingIOError:  # A pipe that is full right now: written on once the parent has read.
            pass


if __name__ == '__main__':
    # The nonce that marks this run's messages, read before the app's code runs; stdin is then nothing.
    run_nonce = sys.stdin.readline().strip()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    answer = main(os.path.abspath(sys.argv[1]))
    send(CHANNEL_FD, run_nonce, {'answer': answer})
    # Not the app's exit handlers nor its threads: the parent has what it asked for.
    os._exit(0)
`;

// src/discovery/python-v2/runtime.ts
async function indexPythonAppAtRuntime(root, python, settings = {}, timeLimitMs = IMPORT_TIME_LIMIT_MS) {
  const outcome = await runIndexingChild({
    command: python,
    // -I: neither the working folder (the app's) first on sys.path, nor PYTHON* variables; the program puts the app
    // root where the worker does.
    args: ["-I", "-c", runtime_index_default, resolve(root)],
    cwd: resolve(root),
    settings,
    timeLimitMs
  });
  const script = join(root, scriptOf(settings));
  switch (outcome.kind) {
    case "answered":
      break;
    case "time limit":
      throw new UserError(
        `${script}: indexer 'runtime' stopped importing it with ${python} at its time limit of ${timeLimitMs / 1e3} s: it must not wait for anything as it loads; or let the indexer read the source`,
        script
      );
    case "output limit":
      throw new UserError(
        `${script}: importing it wrote more than ${MAX_CHANNEL_BYTES >> 20} MiB to the file descriptor the indexer's answer travels on (${CHANNEL_FD})`,
        script
      );
    case "not started":
      throw new UserError(
        `cannot run '${python}' (${outcome.code}): give the Python the app's dependencies are installed for`
      );
    case "ended": {
      const how = outcome.signal !== null ? `signal ${outcome.signal}` : `exit code ${outcome.code}`;
      throw new UserError(
        `${script}: importing it with ${python} ended the process (${how}) before it answered`,
        script
      );
    }
  }
  const answer = outcome.answer;
  if ("error" in answer) throw refusal(answer.error, root, python, settings);
  return answer.functions.map((fn) => ({
    name: fn.name,
    source: fn.file === null ? script : `${join(root, fn.file)}:${fn.line}`,
    bindings: fn.bindings
  }));
}
var IMPORT_TIME_LIMIT_MS = 12e4;
function scriptOf(settings) {
  return settings.PYTHON_SCRIPT_FILE_NAME || "function_app.py";
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
    const names = failure.names ?? [];
    return new UserError(
      names.length === 0 ? `${script}: importing it made no FunctionApp (or DFApp) at its top level, so the worker would find no functions` : `${script}: importing it binds ${names.length} top-level names to FunctionApps (${names.join(", ")}), which the worker refuses even when they are one app: keep one name`,
      script
    );
  }
  const file = failure.file ? join(root, failure.file) : script;
  const where = failure.file ? `${file}:${failure.line}` : script;
  const missing = failure.module ? ` (no module named '${failure.module}': install the app's dependencies: ${install})` : "";
  const message = appMessage(failure.message ?? "", settings);
  return new UserError(
    `${where}: importing the app raised ${failure.type}${message === void 0 ? " with no message" : `: ${message}`}${missing} (indexer 'runtime')`,
    file,
    failure.file ? failure.line : void 0
  );
}
export {
  IMPORT_TIME_LIMIT_MS,
  indexPythonAppAtRuntime
};
