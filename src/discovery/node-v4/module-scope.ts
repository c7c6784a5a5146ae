import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { exportStarOf, importHelper } from './interop.js';
import {
  type Constant,
  exported,
  libraryPath,
  type ModuleScope,
  type ModuleValue,
  moduleValue,
  requiredSpecifier,
  unwrap,
} from './literal.js';
import { exportTarget } from './walk.js';

/** The names a module's top level gives (what of the libraries each stands for), and what it hands on. */

export const IMPORTED = 'imported from another module';

/** What a module hands on, as `require` (or `import`: package.json conditions differ) loads it. */
export type ModuleOf = (specifier: string, kind?: 'require' | 'import') => ModuleValue | undefined;

/** A path the app's own files are loaded by: relative, absolute, or a package.json "imports" subpath. */
export const LOCAL = /^(\.\.?(\/|$)|\/|#)/;

type Scope = ModuleScope & {
  readonly imports: Map<string, readonly string[]>;
  readonly constants: Map<string, Constant>;
  readonly functions: Set<string>;
  readonly otherNames: Map<string, string>;
  readonly namespaces: Map<string, ModuleValue>;
  readonly localImports: Map<string, { readonly specifier: string; readonly name: string }>;
};

/** A scope with nothing in it yet: what a module that names neither library has. */
export function emptyScope(file: string, moduleOf: ModuleOf = () => undefined): Scope {
  return {
    file,
    imports: new Map(),
    constants: new Map(),
    changes: new Map(),
    localImports: new Map(),
    functions: new Set(),
    otherNames: new Map(),
    required: moduleOf,
    namespaces: new Map(),
  };
}

/** `commonjsOutput`: TypeScript built to CommonJS, where a default import reads `require(x).default`. */
export function topLevelScope(
  program: t.Program,
  file: string,
  moduleOf: ModuleOf,
  commonjsOutput: boolean,
): ModuleScope {
  const scope = emptyScope(file, moduleOf);

  for (const raw of program.body) {
    const statement = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw;
    if (statement.type === 'ImportDeclaration') importNames(statement, scope, commonjsOutput);
    else if (statement.type === 'TSImportEqualsDeclaration') {
      // `import x = require('y')`: `const x = require('y')`, as tsc emits it.
      const reference = statement.moduleReference;
      if (reference.type === 'TSExternalModuleReference')
        bindWhole(statement.id.name, reference.expression.value, scope);
      else scope.otherNames.set(statement.id.name, 'an alias of a namespace');
    } else if (statement.type === 'FunctionDeclaration' && statement.id)
      declareName(statement.id.name, scope, 'function');
    else if (statement.type === 'ClassDeclaration' && statement.id) declareName(statement.id.name, scope, 'a class');
    else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) declare(declarator, statement.kind, scope);
    } else if (statement.type === 'ExpressionStatement') {
      declareExport(statement, scope);
      reExported(statement.expression, scope);
    }
  }
  return scope;
}

function importNames(statement: t.ImportDeclaration, scope: Scope, commonjsOutput: boolean): void {
  if (statement.importKind === 'type' || statement.importKind === 'typeof') return;
  const specifierText = statement.source.value;
  const module = scope.required(specifierText, commonjsOutput ? 'require' : 'import');
  for (const specifier of statement.specifiers) {
    const imported =
      specifier.type === 'ImportSpecifier'
        ? specifier.imported.type === 'Identifier'
          ? specifier.imported.name
          : specifier.imported.value
        : specifier.type === 'ImportDefaultSpecifier'
          ? 'default'
          : '*';
    if (LOCAL.test(specifierText))
      scope.localImports.set(specifier.local.name, { specifier: specifierText, name: imported });
    // Node gives an ES module the whole of a CommonJS module as its default; tsc's CommonJS output reads `.default`.
    const path =
      imported === '*'
        ? module?.whole
        : imported === 'default' && !commonjsOutput
          ? (module?.named.get('default') ?? module?.whole)
          : exported(module, imported);
    if (path !== undefined) scope.imports.set(specifier.local.name, path);
    else if (imported === '*' && module?.named.size) scope.namespaces.set(specifier.local.name, module);
    else scope.otherNames.set(specifier.local.name, IMPORTED);
  }
}

/** A name bound to all a module gives (`const x = require('y')`, with or without an import helper around it). */
function bindWhole(name: string, specifier: string, scope: Scope): void {
  if (LOCAL.test(specifier)) scope.localImports.set(name, { specifier, name: '*' });
  const module = scope.required(specifier);
  if (module?.whole !== undefined) scope.imports.set(name, module.whole);
  else if (module?.named.size) scope.namespaces.set(name, module);
  else scope.otherNames.set(name, IMPORTED);
}

/** A name declared twice (`var x` again, a function of the same name) holds what the last one ran: not read. */
function declareName(name: string, scope: Scope, what: string): void {
  const again = scope.constants.has(name) || scope.otherNames.has(name) || scope.functions.has(name);
  scope.constants.delete(name);
  if (again) scope.otherNames.set(name, 'a name declared twice');
  else if (what === 'function') scope.functions.add(name);
  else scope.otherNames.set(name, what);
}

