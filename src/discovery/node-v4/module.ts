import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { libraryPath, type ModuleScope, type ModuleValue, requiredSpecifier, unwrap } from './literal.js';
import { exportTarget, IMPORTED, moduleExports, topLevelScope } from './module-scope.js';
import { AZURE_FUNCTIONS, DURABLE_FUNCTIONS, REGISTRATION_METHODS } from './registrations.js';

/** One source file, parsed: its top-level names, its registrations, and the local modules it loads. */
export interface ParsedModule {
  readonly scope: ModuleScope;
  /** Every `app.*` call of the libraries, with what (if anything) makes it run only sometimes. */
  readonly calls: readonly {
    readonly call: t.CallExpression;
    readonly method: readonly string[];
    readonly guard?: string;
  }[];
  /** Relative specifiers of require() and import, as written. */
  readonly localModules: readonly string[];
  readonly exports: ModuleValue;
}

/** The exports of the local module a relative specifier names; undefined when unknown (not found, or a cycle). */
export type LocalExports = (specifier: string) => ModuleValue | undefined;

const LIBRARIES = new Set([AZURE_FUNCTIONS, DURABLE_FUNCTIONS]);
const LOCAL = /^\.\.?(\/|$)/;

export function parseModule(text: string, file: string, localExports: LocalExports): ParsedModule {
  const typescript = /\.[cm]?tsx?$/.test(file);
  // What apps are written in beyond the standard Babel reads: TypeScript's experimentalDecorators (TypeORM,
  // class-validator) and `accessor` fields, and the `assert { type: 'json' }` imports Node 18 and 20 accept.
  const syntax: ParserPlugin[] = ['decorators-legacy', 'decoratorAutoAccessors', 'deprecatedImportAssert'];
  const plugins: ParserPlugin[] = typescript ? ['typescript', ...syntax] : syntax;
  if (/x$/.test(file)) plugins.push('jsx');
  let ast: t.File;
  try {
    ast = parse(text, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    // A module that names neither library cannot register anything of theirs: what it holds is not ours to refuse.
    if (!mentionsRegistrations(text)) return { scope: emptyScope(file), calls: [], localModules: [], exports: NONE };
    // Babel's message names the spot ("Unexpected token (3:7)") and never quotes the source.
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    throw new UserError(`${file}:${loc?.line ?? 0}: cannot parse it: ${message.replace(/ \(\d+:\d+\)$/, '')}`, file);
  }
  const moduleOf = (specifier: string): ModuleValue | undefined =>
    LIBRARIES.has(specifier)
      ? { whole: [specifier], named: new Map() }
      : LOCAL.test(specifier)
        ? localExports(specifier)
        : undefined;
  const scope = topLevelScope(ast.program, file, moduleOf);
  const calls: { call: t.CallExpression; method: readonly string[]; guard?: string }[] = [];
  const localModules: string[] = [];
  const appUses: t.Node[] = [];
  const visit: Visit = (node, where, parents) => {
    const specifier = moduleSpecifier(node);
    if (specifier !== undefined && LOCAL.test(specifier)) localModules.push(specifier);
    // A load inside a function runs when (if ever) the function is called, not when the worker loads the app.
    else if (specifier === undefined && !where.inFunction && isComputedLoad(node)) throw computedLoad(node, file);
    if (isShadowed(node, where.shadowed)) return;
    if (isAppReference(node, parents, scope)) appUses.push(node);
    if (node.type !== 'CallExpression') return;
    const method = libraryPath(node.callee, scope);
    if (method !== undefined && method[1] === 'app') calls.push({ call: node, method, guard: where.guard });
    else if (method === undefined && looksLikeRegistration(node, scope)) throw unresolvedApp(node, file);
  };
  try {
    walk(ast.program, { inFunction: false, shadowed: new Set() }, [], visit);
  } catch (error) {
    throw error instanceof RangeError ? tooDeep(file) : error;
  }
  // Every reference to `app` must be the base of one of those calls: `const register = app.http` or `setUp(app)`
  // would register functions no call here shows.
  const called = new Set(calls.map(({ call }) => appBase(call.callee, scope)));
  const stray = appUses.find((use) => !called.has(use));
  if (stray !== undefined) throw strayApp(stray, file);
  return { scope, calls, localModules, exports: moduleExports(ast.program, scope, moduleOf) };
}

const NONE: ModuleValue = { named: new Map() };

function mentionsRegistrations(text: string): boolean {
  return [...LIBRARIES].some((library) => text.includes(library)) || /\bapp\b/.test(text);
}

function emptyScope(file: string): ModuleScope {
  return {
    file,
    imports: new Map(),
    constants: new Map(),
    functions: new Set(),
    otherNames: new Map(),
    required: () => undefined,
    namespaces: new Map(),
  };
}

/** The name an expression starts from: `app` in `app.http`, `az` in `az.app.http`. */
function rootName(node: t.Node): string | undefined {
  let inner = unwrap(node);
  while (inner.type === 'MemberExpression' || inner.type === 'OptionalMemberExpression') inner = unwrap(inner.object);
  return inner.type === 'Identifier' ? inner.name : undefined;
}

/** A name a function or block declares for itself hides the module's: a handler's own `app` is not the library's. */
function isShadowed(node: t.Node, shadowed: ReadonlySet<string>): boolean {
  const callee = node.type === 'CallExpression' ? node.callee : node;
  const name = rootName(callee);
  return name !== undefined && shadowed.has(name);
}

/**
 * `X.app.http('f', ...)` or `X.storageQueue('f', { handler })` on an `X` from a module the indexer cannot follow
 * (a package, a tsconfig `paths` alias, a local module whose exports are computed): likely a registration, and so
 * never silently dropped.
 */
function looksLikeRegistration(node: t.CallExpression, scope: ModuleScope): boolean {
  const callee = unwrap(node.callee);
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  if (!REGISTRATION_METHODS.has(callee.property.name)) return false;
  const base = unwrap(callee.object);
  const root = rootName(base);
  let fromElsewhere = root !== undefined && scope.otherNames.get(root) === IMPORTED;
  for (let inner = base; !fromElsewhere;) {
    if (inner.type === 'CallExpression') fromElsewhere = requiredSpecifier(inner) !== undefined;
    if (inner.type !== 'MemberExpression') break;
    inner = unwrap(inner.object);
  }
  if (!fromElsewhere) return false;
  const named =
    (base.type === 'Identifier' && base.name === 'app') ||
    (base.type === 'MemberExpression' &&
      !base.computed &&
      base.property.type === 'Identifier' &&
      base.property.name === 'app');
  const options = node.arguments[1];
  const hasHandler =
    options?.type === 'ObjectExpression' &&
    options.properties.some(
      (property) =>
        property.type !== 'SpreadElement' &&
        !property.computed &&
        property.key.type === 'Identifier' &&
        property.key.name === 'handler',
    );
  return named || hasHandler;
}

function unresolvedApp(node: t.CallExpression, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  const [first] = node.arguments;
  const name = first?.type === 'StringLiteral' ? first.value : '?';
  return new UserError(
    `${file}:${line}: function '${name}': registered on an 'app' that does not come from @azure/functions as far as ` +
      `the source shows (a package, a tsconfig "paths" alias, or a module whose exports are computed), so it ` +
      `cannot be read without running the app's code; import app from '@azure/functions' (or from a local module ` +
      `that re-exports it), or list the app's functions in the 'triggers' input`,
    file,
    line,
  );
}

/** An expression that stands for a library's `app` itself (`app`, `func.app`, `df.app`), not a declaration of it. */
function isAppReference(node: t.Node, parents: readonly t.Node[], scope: ModuleScope): boolean {
  if (node.type !== 'Identifier' && node.type !== 'MemberExpression') return false;
  const path = libraryPath(node, scope);
  if (path?.length !== 2 || path[1] !== 'app') return false;
  const parent = parents.at(-1);
  if (parent === undefined || parent.type.startsWith('Import') || parent.type.startsWith('TS')) return false;
  if (parent.type === 'VariableDeclarator' && parent.id === node) return false;
  // A property named app (`x.app`, `{ app: … }`) is not the library's.
  const isKey = (parent.type === 'MemberExpression' || parent.type === 'ObjectProperty') && !parent.computed;
  if (isKey && (parent.type === 'MemberExpression' ? parent.property : parent.key) === node) return false;
  return !(parent.type === 'ObjectProperty' && parents.at(-2)?.type === 'ObjectPattern') && !isHandedOn(parents);
}

/**
 * `export { app }`, `module.exports = { app }`, `exports.app = app`: handed to the modules that import it, whose calls
 * the indexer reads in turn.
 */
function isHandedOn(parents: readonly t.Node[]): boolean {
  const [grandparent, parent] = parents.slice(-2);
  if (parent?.type === 'ExportSpecifier') return true;
  if (parent?.type === 'AssignmentExpression') return exportTarget(parent.left) !== undefined;
  const greatGrandparent = parents.at(-3);
  return (
    parent?.type === 'ObjectProperty' &&
    grandparent?.type === 'ObjectExpression' &&
    greatGrandparent?.type === 'AssignmentExpression' &&
    exportTarget(greatGrandparent.left) === ''
  );
}

/** The `app` a call's callee starts from: `app` in `app.hook.appStart`. */
function appBase(callee: t.Node, scope: ModuleScope): t.Node | undefined {
  let node: t.Node = unwrap(callee);
  while (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    if (libraryPath(node, scope)?.length === 2) return node;
    node = unwrap(node.object);
  }
  return libraryPath(node, scope)?.length === 2 ? node : undefined;
}

function strayApp(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: 'app' is used other than by calling its methods (app.http(...), app.storageQueue(...), ...), ` +
      `so the functions it registers cannot be read without running the app's code; call app.<trigger>(name, ` +
      `{...}) at the top level of the module, or list the app's functions in the 'triggers' input`,
    file,
    line,
  );
}

