import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { bindArguments, type DecoratorUse } from './apply.js';
import type { AppKind, AppObject, FunctionBuilder } from './bindings.js';
import { EXTERNAL_HTTP_PARAMS, REGISTER_PARAMS } from './decorators.js';
import { type Evaluation, isLibraryPath, type NameBinding, namedPath, PyEnum, type Scope } from './literal.js';
import { attributesAfter, checkAppUses } from './uses.js';
import { memberOf, runImport } from './imports.js';
import { checkNamespaceReach, runUnreachedImports } from './reach.js';
import { boundNames, globalNames, GUARDS, LITERAL_SHAPES, MUTABLE_SHAPES, onlyReadPlainly } from './statements.js';
import { runDecorated } from './decorated.js';
import { childrenOf, eachNode, lineAt, type PythonFile, statementsOf, textOf } from './syntax.js';

/** A local module, run from the top the way Python imports it, as far as its source shows without running it. */
export interface PythonModule {
  readonly name: string;
  readonly isPackage: boolean;
  readonly source: PythonFile;
  /** The names bound so far (while it runs) or at its end. */
  readonly names: Map<string, NameBinding>;
}

/** Finds and runs local modules by dotted name (each once, as sys.modules keeps them); undefined when none is local. */
export interface ModuleLoader {
  (name: string): PythonModule | undefined;
  /** A module already run (or running), without running one. */
  readonly loaded: (name: string) => PythonModule | undefined;
  /** Every app object made so far, in any module: what a module registers shows in their builders. */
  readonly objects: AppObject[];
}

/** The constructors of the libraries that make the objects functions are registered on. */
const CONSTRUCTORS: Readonly<Record<string, Readonly<Record<string, AppKind>>>> = {
  functions: {
    FunctionApp: 'FunctionApp',
    Blueprint: 'Blueprint',
    AsgiFunctionApp: 'AsgiFunctionApp',
    WsgiFunctionApp: 'WsgiFunctionApp',
  },
  durable_functions: { DFApp: 'DFApp', Blueprint: 'DFBlueprint' },
};

export function runModule(module: PythonModule, load: ModuleLoader): void {
  const { source, names } = module;
  const counts = new Map<string, number>();
  for (const statement of statementsOf(source.top)) {
    boundNames(statement, source, (name) => counts.set(name, (counts.get(name) ?? 0) + 1));
  }
  const globals = globalNames(source.top, source);
  const scope: Scope = { source, names };
  // Every use of an app object the run accounts for; any other is checked after it.
  const accounted = new Set<number>();
  const kinds = { object: new Set<string>(), module: new Set<string>(), library: new Set<string>() };
  const bind = (name: string, binding: NameBinding) => {
    names.set(name, binding);
    if (binding.kind !== 'constant' && binding.kind !== 'other') kinds[binding.kind].add(name);
  };
  const context = { module, load, scope, accounted, bind, counts, globals };
  for (const statement of statementsOf(source.top)) {
    switch (statement.name) {
      case 'ImportStatement':
        runImport(statement, context);
        break;
      case 'AssignStatement':
        runAssign(statement, context);
        break;
      case 'DecoratedStatement':
        runDecorated(statement, context);
        break;
      case 'ExpressionStatement':
        runRegistration(statement, context);
        break;
      default: {
        const what = GUARDS[statement.name];
        boundNames(statement, source, (name) =>
          bind(name, { kind: 'other', what: what ? `bound inside ${what}` : 'bound by a statement' }),
        );
        eachNode(statement, (node) => void (node.name === 'ImportStatement' && runImport(node, context)));
      }
    }
  }
  const unreached = runUnreachedImports(context);
  const modules = new Set([...kinds.module, ...unreached.keys()]);
  checkAppUses(source, { ...kinds, module: modules }, accounted, (node) => objectDepth(node, context, unreached));
  checkNamespaceReach(source);
}

export type Run = {
  readonly module: PythonModule;
  readonly load: ModuleLoader;
  readonly scope: Scope;
  readonly accounted: Set<number>;
  readonly bind: (name: string, binding: NameBinding) => void;
  readonly counts: ReadonlyMap<string, number>;
  readonly globals: ReadonlySet<string>;
};

