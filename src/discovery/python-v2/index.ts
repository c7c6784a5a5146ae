import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { readUserFile } from '../../files.js';
import { type IndexedFunction, tooDeep, WAYS_OUT } from '../code-first.js';
import {
  type AppObject,
  attribute,
  type BindingModel,
  bindingJson,
  type FunctionBuilder,
  isRegister,
} from './bindings.js';
import type { PyValue } from './literal.js';
import { type ModuleLoader, type PythonModule, runModule } from './module.js';
import { STDLIB_MODULES } from './stdlib-modules.js';
import { cannotParse, parsePython } from './syntax.js';

/**
 * The functions of a Python v2 app (azure-functions 1.x, azure-functions-durable), read from its source the way the
 * worker indexes it — the script file imported from the app root, its one FunctionApp (or DFApp) asked for its
 * functions — without running any of it. Loaded only for an app with no function.json: it carries the Python grammar.
 */
export function indexPythonApp(root: string, scriptName: string): IndexedFunction[] {
  const stem = scriptName.endsWith('.py') ? scriptName.slice(0, -3) : '';
  if (!/^[A-Za-z_]\w*$/.test(stem)) {
    throw new UserError(
      `setting PYTHON_SCRIPT_FILE_NAME: '${scriptName}' is not a Python module in the app's root folder (the worker ` +
        `imports the file by its name, from the app root): name a file like function_app.py`,
    );
  }
  const load = moduleLoader(root, stem);
  const script = load(stem) as PythonModule;
  const registers = [...new Set([...script.names.values()].flatMap((b) => (b.kind === 'object' ? [b.object] : [])))];
  const apps = registers.filter((object) => isRegister(object.kind));
  const file = script.source.file;
  if (apps.length !== 1) {
    throw new UserError(
      apps.length === 0
        ? `${file}: no FunctionApp (or DFApp) is made at the top level of it (app = func.FunctionApp()), so the worker ` +
            `would find no functions; make one there, or ${WAYS_OUT}`
        : `${file}: more than one FunctionApp at the top level (${apps.map((app) => app.name).join(', ')}), which ` +
            `the worker refuses; register the others' functions as Blueprints`,
      file,
    );
  }
  const app = apps[0] as AppObject;
  return uniquelyNamed(app.builders.map((builder) => indexed(builder, app)));
}

/** `validate_function_names`: the library refuses an app with two functions of one name. */
function uniquelyNamed(functions: IndexedFunction[]): IndexedFunction[] {
  const seen = new Map<string, IndexedFunction>();
  for (const fn of functions) {
    const first = seen.get(fn.name);
    if (first !== undefined) {
      const again = first.source === fn.source ? ', the same function: its Blueprint is registered twice' : '';
      throw new UserError(
        `${fn.source}: function '${fn.name}': a second function of that name (the first is at ${first.source}${again}), ` +
          `which the library refuses; give each function a name of its own`,
        fn.source,
      );
    }
    seen.set(fn.name, fn);
  }
  return functions;
}

/**
 * Local modules by dotted name, found as Python's path finder finds them under the app root (a package's
 * __init__.py, then a module's .py, then a namespace folder), each run once.
 */
function moduleLoader(root: string, scriptStem: string): ModuleLoader {
  const modules = new Map<string, PythonModule | null>();
  const run = (name: string): PythonModule | undefined => {
    const known = modules.get(name);
    if (known !== undefined) return known ?? undefined;
    const base = join(root, ...name.split('.'));
    const packageFile = join(base, '__init__.py');
    const path = isFile(packageFile) ? packageFile : isFile(`${base}.py`) ? `${base}.py` : undefined;
    const isPackage = path === packageFile || (path === undefined && isFolder(base));
    // A folder without __init__.py never stands before a module found anywhere else on sys.path.
    const shadowed = !name.includes('.') && STDLIB_MODULES.has(name);
    if ((path === undefined && !isPackage) || (shadowed && path === undefined)) {
      modules.set(name, null);
      return undefined;
    }
    if (shadowed) throw stdlibNamesake(name, path as string);
    const text = path === undefined ? '' : readUserFile(path, path).toString('utf8');
    const source = parsePython(text, path ?? base);
    const module: PythonModule = { name, isPackage, source, names: new Map() };
    modules.set(name, module);
    // A module that cannot be parsed, names neither library and imports none of the app's modules (where an app
    // object or another module's names could come from) cannot register or change anything: what it holds is not ours.
    if (source.firstError !== undefined) {
      if (name === scriptStem || text.includes('azure') || importsLocal(text, root))
        throw cannotParse(source, source.firstError);
      return module;
    }
    try {
      runModule(module, load);
    } catch (error) {
      throw error instanceof RangeError ? tooDeep(source.file) : error;
    }
    return module;
  };
  const load: ModuleLoader = Object.assign(run, {
    loaded: (name: string) => modules.get(name) ?? undefined,
    objects: [],
  });
  return load;
}

/**
 * The worker imports its library and many standard modules before the app, and puts the app's folder last on sys.path
 * (azure_functions_worker/utils/dependency.py): an app's module named like a standard one is not what an import of
 * that name gets, or is only where the app's folder happens to come first.
 */
function stdlibNamesake(name: string, path: string): UserError {
  return new UserError(
    `${path}: the app's module '${name}' has the name of a module of Python's standard library, and an import of ` +
      `'${name}' gets the standard library's where the worker runs the app (its folder comes after the standard ` +
      `library on sys.path, and the worker imports many standard modules first); rename the app's module`,
    path,
  );
}

/** Whether a text that is not all Python the grammar reads imports, by the look of it, a module of the app's. */
function importsLocal(text: string, root: string): boolean {
  const imports = text.matchAll(/^[ \t]*(?:from[ \t]+(\.|[A-Za-z_]\w*)|import[ \t]+([^#;\n]+))/gm);
  const tops = [...imports].flatMap(([, from, names]) =>
    from !== undefined ? [from] : (names ?? '').split(',').map((name) => name.trim().split(/[.\s]/)[0] ?? ''),
  );
  const local = (top: string) => isFile(join(root, `${top}.py`)) || isFolder(join(root, top));
  return tops.some((top) => top === '.' || (/^\w+$/.test(top) && local(top)));
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** `FunctionRegister.get_functions()`: each builder built, HTTP triggers given the function's route and auth level. */
function indexed(builder: FunctionBuilder, app: AppObject): IndexedFunction {
  const name = builder.functionName ?? builder.defName;
  const trigger = builder.trigger;
  if (trigger === undefined) {
    throw new UserError(
      `${builder.source}: function '${name}': it has no trigger decorator, so the library refuses the app`,
      builder.source,
    );
  }
  const bindings = builder.bindings.map((binding) =>
    binding === trigger && binding.type === 'httpTrigger' ? httpDefaults(binding, name, app) : binding,
  );
  return { name, source: builder.source, bindings: bindings.map(bindingJson) };
}

/** `_validate_function`: no route is the function's name; no auth level is the app's. */
function httpDefaults(binding: BindingModel, name: string, app: AppObject): BindingModel {
  const params = [...binding.params];
  const fill = (key: string, value: PyValue) => {
    if ((attribute(binding, key) ?? null) !== null) return;
    const at = params.findIndex(([param]) => param === key);
    if (at === -1) params.push([key, value]);
    else params[at] = [key, value];
  };
  fill('route', name);
  fill('auth_level', app.authLevel ?? null);
  return { ...binding, params };
}
