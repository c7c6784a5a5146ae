import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { importBinding } from './imports.js';
import type { NameBinding } from './literal.js';
import type { Run } from './module.js';
import { GUARDS, importedNames } from './statements.js';
import { eachNode, isTopLevel, lineAt, type PythonFile, textOf } from './syntax.js';

/** What reaches a module's names other than the statements that bind them, which the run reads in order. */

/** Builtins and attributes that read or write a module's namespace without naming the names: anywhere. */
const NAMESPACE_BUILTINS = new Set(['globals', 'exec', 'eval', '__import__', 'import_module']);
const NAMESPACE_ATTRIBUTES = new Set([
  'import_module',
  'exec_module',
  'run_path',
  'run_module',
  'f_globals',
  '__globals__',
]);
/** In a function these are its own locals; at a module's top level, the module's names. */
const TOP_LEVEL_BUILTINS = new Set(['locals', 'vars']);

/**
 * `globals()["Q"] = …`, `exec(…)`, `sys.modules[__name__].Q = …`, `importlib.import_module("function_app").Q = …`:
 * any of them can rebind names the run has read, with nothing in the source saying which.
 */
export function checkNamespaceReach(source: PythonFile): void {
  const sysNames = new Set<string>();
  eachNode(source.top, (node) => {
    if (node.name !== 'ImportStatement') return;
    for (const entry of importedNames(node, source).names) {
      if (entry.module !== 'sys' || entry.level !== 0) continue;
      if (entry.imported === undefined) sysNames.add(entry.bound);
      else if (entry.imported === 'modules') throw reached(source, node, 'sys.modules');
    }
  });
  eachNode(source.top, (node) => {
    if (node.name === 'VariableName' && !isKeyword(node, source)) {
      const name = textOf(source, node);
      if (NAMESPACE_BUILTINS.has(name) || (TOP_LEVEL_BUILTINS.has(name) && !inFunction(node)))
        throw reached(source, node, name);
    } else if (node.name === 'PropertyName') {
      const name = textOf(source, node);
      const base = node.parent?.firstChild;
      const onSys = base?.name === 'VariableName' && sysNames.has(textOf(source, base));
      if (NAMESPACE_ATTRIBUTES.has(name)) throw reached(source, node, name);
      if (name === 'modules' && onSys) throw reached(source, node, 'sys.modules');
    }
  });
}

/** A keyword argument's name (`render(globals=…)`) names a parameter, not the builtin. */
function isKeyword(node: SyntaxNode, source: PythonFile): boolean {
  const next = node.nextSibling;
  return node.parent?.name === 'ArgList' && next?.name === 'AssignOp' && textOf(source, next) === '=';
}

function inFunction(node: SyntaxNode): boolean {
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    if (parent.name === 'LambdaExpression') return true;
    if (parent.name === 'Body' && parent.parent?.name === 'FunctionDefinition') return true;
  }
  return false;
}

function reached(source: PythonFile, node: SyntaxNode, what: string): UserError {
  const line = lineAt(source, node.from);
  return new UserError(
    `${source.file}:${line}: '${what}' reaches a module's names without a statement that binds them, so what they ` +
      `hold cannot be read without running the app's code; bind names with assignments and imports, or ${WAYS_OUT}`,
    source.file,
    line,
  );
}

/**
 * An import the run does not go through — inside a function, an if, a try, a loop — runs its module when (and if)
 * that code runs. A module of the app's that registers functions there is refused: which and when cannot be read.
 * One that registers none is run here for its names; the names such imports bind to the app's modules are returned.
 */
export function runUnreachedImports(run: Run): Map<string, NameBinding> {
  const source = run.module.source;
  const modules = new Map<string, NameBinding>();
  eachNode(source.top, (node) => {
    if (node.name !== 'ImportStatement' || isTopLevel(node)) return;
    for (const entry of importedNames(node, source).names) {
      const before = registrations(run);
      const binding = importBinding(entry, run);
      if (registrations(run) !== before) {
        const line = lineAt(source, node.from);
        const module = `${'.'.repeat(entry.level)}${entry.module}${entry.imported ? `.${entry.imported}` : ''}`;
        throw new UserError(
          `${source.file}:${line}: the app's module '${module}' registers functions, and is imported inside ` +
            `${guardOf(node)}, so whether (and when) they are registered cannot be read without running the app's ` +
            `code; import it at the top level of the module, or ${WAYS_OUT}`,
          source.file,
          line,
        );
      }
      if (binding.kind === 'module') modules.set(entry.bound, binding);
    }
  });
  return modules;
}

function registrations(run: Run): number {
  return run.load.objects.reduce((count, object) => count + object.builders.length, 0);
}

function guardOf(node: SyntaxNode): string {
  for (let parent = node.parent; parent !== null; parent = parent.parent) {
    const guard = GUARDS[parent.name];
    if (guard !== undefined) return guard;
  }
  return 'a construct';
}
