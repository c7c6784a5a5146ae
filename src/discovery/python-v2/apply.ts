import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import {
  type AppObject,
  attribute,
  type BindingModel,
  type FunctionBuilder,
  isBindingKey,
  toEnum,
} from './bindings.js';
import { DECORATORS, type DecoratorSpec, type Param, UNREAD } from './decorators.js';
import { BLOB_SOURCE_VALUES, evaluate, type Evaluation, PyDict, PyEnum, type PyValue } from './literal.js';
import { argumentWalrus } from './statements.js';
import { childrenOf, lineAt, textOf } from './syntax.js';

/** One `@object.method(...)` on a function. */
export interface DecoratorUse {
  readonly node: SyntaxNode;
  readonly method: string;
  readonly argList: SyntaxNode | null;
}

/** What one decorator does to the function's builder, as the library's decorator would do it. */
export function applyDecorator(object: AppObject, builder: FunctionBuilder, use: DecoratorUse, context: Evaluation) {
  const refuse: (problem: string) => never = (problem) => decoratorError(object, use, context, problem);
  const spec = DECORATORS[use.method];
  if (spec === undefined) {
    if (UNREAD.has(use.method)) refuse(`@${use.method} is not read from source yet: ${WAYS_OUT}`);
    refuse(`'${use.method}' is not a decorator of azure-functions' ${object.kind}, so the library would fail`);
  }
  if (spec.kind === 'setting') return;
  const isDurableObject = object.kind === 'DFApp' || object.kind === 'DFBlueprint';
  const { values, extra } = bindArguments(spec, use, context, refuse);
  if (spec.durable && !isDurableObject) {
    // FunctionApp hands a durable decorator the bare function (_invoke_df_decorator): what was added below is lost.
    builder.bindings = [];
    builder.trigger = undefined;
    builder.functionName = undefined;
  }
  if (spec.kind === 'functionName') {
    const name = values.get('name');
    if (typeof name !== 'string') refuse(`the function's name must be a string`);
    builder.functionName ??= name;
  } else if (spec.kind === 'route') {
    addTrigger(builder, routeTrigger(values, refuse), refuse);
    const output = dictOf(values.get('binding_extra_fields'), 'binding_extra_fields', refuse);
    builder.bindings.push(binding('http', 'OUT', [['name', values.get('binding_arg_name') ?? null], ...output]));
  } else {
    const made = specBinding(spec, values, extra, refuse);
    if (spec.kind === 'trigger') addTrigger(builder, made, refuse);
    else builder.bindings.push(made);
  }
}

function decoratorError(object: AppObject, use: DecoratorUse, context: Evaluation, problem: string): never {
  const line = lineAt(context.scope.source, use.node.from);
  const file = context.scope.source.file;
  throw new UserError(`${file}:${line}: @${object.name}.${use.method} on ${context.subject}: ${problem}`, file, line);
}

function binding(type: PyValue, direction: 'IN' | 'OUT', params: [string, PyValue][]): BindingModel {
  // Extra fields named data_type reach the binding's constructor as they are.
  const dataType = params.find(([name]) => name === 'data_type')?.[1] ?? null;
  return { type, direction, dataType, params };
}

function addTrigger(builder: FunctionBuilder, trigger: BindingModel, refuse: (problem: string) => never): void {
  if (builder.trigger) refuse('a second trigger for one function, which the library refuses');
  builder.trigger = trigger;
  builder.bindings.push(trigger);
}

function routeTrigger(values: Map<string, PyValue>, refuse: (problem: string) => never): BindingModel {
  const fields = dictOf(values.get('trigger_extra_fields'), 'trigger_extra_fields', refuse);
  return binding('httpTrigger', 'IN', [
    ['name', values.get('trigger_arg_name') ?? null],
    ['methods', values.get('methods') ?? null],
    ['auth_level', values.get('auth_level') ?? null],
    ['route', values.get('route') ?? null],
    ...fields,
  ]);
}

function dictOf(value: PyValue | undefined, what: string, refuse: (problem: string) => never): [string, PyValue][] {
  if (value === undefined || value === null) return [];
  if (!(value instanceof PyDict)) refuse(`'${what}' must be a dict`);
  return checkedKeys([...value.entries], refuse);
}

function checkedKeys(entries: [string, PyValue][], refuse: (problem: string) => never): [string, PyValue][] {
  for (const [key] of entries) {
    if (key === 'name') refuse(`an extra field named 'name', which the binding's own name takes`);
    if (!isBindingKey(key)) refuse(`an extra field named '${key}', which the library cannot camel-case`);
  }
  return entries;
}

