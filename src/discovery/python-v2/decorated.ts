import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { applyDecorator, type DecoratorUse } from './apply.js';
import type { AppObject, FunctionBuilder } from './bindings.js';
import { DECORATORS, UNREAD } from './decorators.js';
import { describeBinding, type Evaluation, type NameBinding } from './literal.js';
import { decodeString } from './strings.js';
import { memberOf } from './imports.js';
import type { Run } from './module.js';
import { lineAt, type PythonFile, textOf } from './syntax.js';

/** A decorated function at the top level of a module: the app's decorators on it, applied bottom up as Python does. */

/** Keywords only FunctionApp.route takes: a `route` decorator with one of them is a registration. */
const ROUTE_ONLY = new Set(['auth_level', 'trigger_arg_name', 'binding_arg_name', 'trigger_extra_fields']);

interface DecoratorTarget extends DecoratorUse {
  readonly base: string;
  readonly baseNode: SyntaxNode;
  readonly binding?: NameBinding;
}

function decoratorTarget(decorator: SyntaxNode, run: Run): DecoratorTarget | undefined {
  const names = decorator.getChildren('VariableName');
  const method = names.pop();
  const [first, ...rest] = names;
  if (method === undefined || first === undefined) return undefined;
  let binding = run.scope.names.get(textOf(run.module.source, first));
  for (const part of rest) binding = memberOf(binding, textOf(run.module.source, part), run.load);
  return {
    node: decorator,
    method: textOf(run.module.source, method),
    argList: decorator.getChild('ArgList'),
    base: names.map((name) => textOf(run.module.source, name)).join('.'),
    baseNode: first,
    binding,
  };
}

/** A decorator with a FunctionApp method's name on an object the source does not show: never dropped silently. */
function looksLikeRegistration(target: DecoratorTarget, source: PythonFile): boolean {
  if (target.binding?.kind === 'object' || target.method === 'retry' || target.method === 'http_type') return false;
  if (!(target.method in DECORATORS) && !UNREAD.has(target.method)) return false;
  if (target.method !== 'route') return true;
  const keywords = (target.argList?.getChildren('VariableName') ?? []).map((name) => textOf(source, name));
  return keywords.some((keyword) => ROUTE_ONLY.has(keyword));
}

export function runDecorated(statement: SyntaxNode, run: Run): void {
  const source = run.module.source;
  const definition = statement.lastChild as SyntaxNode;
  const defNameNode = definition.getChild('VariableName');
  const defName = defNameNode ? textOf(source, defNameNode) : '?';
  const targets = statement.getChildren('Decorator').map((decorator) => decoratorTarget(decorator, run));
  const functionName = literalFunctionName(targets, source) ?? defName;
  const fail: (node: SyntaxNode, message: string) => never = (node, message) => {
    const line = lineAt(source, node.from);
    throw new UserError(`${source.file}:${line}: function '${functionName}': ${message}`, source.file, line);
  };
  for (const target of targets) {
    if (target && looksLikeRegistration(target, source)) fail(target.node, unresolvedApp(target));
  }
  const appTargets = targets.flatMap((target) => (target?.binding?.kind === 'object' ? [target] : []));
  if (defNameNode) run.bind(defName, { kind: 'other', what: 'a function' });
  const innermost = appTargets.at(-1);
  if (innermost === undefined) return;
  const object = (innermost.binding as { object: AppObject }).object;
  const firstApp = targets.indexOf(appTargets[0]);
  if (targets.slice(firstApp).some((target) => target?.binding?.kind !== 'object'))
    fail(
      innermost.node,
      `a decorator that is not the app's stands below @${appTargets[0]?.base}.… (what it returns cannot be known without running it); put it above the app's decorators, or ${WAYS_OUT}`,
    );
  if (appTargets.some((target) => (target.binding as { object: AppObject }).object !== object))
    fail(innermost.node, `decorated by two different app objects, which the library cannot build one function from`);
  if (definition.name !== 'FunctionDefinition') fail(statement, `the app's decorators are on a class, not a function`);
  const builder: FunctionBuilder = {
    defName,
    source: `${source.file}:${lineAt(source, statement.from)}`,
    bindings: [],
  };
  const context: Evaluation = { scope: run.scope, subject: `function '${functionName}'` };
  const isDurable = object.kind === 'DFApp' || object.kind === 'DFBlueprint';
  for (const target of [...appTargets].reverse()) {
    run.accounted.add(target.baseNode.from);
    if (isDurable && target !== innermost && ['orchestration_trigger', 'entity_trigger'].includes(target.method))
      fail(
        target.node,
        `@${target.base}.${target.method} must be the decorator nearest the def (the library fails otherwise)`,
      );
    applyDecorator(object, builder, target, context);
  }
  object.builders.push(builder);
}

/** `@app.function_name("x")` / `(name="x")` written as a plain string: the name messages use before it is read. */
function literalFunctionName(targets: (DecoratorTarget | undefined)[], source: PythonFile): string | undefined {
  const use = targets.find((target) => target?.method === 'function_name');
  const argument = use?.argList?.getChild('String');
  const name = argument ? decodeString(textOf(source, argument)) : undefined;
  return typeof name === 'string' ? name : undefined;
}

function unresolvedApp(target: DecoratorTarget): string {
  const what = describeBinding(target.binding);
  return (
    `decorated by @${target.base}.${target.method}, and '${target.base}' is not a FunctionApp, DFApp or Blueprint ` +
    `the source shows (${what}), so what it registers cannot be read without running the app's code; create it ` +
    `with func.FunctionApp(), df.DFApp() or func.Blueprint() in the app's own modules, or ${WAYS_OUT}`
  );
}
