# The test oracle for Python v2 apps: the functions of an app as the Python worker indexes them, done the worker's
# way rather than the product's (runtime-index.py), so that the static indexer is held against the worker itself.
# Read from Azure/azure-functions-python-worker (4.34): dispatcher.py imports azure.functions and its own modules
# first; utils/dependency.py's prioritize_customer_dependencies puts the app's folder LAST on sys.path (after the
# standard library and site-packages); loader.py's index_function_app imports the script by its stem and counts the
# module's ATTRIBUTES that are FunctionRegisters — a second one is an error even when it is the same object — then
# asks that one for get_functions().
#
# Usage: python -I python-worker-index.py APP_ROOT ANSWER_FILE
# Writes to ANSWER_FILE (not stdout, where the app may print anything) one JSON object:
# {"functions": [{"name", "file", "line", "bindings"}]} or {"error": {"type", "message"}}.
# PYTHON_SCRIPT_FILE_NAME in the environment names the script, as it does for the worker.
import importlib
import inspect
import json
import os
import pathlib
import sys

import azure.functions  # noqa: F401 — imported before the app's folder is on sys.path, as the worker does

# Where the libraries keep the user's function inside theirs: durable clients, orchestrators, entities, wraps().
WRAPPED = ('client_function', 'orchestrator_function', 'entity_function', '__wrapped__')


def index_function_app(script):
    module = importlib.import_module(pathlib.Path(script).stem)
    app = None
    for name in module.__dir__():
        if isinstance(getattr(module, name, None), azure.functions.FunctionRegister):
            if app is not None:
                raise ValueError(f'More than one {app.__class__.__name__} or other top level function app '
                                 'instances are defined.')
            app = getattr(module, name, None)
    if app is None:
        raise ValueError(f'Could not find top level function app instances in {script}.')
    return app.get_functions()


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
        inside = file.startswith(root + os.sep)
        return (os.path.relpath(file, root), inspect.getsourcelines(code)[1]) if inside else (None, None)
    except (TypeError, OSError):
        return None, None


def main(root):
    script = os.environ.get('PYTHON_SCRIPT_FILE_NAME') or 'function_app.py'
    os.chdir(root)
    sys.path.append(root)
    found = []
    try:
        for function in index_function_app(script):
            file, line = where(function.get_user_function(), root)
            bindings = [json.loads(raw) for raw in function.get_raw_bindings()]
            found.append({'name': function.get_function_name(), 'file': file, 'line': line, 'bindings': bindings})
    except Exception as error:  # noqa: BLE001 — the worker fails the app's indexing on any exception in it
        return {'error': {'type': type(error).__name__, 'message': str(error)}}
    return {'functions': found}


if __name__ == '__main__':
    answer = main(os.path.abspath(sys.argv[1]))
    with open(sys.argv[2], 'w', encoding='utf-8') as out:
        json.dump(answer, out)
