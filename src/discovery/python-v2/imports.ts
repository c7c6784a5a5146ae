import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { isLibraryPath, type NameBinding } from './literal.js';
import type { ModuleLoader, PythonModule, Run } from './module.js';
import { type ImportedName, importedNames } from './statements.js';
import { isTopLevel, lineAt } from './syntax.js';

/** Imports, as Python's import system runs them for the app's own modules and the libraries. */

/**
 * An import at the top level binds its names as the source shows them. Inside an if, a try or a loop (where the run
 * does not go) only a star import is read here, for what it does to the names bound so far; the modules the others
 * import are read after the run (runUnreachedImports).
 */
export function runImport(statement: SyntaxNode, run: Run): void {
  // Module paths name no object: `from blueprints.orders import bp as orders` uses no `orders`.
  statement.getChildren('VariableName').forEach((name) => run.accounted.add(name.from));
  const imported = importedNames(statement, run.module.source);
  if (imported.star) runStarImport(statement, imported.star, run);
  else if (isTopLevel(statement)) {
    for (const entry of imported.names) run.bind(entry.bound, importBinding(entry, run));
  }
}

/**
 * `from M import *` binds whatever M holds: from the app's own module that can be any name read so far, so it is
 * refused; from any other, every name bound so far may now be M's.
 */
function runStarImport(statement: SyntaxNode, from: { module: string; level: number }, run: Run): void {
  const base = from.level === 0 ? from.module : relativeTo(run.module, from.level, from.module);
  const shown = `from ${'.'.repeat(from.level)}${from.module} import *`;
  if (base !== undefined && !isLibraryPath(base.split('.')) && base !== 'azure' && loadAll(base, run.load)) {
    const source = run.module.source;
    const line = lineAt(source, statement.from);
    throw new UserError(
      `${source.file}:${line}: '${shown}' binds every public name of the app's module '${base}' here, which can ` +
        `rebind names this module has already bound; import the names it needs by name (from ${base} import …), ` +
        `or ${WAYS_OUT}`,
      source.file,
      line,
    );
  }
  for (const name of [...run.scope.names.keys()])
    run.bind(name, { kind: 'other', what: `a name '${shown}' may have bound again` });
}

export function importBinding(entry: ImportedName, run: Run): NameBinding {
  const { module, level, imported } = entry;
  const base = level === 0 ? module : relativeTo(run.module, level, module);
  if (base === undefined) return { kind: 'other', what: 'imported relatively from outside a package' };
  if (isLibraryPath(base.split('.')) || base === 'azure') {
    return { kind: 'library', path: [...base.split('.'), ...(imported === undefined ? [] : imported.split('.'))] };
  }
  const found = loadAll(base, run.load);
  if (found === undefined) return { kind: 'other', what: `imported from a package ('${base}')` };
  if (imported === undefined) return { kind: 'module', module: base };
  const binding = found.names.get(imported);
  if (binding?.kind === 'object' || binding?.kind === 'module' || binding?.kind === 'library') return binding;
  if (binding === undefined && run.load(`${base}.${imported}`))
    return { kind: 'module', module: `${base}.${imported}` };
  return { kind: 'other', what: 'imported from another module' };
}

/** `import a.b.c` runs a, a.b and a.b.c in turn; the last one, if every one is local. */
function loadAll(dotted: string, load: ModuleLoader): PythonModule | undefined {
  const parts = dotted.split('.');
  let found: PythonModule | undefined;
  for (let i = 1; i <= parts.length; i++) {
    found = load(parts.slice(0, i).join('.'));
    if (found === undefined) return undefined;
  }
  return found;
}

function relativeTo(module: PythonModule, level: number, name: string): string | undefined {
  const packageParts = module.name.split('.').slice(0, module.isPackage ? undefined : -1);
  if (packageParts.length === 0 || packageParts[0] === '' || level - 1 >= packageParts.length) return undefined;
  const base = packageParts.slice(0, packageParts.length - (level - 1));
  return [...base, ...(name === '' ? [] : [name])].join('.');
}

/** `base.key`: a library's name, or a local module's name or submodule (run if `load` runs modules). */
export function memberOf(
  base: NameBinding | undefined,
  key: string,
  load: (name: string) => PythonModule | undefined,
): NameBinding | undefined {
  if (base?.kind === 'library') return { kind: 'library', path: [...base.path, key] };
  if (base?.kind !== 'module') return undefined;
  const inner = load(base.module)?.names.get(key);
  if (inner !== undefined) return inner;
  return load(`${base.module}.${key}`) ? { kind: 'module', module: `${base.module}.${key}` } : undefined;
}
