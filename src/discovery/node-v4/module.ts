import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { tooDeep, WAYS_OUT } from '../code-first.js';
import { libraryPath, type ModuleScope, type ModuleValue, requiredSpecifier, unwrap } from './literal.js';
import { exportTarget, IMPORTED, moduleExports, topLevelScope } from './module-scope.js';
import { AZURE_FUNCTIONS, DURABLE_FUNCTIONS, REGISTRATION_METHODS } from './registrations.js';
import { IMMEDIATE, type Visit, walk } from './walk.js';

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
  // A load inside a function runs when (if ever) the function is called: it matters only for the module's functions
  // called while it loads (directly, handed to a call, or through one another) and ones called where they stand.
  const calledAtLoad = new Set([IMMEDIATE]);
  const callsFrom = new Map<string, Set<string>>();
  const loadsIn: { node: t.Node; within: string }[] = [];
  const visit: Visit = (node, where, parents) => {
    const specifier = moduleSpecifier(node);
    if (specifier !== undefined && LOCAL.test(specifier)) localModules.push(specifier);
    else if (specifier === undefined && isComputedLoad(node)) {
      if (!where.inFunction) throw computedLoad(node, file);
      if (where.topFunction !== undefined) loadsIn.push({ node, within: where.topFunction });
    }
    if (node.type === 'CallExpression' && (!where.inFunction || where.topFunction !== undefined)) {
      const caller = where.inFunction ? where.topFunction : undefined;
      const edges = caller === undefined ? calledAtLoad : (callsFrom.get(caller) ?? new Set<string>());
      if (caller !== undefined) callsFrom.set(caller, edges);
      for (const name of calledNames(node)) edges.add(name);
    }
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
  for (const name of calledAtLoad) callsFrom.get(name)?.forEach((callee) => calledAtLoad.add(callee));
  const loadAtLoad = loadsIn.find(({ within }) => calledAtLoad.has(within));
  if (loadAtLoad !== undefined) throw computedLoad(loadAtLoad.node, file);
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
      `that re-exports it), ${WAYS_OUT}`,
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
 * `export { app }`, `export default app`, `module.exports = { app }`, `exports.app = app`: handed to the modules
 * that import it, whose calls the indexer reads in turn.
 */
function isHandedOn(parents: readonly t.Node[]): boolean {
  const [grandparent, parent] = parents.slice(-2);
  if (parent?.type === 'ExportSpecifier' || parent?.type === 'ExportDefaultDeclaration') return true;
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
      `{...}) at the top level of the module, ${WAYS_OUT}`,
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
      `without running the app's code; name the files in package.json "main" (a glob), ${WAYS_OUT}`,
    file,
    line,
  );
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

/** The names a call may run: its callee's, and those of functions handed to it (`files.forEach(load)`). */
function calledNames(call: t.CallExpression): string[] {
  return [call.callee, ...call.arguments].flatMap((node) => (node.type === 'Identifier' ? [node.name] : []));
}