/** require(x) or import(x) of a path made at run time. */
function isComputedLoad(node: t.Node): boolean {
  const isRequire =
    node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
  if (isRequire || (node.type === 'CallExpression' && node.callee.type === 'Import')) {
    return node.arguments.length > 0 && node.arguments[0]?.type !== 'StringLiteral';
  }
  return node.type === 'ImportExpression' && node.source.type !== 'StringLiteral';
}

function computedLoad(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: loads a module by a path made at run time, so the functions it may register cannot be read ` +
      `without running the app's code; name the files in package.json "main" (a glob), or list the app's ` +
      `functions in the 'triggers' input`,
    file,
    line,
  );
}

/** Code nested thousands deep exhausts the stack of a recursive reader: said, not crashed on. */
function tooDeep(file: string): UserError {
  return new UserError(`${file}: nested too deeply to be read; list the app's functions in the 'triggers' input`, file);
}

function moduleSpecifier(node: t.Node): string | undefined {
  if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration') return node.source.value;
  if (node.type === 'ExportNamedDeclaration') return node.source?.value;
  if (node.type === 'ImportExpression' && node.source.type === 'StringLiteral') return node.source.value;
  if (node.type === 'CallExpression' && node.callee.type === 'Import') {
    const [first] = node.arguments;
    return first?.type === 'StringLiteral' ? first.value : undefined;
  }
  return requiredSpecifier(node);
}

