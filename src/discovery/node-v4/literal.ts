import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import { importHelper, throughHelper } from './interop.js';
import { exportTarget } from './walk.js';

/** What one source file's top level gives names to: the library imports and the `const`s the indexer may read. */
export interface ModuleScope {
  /** The file as messages name it. */
  readonly file: string;
  /** Local name → the library path it stands for: `['@azure/functions', 'app']`, `['durable-functions']`. */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /**
   * Top-level `const NAME = …` (and `let`/`var` with one declaration; `exports.NAME = …` as `exports.NAME`):
   * what the name holds until it is changed (see `changes`).
   */
  readonly constants: ReadonlyMap<string, Constant>;
  /** The changes the module's code (run as it loads) makes to the values of `constants`: filled once it is read. */
  readonly changes: ReadonlyMap<string, readonly Change[]>;
  /** Names bound to a local module's export (`name` '*' for the whole module), for the functions importers call. */
  readonly localImports: ReadonlyMap<string, { readonly specifier: string; readonly name: string }>;
  /** Top-level function declarations: handlers, the one place a function may stand. */
  readonly functions: ReadonlySet<string>;
  /** Every other name declared at the top level, with what it is (`a let variable`, `imported from another module`). */
  readonly otherNames: ReadonlyMap<string, string>;
  /** What `require(specifier)` gives of the libraries: a library, or a local module that re-exports (some of) one. */
  readonly required: (specifier: string, kind?: 'require' | 'import') => ModuleValue | undefined;
  /** Names bound to a whole local module (`import * as az`, `const az = require('./az')`) that hands on a part. */
  readonly namespaces: ReadonlyMap<string, ModuleValue>;
}