function declare(declarator: t.VariableDeclarator, kind: string, scope: Scope): void {
  const init = declarator.init ? unwrap(declarator.init) : undefined;
  const specifier = init && (requiredSpecifier(init) ?? requiredSpecifierIn(init));
  // `const func = require('@azure/functions')`, `const app = require('./az').app`: names for a library path.
  const library = init && libraryPath(init, scope);
  const module =
    init && (moduleValue(init, scope) ?? (init.type === 'Identifier' ? scope.namespaces.get(init.name) : undefined));
  if (declarator.id.type === 'Identifier') {
    const name = declarator.id.name;
    if (specifier !== undefined && LOCAL.test(specifier)) scope.localImports.set(name, { specifier, name: '*' });
    if (library !== undefined) scope.imports.set(name, library);
    else if (module?.named.size) scope.namespaces.set(name, module);
    else if (specifier !== undefined) scope.otherNames.set(name, IMPORTED);
    else if (
      declarator.init &&
      !scope.constants.has(name) &&
      !scope.otherNames.has(name) &&
      !scope.functions.has(name)
    ) {
      const { start, end, loc } = declarator;
      scope.constants.set(name, {
        init: declarator.init,
        kind,
        start: start ?? 0,
        end: end ?? 0,
        line: loc?.start.line ?? 0,
      });
    } else declareName(name, scope, `a ${kind} variable`);
    return;
  }
  const takesLibraryApart = library !== undefined || !!module?.whole || !!module?.named.size;
  takeApart(declarator.id as t.Node, library, module, takesLibraryApart, scope, specifier);
}

/** `require('y')` inside an import helper: `__importStar(require('y'))`. */
function requiredSpecifierIn(node: t.Node): string | undefined {
  const helped = importHelper(node);
  return helped && requiredSpecifier(unwrap(helped.wrapped));
}

/**
 * `const { app, output: out } = require('@azure/functions')`, `const { app: { storageQueue } } = …`: each name the
 * library path it takes. A library taken apart in another way (a rest element, a default, a computed key, an array)
 * is an error: its names would hold what the indexer cannot tell.
 */
function takeApart(
  pattern: t.Node,
  path: readonly string[] | undefined,
  module: ModuleValue | undefined,
  fromLibrary: boolean,
  scope: Scope,
  specifier: string | undefined,
): void {
  const names: string[] = [];
  if (pattern.type === 'ObjectPattern') {
    for (const member of pattern.properties) {
      const key =
        member.type === 'ObjectProperty' && !member.computed && member.key.type === 'Identifier'
          ? member.key.name
          : undefined;
      if (member.type === 'RestElement' || key === undefined || member.value.type === 'AssignmentPattern') {
        if (fromLibrary) throw unfollowedPattern(member, scope.file);
        collect(member, names);
        continue;
      }
      const inner = module ? exported(module, key) : path && [...path, key];
      if (member.value.type === 'Identifier') {
        if (specifier !== undefined && LOCAL.test(specifier))
          scope.localImports.set(member.value.name, { specifier, name: key });
        if (inner !== undefined) scope.imports.set(member.value.name, inner);
        else
          scope.otherNames.set(
            member.value.name,
            specifier === undefined ? 'taken apart from another value' : IMPORTED,
          );
      } else takeApart(member.value, inner, undefined, fromLibrary && inner !== undefined, scope, undefined);
    }
  } else {
    if (fromLibrary) throw unfollowedPattern(pattern, scope.file);
    collect(pattern, names);
  }
  for (const name of names) scope.otherNames.set(name, 'taken apart from another value');
}

function collect(node: t.Node, names: string[]): void {
  if (node.type === 'Identifier') names.push(node.name);
  else if (node.type === 'ObjectProperty') collect(node.value, names);
  else if (node.type === 'RestElement') collect(node.argument, names);
  else if (node.type === 'AssignmentPattern') collect(node.left, names);
  else if (node.type === 'ArrayPattern') node.elements.forEach((element) => element && collect(element, names));
  else if (node.type === 'ObjectPattern') node.properties.forEach((property) => collect(property, names));
}

function unfollowedPattern(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: takes the library apart in a way the indexer does not follow (a rest element, a default ` +
      `value, a computed key or an array pattern), so the functions registered through it cannot be read without ` +
      `running the app's code; write const { app } = require('@azure/functions'), ${WAYS_OUT}`,
    file,
    line,
  );
}

/**
 * esbuild's `var ns = {}; __reExport(ns, require('x'))` (a bundled `export * from 'x'` a module imports as `ns`): the
 * name stands for what `x` hands on.
 */
function reExported(expression: t.Expression, scope: Scope): void {
  const wrapped = exportStarOf(expression);
  const [target] = (expression as t.CallExpression).arguments ?? [];
  const specifier = wrapped && requiredSpecifier(unwrap(wrapped));
  if (specifier === undefined || target?.type !== 'Identifier' || target === wrapped) return;
  const empty = scope.constants.get(target.name)?.init;
  if (empty?.type !== 'ObjectExpression' || empty.properties.length > 0) return;
  scope.constants.delete(target.name);
  bindWhole(target.name, specifier, scope);
}

/**
 * `exports.NAME = value` (tsc's CommonJS output of `export const NAME = value`): a constant named `exports.NAME`. The
 * `exports.a = exports.b = void 0` tsc writes first declares nothing.
 */
function declareExport(statement: t.ExpressionStatement, scope: Scope): void {
  const assignment = statement.expression;
  if (assignment.type !== 'AssignmentExpression' || assignment.operator !== '=') return;
  const name = exportTarget(assignment.left);
  const right = assignment.right;
  const hoisted = right.type === 'UnaryExpression' && right.operator === 'void';
  if (!name || hoisted || right.type === 'AssignmentExpression') return;
  const key = `exports.${name}`;
  if (scope.constants.has(key) || scope.otherNames.has(key)) {
    scope.constants.delete(key);
    scope.otherNames.set(key, 'assigned twice');
    return;
  }
  const { start, end, loc } = statement;
  scope.constants.set(key, {
    init: assignment.right,
    kind: 'exports',
    start: start ?? 0,
    end: end ?? 0,
    line: loc?.start.line ?? 0,
  });
}