/** Constructs whose body may run once, many times or never: a registration inside one cannot be counted. */
const GUARDS: Readonly<Record<string, string>> = {
  FunctionDeclaration: 'a function',
  FunctionExpression: 'a function',
  ArrowFunctionExpression: 'a function',
  ObjectMethod: 'a function',
  ClassMethod: 'a function',
  IfStatement: 'an if',
  ConditionalExpression: 'a conditional',
  LogicalExpression: 'a conditional',
  SwitchStatement: 'a switch',
  ForStatement: 'a loop',
  ForInStatement: 'a loop',
  ForOfStatement: 'a loop',
  WhileStatement: 'a loop',
  DoWhileStatement: 'a loop',
  TryStatement: 'a try block',
};

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

/** Where a node sits: the construct that makes it run only sometimes, and the names nearer scopes declare. */
interface Place {
  readonly guard?: string;
  readonly inFunction: boolean;
  readonly shadowed: ReadonlySet<string>;
}

type Visit = (node: t.Node, where: Place, parents: readonly t.Node[]) => void;

const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

function walk(node: t.Node, where: Place, parents: t.Node[], visit: Visit): void {
  visit(node, where, parents);
  const declared = scopeNames(node);
  const inner: Place = {
    guard: where.guard ?? GUARDS[node.type],
    inFunction: where.inFunction || FUNCTIONS.has(node.type),
    shadowed: declared.length === 0 ? where.shadowed : new Set([...where.shadowed, ...declared]),
  };
  parents.push(node);
  for (const [key, child] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key) || child === null || typeof child !== 'object') continue;
    for (const item of Array.isArray(child) ? child : [child]) {
      if (item !== null && typeof item === 'object' && typeof (item as t.Node).type === 'string') {
        walk(item as t.Node, inner, parents, visit);
      }
    }
  }
  parents.pop();
}

/**
 * The names a function (its parameters) or a block (its declarations) gives its own body; the program's are the
 * module scope's. `var` is taken as the block's: close enough to tell a handler's `app` from the library's.
 */
function scopeNames(node: t.Node): string[] {
  const names: string[] = [];
  if (FUNCTIONS.has(node.type)) {
    const fn = node as t.Function;
    for (const param of fn.params) patternNames(param, names);
    if (node.type === 'FunctionExpression' && node.id) names.push(node.id.name);
  } else if (node.type === 'CatchClause' && node.param) patternNames(node.param, names);
  else if (node.type === 'BlockStatement' || node.type === 'StaticBlock') {
    for (const statement of node.body) {
      if (statement.type === 'VariableDeclaration') statement.declarations.forEach(({ id }) => patternNames(id, names));
      else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id)
        names.push(statement.id.name);
    }
  } else if (
    (node.type === 'ForStatement' && node.init?.type === 'VariableDeclaration') ||
    ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type === 'VariableDeclaration')
  ) {
    const declaration = (node.type === 'ForStatement' ? node.init : node.left) as t.VariableDeclaration;
    declaration.declarations.forEach(({ id }) => patternNames(id, names));
  }
  return names;
}

function patternNames(node: t.Node, names: string[]): void {
  if (node.type === 'Identifier') names.push(node.name);
  else if (node.type === 'ObjectPattern')
    node.properties.forEach((property) =>
      patternNames(property.type === 'RestElement' ? property : property.value, names),
    );
  else if (node.type === 'ArrayPattern') node.elements.forEach((element) => element && patternNames(element, names));
  else if (node.type === 'AssignmentPattern') patternNames(node.left, names);
  else if (node.type === 'RestElement') patternNames(node.argument, names);
  else if (node.type === 'TSParameterProperty') patternNames(node.parameter, names);
}