export interface Constant {
  readonly init: t.Expression;
  readonly kind: string;
  /** Where the declaration starts and ends (offsets), and its line. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** A change to a constant's value: where (-1: inside a function, so at any time), and what made it. */
export interface Change {
  readonly position: number;
  readonly line: number;
  readonly what: string;
  /** A registration that writes into the options it is given: a change for every other reader. */
  readonly by?: t.Node;
}

/** What a module hands on of the libraries: its whole value (`module.exports = require(...)`) or named parts. */
export interface ModuleValue {
  readonly whole?: readonly string[];
  readonly named: ReadonlyMap<string, readonly string[]>;
  /** Compiled from ES syntax (`__esModule` set): what tsc's and esbuild's import helpers take as it is. */
  readonly esModule?: boolean;
}

/** The library path of `name` taken from a module: one it names, or one inside the whole it hands on. */
export function exported(module: ModuleValue | undefined, name: string): readonly string[] | undefined {
  return module?.named.get(name) ?? (module?.whole && [...module.whole, name]);
}

/** A value as the library would see it; functions are kept only as a marker (their code is never read). */
export type Value = string | number | boolean | null | undefined | typeof FUNCTION | Value[] | ValueObject;
export interface ValueObject {
  [key: string]: Value;
}
export const FUNCTION: unique symbol = Symbol('function');

/** Evaluates helper calls (`input.storageBlob({...})`); undefined when the callee is not a helper it knows. */
export type HelperCall = (callee: readonly string[], args: readonly Value[]) => Value | undefined;

export interface Evaluation {
  readonly scope: ModuleScope;
  /** The function being registered, for messages. */
  readonly functionName: string;
  readonly helper: HelperCall;
  /** The registration: when (an offset in the module) its arguments are read, and the call itself. */
  readonly at: number;
  readonly call: t.Node;
}

/** The library path an expression names (`app.http` → `['@azure/functions', 'app', 'http']`), if it names one. */
export function libraryPath(node: t.Node, scope: ModuleScope): readonly string[] | undefined {
  const inner = unwrap(node);
  if (inner.type === 'Identifier') return scope.imports.get(inner.name);
  const module = moduleValue(inner, scope);
  if (module !== undefined) return module.whole;
  if (inner.type !== 'MemberExpression' && inner.type !== 'OptionalMemberExpression') return undefined;
  const key = memberKey(inner);
  const object = unwrap(inner.object);
  const container =
    moduleValue(object, scope) ?? (object.type === 'Identifier' ? scope.namespaces.get(object.name) : undefined);
  if (container !== undefined && key !== undefined) return exported(container, key);
  const base = libraryPath(inner.object, scope);
  return base && key !== undefined ? [...base, key] : undefined;
}

/** What `require('x')`, or an import helper around one, gives of the libraries. */
export function moduleValue(node: t.Node, scope: ModuleScope): ModuleValue | undefined {
  const required = requiredSpecifier(node);
  if (required !== undefined) return scope.required(required);
  const helped = importHelper(node);
  const module = helped && moduleValue(unwrap(helped.wrapped), scope);
  return helped && module && throughHelper(helped.helper, helped.nodeMode, module);
}

/** `x` of `require('x')`. */
export function requiredSpecifier(node: t.Node): string | undefined {
  if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require')
    return undefined;
  const [first] = node.arguments;
  return first?.type === 'StringLiteral' ? first.value : undefined;
}

function memberKey(node: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  return node.property.type === 'StringLiteral' ? node.property.value : undefined;
}

/** Type annotations and parentheses say nothing about the value. */
export function unwrap(node: t.Node): t.Node {
  let inner = node;
  while (
    inner.type === 'TSAsExpression' ||
    inner.type === 'TSSatisfiesExpression' ||
    inner.type === 'TSNonNullExpression' ||
    inner.type === 'TSTypeAssertion' ||
    inner.type === 'ParenthesizedExpression'
  ) {
    inner = inner.expression;
  }
  return inner;
}

/** The value of an expression the indexer can read without running anything; any other is a clean error. */
export function evaluate(node: t.Node, path: string, context: Evaluation, reading = new Set<string>()): Value {
  const inner = unwrap(node);
  switch (inner.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return inner.value;
    case 'NullLiteral':
      return null;
    case 'TemplateLiteral':
      if (inner.expressions.length === 0) return inner.quasis[0]?.value.cooked ?? '';
      throw notLiteral(inner, path, 'a template with ${…} in it', context);
    case 'UnaryExpression':
      if (inner.operator === '-' && inner.argument.type === 'NumericLiteral') return -inner.argument.value;
      throw notLiteral(inner, path, 'an expression', context);
    case 'Identifier':
      return identifierValue(inner, path, context, reading);
    case 'ArrayExpression':
      return arrayValue(inner, path, context, reading);
    case 'ObjectExpression':
      return objectValue(inner, path, context, reading);
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return FUNCTION;
    case 'CallExpression':
      return callValue(inner, path, context, reading);
    case 'MemberExpression': {
      // `exports.NAME`: how tsc's CommonJS output reads a value its module exports.
      const name = exportTarget(inner);
      const value = name ? constantValue(inner, `exports.${name}`, path, context, reading) : NOT_CONSTANT;
      if (value !== NOT_CONSTANT) return value;
      throw notLiteral(inner, path, describe(inner), context);
    }
    default:
      throw notLiteral(inner, path, describe(inner), context);
  }
}

function identifierValue(node: t.Identifier, path: string, context: Evaluation, reading: Set<string>): Value {
  if (node.name === 'undefined') return undefined;
  const value = constantValue(node, node.name, path, context, reading);
  if (value !== NOT_CONSTANT) return value;
  if (context.scope.functions.has(node.name)) return FUNCTION;
  if (context.scope.imports.has(node.name)) throw notLiteral(node, path, 'a library object', context);
  const other = context.scope.otherNames.get(node.name);
  if (other !== undefined) throw notLiteral(node, path, `'${node.name}', ${other}`, context);
  throw notLiteral(node, path, `'${node.name}', a name from elsewhere (a parameter or a global)`, context);
}

const NOT_CONSTANT: unique symbol = Symbol('not a constant');
const KINDS: Readonly<Record<string, string>> = {
  const: 'a const',
  let: 'a let variable',
  var: 'a var variable',
  exports: 'a value the module exports',
};

/**
 * The value of a constant where the registration reads it: its initialiser, read as of its declaration, unless it is
 * declared only later or changed before.
 */
function constantValue(
  node: t.Node,
  name: string,
  path: string,
  context: Evaluation,
  reading: Set<string>,
): Value | typeof NOT_CONSTANT {
  const constant = context.scope.constants.get(name);
  if (constant === undefined || reading.has(name)) return NOT_CONSTANT;
  const shown = `'${name}', ${KINDS[constant.kind] ?? 'a value'}`;
  if (constant.end > context.at)
    throw notLiteral(node, path, `${shown} declared on line ${constant.line}, after it is read`, context);
  const change = context.scope.changes
    .get(name)
    ?.find((candidate) => candidate.position < context.at && candidate.by !== context.call);
  if (change !== undefined) throw notLiteral(node, path, `${shown} ${change.what} on line ${change.line}`, context);
  reading.add(name);
  const value = evaluate(constant.init, path, { ...context, at: constant.start }, reading);
  reading.delete(name);
  return value;
}

function arrayValue(node: t.ArrayExpression, path: string, context: Evaluation, reading: Set<string>): Value[] {
  const values: Value[] = [];
  node.elements.forEach((element, index) => {
    if (element === null) throw notLiteral(node, `${path}[${index}]`, 'a hole in an array', context);
    if (element.type === 'SpreadElement') {
      const spread = evaluate(element.argument, `${path}[${index}]`, context, reading);
      if (!Array.isArray(spread)) throw notLiteral(element, `${path}[${index}]`, 'a spread of a non-array', context);
      values.push(...spread);
    } else {
      values.push(evaluate(element, `${path}[${index}]`, context, reading));
    }
  });
  return values;
}

function objectValue(node: t.ObjectExpression, path: string, context: Evaluation, reading: Set<string>): ValueObject {
  const result: ValueObject = {};
  for (const member of node.properties) {
    if (member.type === 'SpreadElement') {
      const argument = unwrap(member.argument);
      if (argument.type === 'MemberExpression' || argument.type === 'OptionalMemberExpression') {
        throw notLiteral(member, path, 'a spread of a property read', context);
      }
      // The spread's own properties sit at this level: same path, so a spread-in handler is still a handler.
      const spread = evaluate(argument, path, context, reading);
      if (!isValueObject(spread)) throw notLiteral(member, path, 'a spread of a non-object', context);
      Object.assign(result, spread);
      continue;
    }
    const key = propertyKey(member);
    if (key === undefined) throw notLiteral(member, path, 'a property with a computed name', context);
    const at = path === '' ? key : `${path}.${key}`;
    // A getter's value is its code's; `__proto__` sets a prototype the library's spreads do not copy.
    if (member.type === 'ObjectMethod' && member.kind !== 'method')
      throw notLiteral(member, at, `a ${member.kind}ter`, context);
    if (key === '__proto__' && member.type === 'ObjectProperty' && !member.computed && !member.shorthand)
      throw notLiteral(member, path, 'an object with a prototype set', context);
    // The handler's code is never read; retry options are the runtime's, not a binding's.
    if (member.type === 'ObjectMethod' || (path === '' && key === 'handler')) result[key] = FUNCTION;
    else if (path === '' && key === 'retry') continue;
    else result[key] = evaluate(member.value, at, context, reading);
  }
  return result;
}

function propertyKey(member: t.ObjectProperty | t.ObjectMethod): string | undefined {
  const key = member.key;
  if (!member.computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'NumericLiteral') return String(key.value);
  return undefined;
}

function callValue(node: t.CallExpression, path: string, context: Evaluation, reading: Set<string>): Value {
  const callee = libraryPath(node.callee, context.scope);
  if (callee !== undefined) {
    const args = node.arguments.map((arg, index) => {
      if (arg.type === 'SpreadElement' || arg.type === 'ArgumentPlaceholder') {
        throw notLiteral(arg, path, 'a spread argument', context);
      }
      return evaluate(arg, `${path} (${callee.slice(1).join('.')} argument ${index + 1})`, context, reading);
    });
    const value = context.helper(callee, args);
    if (value !== undefined) return value;
  }
  throw notLiteral(node, path, 'a call', context);
}

export function isValueObject(value: Value): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(node: t.Node): string {
  if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') return 'a property read';
  if (node.type === 'NewExpression') return 'a new object';
  if (node.type === 'AwaitExpression') return 'an awaited value';
  return 'an expression';
}

/** Where a value is, what it is, and the way out: the one error every unreadable value gives. */
export function notLiteral(node: t.Node, path: string, what: string, context: Evaluation): UserError {
  const line = node.loc?.start.line ?? 0;
  const subject = path === '' ? 'its options are' : `'${path}' is`;
  return new UserError(
    `${context.scope.file}:${line}: function '${context.functionName}': ${subject} ${what}, which cannot be ` +
      `read without running the app's code; write it as a literal (a top-level const of one is fine), ${WAYS_OUT}`,
    context.scope.file,
    line,
  );
}