/** What a name or attribute chain stands for (`orders.bp`, `func.FunctionApp`). */
export function resolve(node: SyntaxNode, run: Pick<Run, 'scope' | 'load'>): NameBinding | undefined {
  const source = run.scope.source;
  if (node.name === 'VariableName') return run.scope.names.get(textOf(source, node));
  if (node.name !== 'MemberExpression') return undefined;
  const [object, , property] = childrenOf(node);
  if (object === undefined || property?.name !== 'PropertyName') return undefined;
  return memberOf(resolve(object, run), textOf(source, property), run.load);
}

/** How many of the attributes read after a module's name (`shared.bp.route`) come to an app object, if any do. */
function objectDepth(node: SyntaxNode, run: Run, unreached: ReadonlyMap<string, NameBinding>): number | undefined {
  const name = textOf(run.module.source, node);
  let binding = run.scope.names.get(name) ?? unreached.get(name);
  const attributes = attributesAfter(node, run.module.source);
  for (const [index, key] of attributes.entries()) {
    // Only modules already run: a read in a handler never runs one.
    binding = memberOf(binding, key, run.load.loaded);
    if (binding?.kind === 'object') return index + 1;
  }
  return undefined;
}

function runAssign(statement: SyntaxNode, run: Run): void {
  const parts = childrenOf(statement);
  const last = parts.map((part) => part.name).lastIndexOf('AssignOp');
  const value = last === -1 ? undefined : parts[last + 1];
  const targets = parts.slice(0, last).filter((part) => part.name !== 'TypeDef');
  const single = targets.length === 1 && targets[0]?.name === 'VariableName' ? targets[0] : undefined;
  const kind = value?.name === 'CallExpression' ? constructorKind(value.firstChild as SyntaxNode, run) : undefined;
  if (kind !== undefined && single !== undefined && value !== undefined) {
    run.accounted.add(single.from);
    run.bind(textOf(run.module.source, single), { kind: 'object', object: createObject(kind, single, value, run) });
    return;
  }
  boundNames(statement, run.module.source, (name, node) => {
    const once = run.counts.get(name) === 1 && !run.globals.has(name);
    const what = !once
      ? 'a variable bound more than once'
      : node.from !== single?.from || value === undefined
        ? 'bound by unpacking'
        : !LITERAL_SHAPES.has(value.name)
          ? `bound to ${value.name === 'CallExpression' ? 'what a call returns' : 'an expression'}`
          : MUTABLE_SHAPES.has(value.name) && !onlyReadPlainly(name, node, run.module.source)
            ? 'a list or dict the module also uses elsewhere (it may change before it is read)'
            : undefined;
    run.bind(
      name,
      what === undefined && value !== undefined ? { kind: 'constant', value } : { kind: 'other', what: what ?? '' },
    );
  });
}

function constructorKind(callee: SyntaxNode, run: Run): AppKind | undefined {
  const path = namedPath(callee, run.scope);
  if (path === undefined || !isLibraryPath(path)) return undefined;
  return CONSTRUCTORS[path[1] as string]?.[path.at(-1) as string];
}

/** `func.FunctionApp(http_auth_level=...)`, `df.DFApp()`, `func.Blueprint()`, `func.AsgiFunctionApp(app, ...)`. */
function createObject(kind: AppKind, target: SyntaxNode, call: SyntaxNode, run: Run): AppObject {
  const name = textOf(run.module.source, target);
  const object: AppObject = { kind, name, builders: [] };
  // The app made below shares these builders.
  run.load.objects.push(object);
  if (kind === 'Blueprint' || kind === 'DFBlueprint') return object;
  const context: Evaluation = { scope: run.scope, subject: `${kind}()` };
  const external = kind === 'AsgiFunctionApp' || kind === 'WsgiFunctionApp';
  const use: DecoratorUse = { node: call, method: kind, argList: call.getChild('ArgList') };
  const { values } = bindArguments(external ? EXTERNAL_HTTP_PARAMS : REGISTER_PARAMS, use, context, (problem) => {
    const line = lineAt(run.module.source, call.from);
    throw new UserError(`${run.module.source.file}:${line}: ${kind}(): ${problem}`, run.module.source.file, line);
  });
  const level = values.get('http_auth_level') ?? null;
  // HttpFunctionsAuthLevelMixin: a string must be the member's own name (AuthLevel[...]), not any case.
  const authLevel = typeof level === 'string' ? new PyEnum('AuthLevel', level) : level;
  if (!(authLevel instanceof PyEnum) || !['FUNCTION', 'ANONYMOUS', 'ADMIN'].includes(authLevel.member)) {
    const line = lineAt(run.module.source, call.from);
    throw new UserError(
      `${run.module.source.file}:${line}: ${kind}(): 'http_auth_level' must be FUNCTION, ANONYMOUS or ADMIN, so the ` +
        `library would fail`,
      run.module.source.file,
      line,
    );
  }
  const app: AppObject = { ...object, authLevel };
  if (external) app.builders.push(externalHttpFunction(values.get('function_name'), run, call, app));
  return app;
}

