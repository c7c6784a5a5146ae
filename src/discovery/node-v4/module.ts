import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { tooDeep, WAYS_OUT } from '../code-first.js';
import { noteConstantUse } from './changes.js';
import { isReference, useOf } from './flow.js';
import { libraryPath, type ModuleScope, type ModuleValue, requiredSpecifier, unwrap } from './literal.js';
import { moduleExports } from './module-exports.js';
import { emptyScope, LOCAL, topLevelScope } from './module-scope.js';
import { checkLibraryUse, LIBRARIES, looksLikeRegistration, unresolvedApp } from './library-uses.js';
import { type Load, LoadGraph, type Reached } from './run-at-load.js';
import { exportTarget, type Place, type Visit, walk } from './walk.js';

/** One source file, parsed: its top-level names, its registrations, and what it runs as it loads. */
export interface ParsedModule {
  readonly scope: ModuleScope;
  /** Every `app.*` call of the libraries, with what (if anything) makes it run only sometimes. */
  readonly calls: readonly {
    readonly call: t.CallExpression;
    readonly method: readonly string[];
    readonly guard?: string;
  }[];
  /** The loads (and calls into local modules' exports) the module runs while it loads. */
  readonly atLoad: Reached;
  /** What calling one of its exports runs. */
  readonly whenCalled: (name: string) => Reached;
  readonly exports: ModuleValue;
}

/** The exports of the local module a specifier names; undefined when unknown (not found, or a cycle). */
export type LocalExports = (specifier: string, kind: 'require' | 'import') => ModuleValue | undefined;

/** `commonjsOutput`: TypeScript that tsc builds to CommonJS (its imports become `require`s). */
export function parseModule(
  text: string,
  file: string,
  localExports: LocalExports,
  commonjsOutput = false,
): ParsedModule {
  const ast = parseText(text, file);
  if (ast === undefined)
    return { scope: emptyScope(file), calls: [], atLoad: NOTHING, whenCalled: () => NOTHING, exports: NONE };
  // Both libraries are compiled from ES modules (`__esModule` set): what tsc's and esbuild's helpers rely on.
  const moduleOf = (specifier: string, kind: 'require' | 'import' = 'require'): ModuleValue | undefined =>
    LIBRARIES.has(specifier)
      ? { whole: [specifier], named: new Map(), esModule: true }
      : LOCAL.test(specifier)
        ? localExports(specifier, kind)
        : undefined;
  const scope = topLevelScope(ast.program, file, moduleOf, commonjsOutput);
  const graph = new LoadGraph((call) => libraryPath(call.callee, scope) !== undefined);
  const calls: { call: t.CallExpression; method: readonly string[]; guard?: string }[] = [];
  // CommonJS allows a top-level `return`: what follows one runs only sometimes.
  let returned: t.Node | undefined;
  const suspects: { node: t.CallExpression; where: Place }[] = [];
  const visit: Visit = (node, place, parents) => {
    const skippable = returned !== undefined && !place.inFunction && (node.start ?? 0) > (returned.end ?? 0);
    const guard = `code the return on line ${returned?.loc?.start.line ?? 0} may skip`;
    const where = skippable && place.guard === undefined ? { ...place, guard } : place;
    const load = moduleLoad(node, commonjsOutput);
    if (load !== undefined && !LIBRARIES.has(load.specifier))
      graph.load(where, { ...load, line: node.loc?.start.line ?? 0 });
    else if (load === undefined && isComputedLoad(node)) graph.computedLoad(where, node);
    if (node.type === 'ReturnStatement' && !where.inFunction) returned ??= node;
    if (isShadowed(node, where.shadowed)) return;
    noteReference(node, parents, { graph, where, scope });
    checkLibraryUse(node, parents, scope);
    if (node.type !== 'CallExpression') return;
    const method = libraryPath(node.callee, scope);
    if (method !== undefined && method[1] === 'app') calls.push({ call: node, method, guard: where.guard });
    else if (method === undefined && looksLikeRegistration(node, scope)) suspects.push({ node, where });
  };
  try {
    walk(ast.program, { inFunction: false, shadowed: new Set() }, [], visit);
  } catch (error) {
    throw error instanceof RangeError ? tooDeep(file) : error;
  }
  // A change made before the constant is declared is overwritten by its declaration (tsc's `exports.x = void 0`).
  for (const [name, changes] of graph.changes()) {
    const start = scope.constants.get(name)?.start ?? 0;
    (scope.changes as Map<string, unknown>).set(
      name,
      changes.filter(({ position }) => position < 0 || position > start),
    );
  }
  const suspect = suspects.find(({ where }) => graph.runsAtLoad(where));
  if (suspect !== undefined) throw unresolvedApp(suspect.node, file);
  const atLoad = graph.atLoad();
  if (atLoad.computed[0] !== undefined) throw computedLoad(atLoad.computed[0], file);
  return {
    scope,
    calls,
    atLoad,
    whenCalled: (name) => graph.whenCalled(name),
    exports: moduleExports(ast.program, scope, moduleOf, commonjsOutput ? 'require' : 'import'),
  };
}

