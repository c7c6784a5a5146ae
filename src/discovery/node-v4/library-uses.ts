import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { isReference, useOf } from './flow.js';
import { importHelper, isModuleHelper } from './interop.js';
import { libraryPath, type ModuleScope, requiredSpecifier, unwrap } from './literal.js';
import { IMPORTED } from './module-scope.js';
import { AZURE_FUNCTIONS, DURABLE_FUNCTIONS, REGISTRATION_METHODS, SHORTCUT_METHODS } from './registrations.js';

/** How a module uses the libraries' `app` beyond registering: what hides registrations, and what fails as it loads. */

export const LIBRARIES: ReadonlySet<string> = new Set([AZURE_FUNCTIONS, DURABLE_FUNCTIONS]);

/**
 * Every use of a library's `app` (or of a whole library) other than a call of its methods, a top-level declaration
 * that names it, or handing it to importers would hide registrations (`setUp(app)`, `list.push(app.http)`); and a
 * library's `default` is undefined where CommonJS reads it (`require(x).default`).
 */
export function checkLibraryUse(node: t.Node, parents: readonly t.Node[], scope: ModuleScope): void {
  if (!['Identifier', 'MemberExpression', 'OptionalMemberExpression', 'CallExpression'].includes(node.type)) return;
  const parent = parents.at(-1);
  const chained =
    (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.object === node;
  if (chained || (node.type === 'Identifier' && !isReference(node, parents))) return;
  const path = libraryPath(node, scope);
  if (path === undefined || !LIBRARIES.has(path[0] as string)) return;
  if (path[1] === 'default') throw undefinedDefault(node, path[0] as string, scope.file);
  if (path.length > 1 && path[1] !== 'app') return;
  const use = useOf(node, parents);
  const allowed =
    use.kind === 'called' ||
    use.kind === 'exported' ||
    use.kind === 'read' ||
    (use.kind === 'declared' && use.topLevel) ||
    (use.kind === 'argument' && isModuleHelper(use.call));
  if (!allowed) throw strayApp(node, scope.file, path.length === 1 ? (path[0] as string) : 'app');
}

/**
 * `X.app.http('f', ...)`, `X.storageQueue('f', { handler })`, `storageQueue('f', { handler })`, or any registration
 * method called with a function's name on an `X` from a module the indexer cannot follow (a package, a tsconfig
 * `paths` alias, a bundle's lazily loaded module, a module whose exports are computed): likely a registration, and so
 * never silently dropped (in code that runs as the app loads: a registration anywhere else fails in the library). A
 * route (`app.get('/x', ...)`, Express) is not a function's name.
 */
export function looksLikeRegistration(node: t.CallExpression, scope: ModuleScope): boolean {
  const callee = unwrap(node.callee);
  const method = callee.type === 'Identifier' ? callee.name : propertyName(callee);
  if (method === undefined || !REGISTRATION_METHODS.has(method)) return false;
  if (callee.type === 'Identifier' && (scope.functions.has(method) || scope.constants.has(method))) return false;
  // Every registration takes a name and options (or a handler).
  const [name, options] = node.arguments;
  if (options === undefined || (name?.type === 'StringLiteral' && !/^[A-Za-z][\w-]*$/.test(name.value))) return false;
  const base = callee.type === 'MemberExpression' ? unwrap(callee.object) : undefined;
  // `x.app.http(...)`, `app.http(...)`, durable-functions' `df.app.client.http(...)`.
  const onApp =
    base !== undefined &&
    (nameOf(base) === 'app' ||
      (propertyName(base) === 'client' && nameOf((base as t.MemberExpression).object) === 'app'));
  const hasHandler =
    options.type === 'ObjectExpression' &&
    options.properties.some((property) => property.type !== 'SpreadElement' && propertyName(property) === 'handler');
  return (
    onApp ||
    (name?.type === 'StringLiteral' &&
      (hasHandler || (base !== undefined && !SHORTCUT_METHODS.has(method) && fromElsewhere(base, scope))))
  );
}

/** An expression that starts from a module the indexer does not follow: `az.x` with `az` imported, `require('y').x`. */
function fromElsewhere(node: t.Node, scope: ModuleScope): boolean {
  let inner = unwrap(node);
  while (inner.type === 'MemberExpression' || inner.type === 'OptionalMemberExpression') inner = unwrap(inner.object);
  if (inner.type === 'CallExpression')
    return requiredSpecifier(inner) !== undefined || importHelper(inner) !== undefined;
  return (
    inner.type === 'Identifier' && (scope.otherNames.get(inner.name) === IMPORTED || scope.namespaces.has(inner.name))
  );
}

/** `x` of `x` or `a.x`. */
function nameOf(node: t.Node): string | undefined {
  const inner = unwrap(node);
  return inner.type === 'Identifier' ? inner.name : propertyName(inner);
}

/** The key of `a.key`, `{ key: … }`, `{ key() {} }` written as a name. */
function propertyName(node: t.Node): string | undefined {
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression')
    return !node.computed && node.property.type === 'Identifier' ? node.property.name : undefined;
  if (node.type === 'ObjectProperty' || node.type === 'ObjectMethod')
    return !node.computed && node.key.type === 'Identifier' ? node.key.name : undefined;
  return undefined;
}

export function unresolvedApp(node: t.CallExpression, file: string): UserError {
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

function strayApp(node: t.Node, file: string, what: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: '${what}' is used other than by calling its methods (app.http(...), app.storageQueue(...), ...), ` +
      `so the functions it registers cannot be read without running the app's code; call app.<trigger>(name, ` +
      `{...}) at the top level of the module, ${WAYS_OUT}`,
    file,
    line,
  );
}

function undefinedDefault(node: t.Node, library: string, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: reads the default export of ${library}, which it does not have: compiled to CommonJS (as tsc ` +
      `and esbuild build it here) it is undefined and the app fails as it loads; import { app } from '${library}' ` +
      `(or import * as ... from it)`,
    file,
    line,
  );
}