/** The one HTTP function AsgiFunctionApp and WsgiFunctionApp register as they are made (`_add_http_app`). */
function externalHttpFunction(name: unknown, run: Run, call: SyntaxNode, app: AppObject): FunctionBuilder {
  const source = run.module.source;
  const line = lineAt(source, call.from);
  if (typeof name !== 'string')
    throw new UserError(`${source.file}:${line}: ${app.kind}(): 'function_name' must be a string`, source.file, line);
  const methods = ['GET', 'POST', 'DELETE', 'HEAD', 'PATCH', 'PUT', 'OPTIONS'].map((m) => new PyEnum('HttpMethod', m));
  const trigger = {
    type: 'httpTrigger',
    direction: 'IN' as const,
    dataType: null,
    params: [
      ['name', 'req'],
      ['methods', methods],
      ['auth_level', app.authLevel ?? null],
      ['route', '/{*route}'],
    ] as [string, PyEnum[] | PyEnum | string | null][],
  };
  const output = {
    type: 'http',
    direction: 'OUT' as const,
    dataType: null,
    params: [['name', '$return']] as [string, string][],
  };
  return {
    defName: 'http_app_func',
    source: `${source.file}:${line}`,
    functionName: name,
    trigger,
    bindings: [trigger, output],
  };
}

/** `app.register_functions(bp)` / `register_blueprint(bp)`: the Blueprint's functions so far join the app's. */
function runRegistration(statement: SyntaxNode, run: Run): void {
  const call = statement.firstChild;
  const callee = call?.name === 'CallExpression' ? call.firstChild : null;
  if (callee?.name !== 'MemberExpression') return;
  const [objectNode, , property] = childrenOf(callee);
  const method = property ? textOf(run.module.source, property) : '';
  if (objectNode === undefined || (method !== 'register_functions' && method !== 'register_blueprint')) return;
  const target = resolve(objectNode, run);
  if (target?.kind !== 'object') return;
  const source = run.module.source;
  const line = lineAt(source, statement.from);
  const fail: (problem: string) => never = (problem) => {
    throw new UserError(`${source.file}:${line}: ${textOf(source, callee)}(...): ${problem}`, source.file, line);
  };
  const app = target.object as AppObject;
  if (app.kind === 'Blueprint' || app.kind === 'DFBlueprint')
    fail(`a Blueprint has no ${method}, so the library would fail`);
  const args = childrenOf(call?.getChild('ArgList') as SyntaxNode).filter(
    (part) => !['(', ')', ','].includes(part.name),
  );
  const registered = args.length === 1 ? resolve(args[0] as SyntaxNode, run) : undefined;
  if (registered?.kind !== 'object')
    fail(
      `registers something the source does not show to be a Blueprint, so its functions cannot be read without running the app's code; pass a Blueprint made with func.Blueprint() in the app's own modules, or ${WAYS_OUT}`,
    );
  const blueprint = registered.object as AppObject;
  if (blueprint.kind !== 'Blueprint' && blueprint.kind !== 'DFBlueprint')
    fail(`registers a ${blueprint.kind}, which the library refuses (only Blueprints)`);
  app.builders.push(...blueprint.builders);
  for (const node of [objectNode, args[0] as SyntaxNode]) run.accounted.add(leftmost(node).from);
}

function leftmost(node: SyntaxNode): SyntaxNode {
  let inner = node;
  while (inner.name === 'MemberExpression' && inner.firstChild) inner = inner.firstChild;
  return inner;
}