function specBinding(
  spec: DecoratorSpec,
  values: Map<string, PyValue>,
  extra: [string, PyValue][],
  refuse: (problem: string) => never,
): BindingModel {
  const [nameParam, ...rest] = spec.params as [Param, ...Param[]];
  const kept = rest.filter((param) => param.name !== 'type' && param.conversion !== 'ignore');
  const type = spec.type ?? values.get('type') ?? null;
  const made = binding(type, spec.kind === 'output' ? 'OUT' : 'IN', [
    ['name', values.get(nameParam.name) ?? null],
    ...kept.map((param): [string, PyValue] => [param.name, values.get(param.name) ?? null]),
    ...checkedKeys(extra, refuse),
  ]);
  if (spec.type === 'eventGrid') {
    const connection = attribute(made, 'connection') ?? null;
    const endpoint = attribute(made, 'topic_endpoint_uri') ?? null;
    const key = attribute(made, 'topic_key_setting') ?? null;
    if (connection !== null ? endpoint !== null || key !== null : endpoint === null || key === null)
      refuse(`give either 'connection' or both 'topic_endpoint_uri' and 'topic_key_setting' (the library refuses it)`);
  }
  return made;
}

type Given = { readonly node: SyntaxNode } | { readonly value: PyValue };

/** Python's binding of call arguments to the decorator's parameters, then each value read and converted. */
export function bindArguments(
  spec: DecoratorSpec,
  use: DecoratorUse,
  context: Evaluation,
  refuse: (problem: string) => never,
) {
  const given = new Map<string, Given>();
  const extra: [string, PyValue][] = [];
  const give = (name: string, value: Given) => {
    if (given.has(name)) refuse(`'${name}' is given twice`);
    if (spec.params.some((param) => param.name === name)) given.set(name, value);
    else if (spec.kwargs) extra.push([name, 'node' in value ? evaluate(value.node, name, context) : value.value]);
    else refuse(`'${name}' is not a parameter of it, so the library would fail`);
  };
  let position = 0;
  const givePositional = (value: Given) => {
    const param = spec.params[position++];
    if (param === undefined) refuse(`it takes at most ${spec.params.length} positional arguments`);
    give(param.name, value);
  };
  for (const argument of argumentsOf(use.argList)) {
    const [first, second, third] = argument;
    if (first === undefined) continue;
    if (first.name === '**' || first.name === '*') {
      const spread = evaluate(second as SyntaxNode, first.name === '*' ? 'positional arguments' : 'keywords', context);
      if (first.name === '*' && Array.isArray(spread)) spread.forEach((value) => givePositional({ value }));
      else if (first.name === '**' && spread instanceof PyDict)
        spread.entries.forEach((value, key) => give(key, { value }));
      else refuse(`a ${first.name} spread of something that is not a ${first.name === '*' ? 'list' : 'dict'}`);
    } else if (argumentWalrus(first, context.scope.source) && third !== undefined) {
      // `f(x := value)` passes value by position (and binds x).
      givePositional({ node: third });
    } else if (second?.name === 'AssignOp' && third !== undefined) {
      give(textOf(context.scope.source, first), { node: third });
    } else if (argument.length === 1) givePositional({ node: first });
    else refuse('an argument that is a generator expression');
  }
  const values = new Map<string, PyValue>();
  for (const param of spec.params) {
    const value = given.get(param.name);
    if (value === undefined && param.required) refuse(`the required argument '${param.name}' is missing`);
    if (param.conversion === 'ignore') continue;
    const read =
      value === undefined ? param.fallback : 'node' in value ? evaluate(value.node, param.name, context) : value.value;
    values.set(param.name, converted(param, read, refuse));
  }
  return { values, extra };
}

/** The argument groups of a call: the nodes between its commas. */
function argumentsOf(argList: SyntaxNode | null): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [[]];
  for (const child of argList ? childrenOf(argList) : []) {
    if (child.name === '(' || child.name === ')') continue;
    if (child.name === ',') groups.push([]);
    else groups.at(-1)?.push(child);
  }
  return groups.filter((group) => group.length > 0);
}

function converted(param: Param, value: PyValue, refuse: (problem: string) => never): PyValue {
  const conversion = param.conversion;
  if (conversion === undefined) return value;
  if (conversion === 'BlobSource') return value instanceof PyEnum ? (BLOB_SOURCE_VALUES[value.member] ?? null) : value;
  if (conversion === 'methods') {
    if (value === null) return null;
    if (!Array.isArray(value)) refuse(`'${param.name}' must be a list of HTTP methods`);
    return value.map((method: PyValue) => converted({ ...param, conversion: 'HttpMethod' }, method, refuse));
  }
  const member = toEnum(value, conversion);
  if (typeof member === 'string') refuse(`'${param.name}' ${member}, so the library would fail`);
  return member;
}