const NONE: ModuleValue = { named: new Map() };
const NOTHING: Reached = { loads: [], computed: [], imports: [] };

function parseText(text: string, file: string): t.File | undefined {
  const typescript = /\.[cm]?tsx?$/.test(file);
  // What apps are written in beyond the standard Babel reads: TypeScript's experimentalDecorators (TypeORM,
  // class-validator) and `accessor` fields, and the `assert { type: 'json' }` imports Node 18 and 20 accept.
  const syntax: ParserPlugin[] = ['decorators-legacy', 'decoratorAutoAccessors', 'deprecatedImportAssert'];
  const plugins: ParserPlugin[] = typescript ? ['typescript', ...syntax] : syntax;
  if (/x$/.test(file)) plugins.push('jsx');
  try {
    return parse(text, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    // A module that names neither library cannot register anything of theirs: what it holds is not ours to refuse.
    if (!mentionsRegistrations(text)) return undefined;
    // Babel's message names the spot ("Unexpected token (3:7)") and never quotes the source.
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    throw new UserError(`${file}:${loc?.line ?? 0}: cannot parse it: ${message.replace(/ \(\d+:\d+\)$/, '')}`, file);
  }
}

function mentionsRegistrations(text: string): boolean {
  return [...LIBRARIES].some((library) => text.includes(library)) || /\bapp\b/.test(text);
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

/** A name the code refers to: what it may call or load, and how it may change a constant. */
function noteReference(
  node: t.Node,
  parents: readonly t.Node[],
  context: Pick<Reference, 'graph' | 'where' | 'scope'>,
): void {
  const required = requiredSpecifier(node);
  if (required !== undefined && LOCAL.test(required)) {
    const use = useOf(node, parents);
    // `const { f } = require('./m')`: the names it declares are followed where they are used.
    if (use.kind !== 'declared' || !use.topLevel || !use.direct)
      context.graph.usesImport(context.where, required, '*', use);
  }
  if (node.type === 'Identifier') {
    if (!isReference(node, parents)) return;
    const use = useOf(node, parents);
    context.graph.reference(context.where, node.name, use, context.scope);
    if (context.scope.constants.has(node.name)) noteConstantUse({ ...context, name: node.name, node, parents }, use);
  } else if (node.type === 'MemberExpression') {
    // `exports.x`: a value the module exports (tsc's CommonJS output reads its own exports so), or a function.
    const name = exportTarget(node);
    if (!name) return;
    const use = useOf(node, parents);
    context.graph.reference(context.where, `export:${name}`, use, context.scope);
    const key = `exports.${name}`;
    if (context.scope.constants.has(key)) noteConstantUse({ ...context, name: key, node, parents }, use);
  }
}

type Reference = Parameters<typeof noteConstantUse>[0];

/** require(x) or import(x) of a path made at run time. */
function isComputedLoad(node: t.Node): boolean {
  const isRequire =
    node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
  if (isRequire || (node.type === 'CallExpression' && node.callee.type === 'Import')) {
    return node.arguments.length > 0 && moduleLoad(node, false) === undefined;
  }
  return node.type === 'ImportExpression' && node.source.type !== 'StringLiteral';
}

export function computedLoad(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: loads a module by a path made at run time, so the functions it may register cannot be read ` +
      `without running the app's code; name the files in package.json "main" (a glob), ${WAYS_OUT}`,
    file,
    line,
  );
}

/** The module a node loads, as written, and whether `require` or `import` loads it (tsc's CommonJS: always require). */
function moduleLoad(node: t.Node, commonjsOutput: boolean): Omit<Load, 'line'> | undefined {
  const imported = commonjsOutput ? 'require' : 'import';
  if (
    node.type === 'ImportDeclaration' ||
    node.type === 'ExportAllDeclaration' ||
    node.type === 'ExportNamedDeclaration'
  ) {
    const typeOnly =
      (node as { importKind?: string; exportKind?: string }).importKind === 'type' ||
      (node as { exportKind?: string }).exportKind === 'type';
    return node.source && !typeOnly ? { specifier: node.source.value, kind: imported } : undefined;
  }
  if (node.type === 'TSImportEqualsDeclaration' && node.moduleReference.type === 'TSExternalModuleReference')
    return { specifier: node.moduleReference.expression.value, kind: 'require' };
  const source =
    node.type === 'ImportExpression'
      ? node.source
      : node.type === 'CallExpression' && node.callee.type === 'Import'
        ? node.arguments[0]
        : undefined;
  const specifier = source && literalText(source);
  if (specifier !== undefined) return { specifier, kind: imported };
  const required =
    requiredSpecifier(node) ?? (isRequire(node) ? literalText((node as t.CallExpression).arguments[0]) : undefined);
  return required === undefined ? undefined : { specifier: required, kind: 'require' };
}

function isRequire(node: t.Node): boolean {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
}

/** A string literal, or a template with no `${…}` in it. */
function literalText(node: t.Node | undefined): string | undefined {
  if (node?.type === 'StringLiteral') return node.value;
  return node?.type === 'TemplateLiteral' && node.expressions.length === 0
    ? (node.quasis[0]?.value.cooked ?? undefined)
    : undefined;
}
