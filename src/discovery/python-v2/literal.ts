import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';
import type { AppObject } from './bindings.js';
import { decodeNumber, decodeString, type Decoded } from './strings.js';
import { childrenOf, lineAt, type PythonFile, textOf } from './syntax.js';

/** A member of one of the library's enums (`func.AuthLevel.ANONYMOUS`): JSON gives its name. */
export class PyEnum {
  constructor(
    readonly enumName: string,
    readonly member: string,
  ) {}
}

/** A dict literal: string keys only (what keyword arguments and JSON keep). */
export class PyDict {
  constructor(readonly entries: ReadonlyMap<string, PyValue>) {}
}

/** A value as the library would see it. */
export type PyValue = string | number | boolean | null | readonly PyValue[] | PyDict | PyEnum;

/**
 * The enums of azure-functions whose members a decorator may be given (decorators/core.py, http.py, kafka.py);
 * BlobSource's values, which its trigger keeps instead of the name.
 */
export const ENUMS: Readonly<Record<string, readonly string[]>> = {
  AuthLevel: ['FUNCTION', 'ANONYMOUS', 'ADMIN'],
  DataType: ['UNDEFINED', 'STRING', 'BINARY', 'STREAM'],
  Cardinality: ['ONE', 'MANY'],
  AccessRights: ['MANAGE', 'LISTEN'],
  HttpMethod: ['GET', 'POST', 'DELETE', 'HEAD', 'PATCH', 'PUT', 'OPTIONS'],
  BlobSource: ['EVENT_GRID', 'LOGS_AND_CONTAINER_SCAN'],
  BrokerAuthenticationMode: ['NOTSET', 'GSSAPI', 'PLAIN', 'SCRAMSHA256', 'SCRAMSHA512'],
  BrokerProtocol: ['NOTSET', 'PLAINTEXT', 'SSL', 'SASLPLAINTEXT', 'SASLSSL'],
  OAuthBearerMethod: ['DEFAULT', 'OIDC'],
  KafkaMessageKeyType: ['INT', 'LONG', 'STRING', 'BINARY'],
};
export const BLOB_SOURCE_VALUES: Readonly<Record<string, string>> = {
  EVENT_GRID: 'EventGrid',
  LOGS_AND_CONTAINER_SCAN: 'LogsAndContainerScan',
};

/** What a name of a module stands for, as far as its source shows. */
export type NameBinding =
  | { readonly kind: 'library'; readonly path: readonly string[] }
  | { readonly kind: 'module'; readonly module: string }
  | { readonly kind: 'object'; readonly object: AppObject }
  | { readonly kind: 'constant'; readonly value: SyntaxNode }
  | { readonly kind: 'other'; readonly what: string };

export interface Scope {
  readonly source: PythonFile;
  /** The names bound so far, as the module runs from the top. */
  readonly names: ReadonlyMap<string, NameBinding>;
}

export interface Evaluation {
  readonly scope: Scope;
  /** What is being read, for messages: `function 'name'`, `FunctionApp()`. */
  readonly subject: string;
}

/** `azure.functions…` and `azure.durable_functions…`: the libraries' own names. */
export function isLibraryPath(path: readonly string[]): boolean {
  return path[0] === 'azure' && (path[1] === 'functions' || path[1] === 'durable_functions');
}

/** The dotted path an expression names (`func.AuthLevel.ANONYMOUS` → azure.functions.AuthLevel.ANONYMOUS). */
export function namedPath(node: SyntaxNode, scope: Scope): readonly string[] | undefined {
  if (node.name === 'VariableName') {
    const binding = scope.names.get(textOf(scope.source, node));
    return binding?.kind === 'library' ? binding.path : undefined;
  }
  if (node.name !== 'MemberExpression') return undefined;
  const [object, dot, property] = childrenOf(node);
  if (object === undefined || dot?.name !== '.' || property?.name !== 'PropertyName') return undefined;
  const base = namedPath(object, scope);
  return base && [...base, textOf(scope.source, property)];
}

/** The value of an expression the indexer can read without running anything; any other is a clean error. */
export function evaluate(node: SyntaxNode, path: string, context: Evaluation, reading = new Set<string>()): PyValue {
  const source = context.scope.source;
  switch (node.name) {
    case 'String':
    case 'FormatString':
    case 'ContinuedString':
      return stringValue(node, path, context);
    case 'Number':
      return decoded(decodeNumber(textOf(source, node)), node, path, context);
    case 'Boolean':
      return textOf(source, node) === 'True';
    case 'None':
      return null;
    case 'UnaryExpression':
      return signed(node, path, context, reading);
    case 'VariableName':
      return nameValue(node, path, context, reading);
    case 'MemberExpression':
      return memberValue(node, path, context);
    case 'ParenthesizedExpression':
      return evaluate(childrenOf(node)[1] as SyntaxNode, path, context, reading);
    case 'ArrayExpression':
    case 'TupleExpression':
      return sequenceValue(node, path, context, reading);
    case 'DictionaryExpression':
      return dictValue(node, path, context, reading);
    default:
      throw notLiteral(node, path, describe(node.name), context);
  }
}

function decoded<T>(value: Decoded<T>, node: SyntaxNode, path: string, context: Evaluation): T {
  if (typeof value === 'object' && value !== null && 'refused' in value)
    throw notLiteral(node, path, value.refused, context);
  return value;
}

function stringValue(node: SyntaxNode, path: string, context: Evaluation): string {
  const parts = node.name === 'ContinuedString' ? childrenOf(node) : [node];
  return parts
    .map((part) => {
      if (part.getChild('FormatReplacement')) throw notLiteral(part, path, 'an f-string with {…} fields', context);
      return decoded(decodeString(textOf(context.scope.source, part)), part, path, context);
    })
    .join('');
}

function signed(node: SyntaxNode, path: string, context: Evaluation, reading: Set<string>): number {
  const [operator, operand] = childrenOf(node);
  const sign = operator ? textOf(context.scope.source, operator) : '';
  const value = operand?.name === 'Number' ? evaluate(operand, path, context, reading) : undefined;
  if (typeof value !== 'number' || (sign !== '-' && sign !== '+'))
    throw notLiteral(node, path, 'an expression', context);
  return sign === '-' ? -value : value;
}

function nameValue(node: SyntaxNode, path: string, context: Evaluation, reading: Set<string>): PyValue {
  const name = textOf(context.scope.source, node);
  const binding = context.scope.names.get(name);
  if (binding?.kind === 'constant' && !reading.has(name)) {
    reading.add(name);
    const value = evaluate(binding.value, path, context, reading);
    reading.delete(name);
    return value;
  }
  const what = binding?.kind === 'constant' ? 'defined by itself' : describeBinding(binding);
  throw notLiteral(node, path, `'${name}', ${what}`, context);
}

/** What a name stands for, in the words of a refusal. */
export function describeBinding(binding: NameBinding | undefined): string {
  if (binding === undefined) return 'a name the module has not bound by then (a builtin, or one bound later)';
  if (binding.kind === 'other') return binding.what;
  if (binding.kind === 'constant') return 'a constant';
  return binding.kind === 'object' ? 'an app or Blueprint object' : 'a module or library object';
}

/** An enum member of the library (`func.AuthLevel.ANONYMOUS`); any other attribute read is refused. */
function memberValue(node: SyntaxNode, path: string, context: Evaluation): PyEnum {
  const named = namedPath(node, context.scope);
  const [enumName, member] = named?.slice(-2) ?? [];
  if (named && isLibraryPath(named) && enumName !== undefined && member !== undefined && ENUMS[enumName]) {
    if (ENUMS[enumName].includes(member)) return new PyEnum(enumName, member);
    throw notLiteral(node, path, `'${enumName}.${member}', which ${enumName} does not have`, context);
  }
  throw notLiteral(node, path, node.getChild('[') ? 'a subscript' : 'an attribute read', context);
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);

function sequenceValue(node: SyntaxNode, path: string, context: Evaluation, reading: Set<string>): PyValue[] {
  const values: PyValue[] = [];
  let spread = false;
  for (const child of childrenOf(node)) {
    if (PUNCTUATION.has(child.name)) continue;
    if (child.name === '*') {
      spread = true;
      continue;
    }
    const at = `${path}[${values.length}]`;
    if (spread) {
      const items = evaluate(child, at, context, reading);
      if (!Array.isArray(items)) throw notLiteral(child, at, 'a spread of something not a list', context);
      values.push(...items);
    } else values.push(evaluate(child, at, context, reading));
    spread = false;
  }
  return values;
}

function dictValue(node: SyntaxNode, path: string, context: Evaluation, reading: Set<string>): PyDict {
  const entries = new Map<string, PyValue>();
  const parts = childrenOf(node).filter((child) => !PUNCTUATION.has(child.name));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as SyntaxNode;
    if (part.name === '**') {
      const spread = parts[i + 1] as SyntaxNode;
      const value = evaluate(spread, path, context, reading);
      if (!(value instanceof PyDict)) throw notLiteral(spread, path, 'a spread of something not a dict', context);
      value.entries.forEach((entry, key) => entries.set(key, entry));
      i++;
      continue;
    }
    const key = evaluate(part, path, context, reading);
    if (typeof key !== 'string') throw notLiteral(part, path, 'a dict with a key that is not a string', context);
    const value = parts[i + 2];
    if (parts[i + 1]?.name !== ':' || value === undefined) throw notLiteral(part, path, 'an expression', context);
    entries.set(key, evaluate(value, `${path}["${key}"]`, context, reading));
    i += 2;
  }
  return new PyDict(entries);
}

function describe(kind: string): string {
  if (kind === 'CallExpression') return 'a call';
  if (kind === 'SetExpression') return 'a set';
  if (kind.endsWith('ComprehensionExpression')) return 'a comprehension';
  if (kind === 'LambdaExpression') return 'a lambda';
  return 'an expression';
}

/** Where a value is, what it is, and the way out: the one error every unreadable value gives. */
export function notLiteral(node: SyntaxNode, path: string, what: string, context: Evaluation): UserError {
  const line = lineAt(context.scope.source, node.from);
  const file = context.scope.source.file;
  return new UserError(
    `${file}:${line}: ${context.subject}: '${path}' is ${what}, which cannot be read without ` +
      `running the app's code; write it as a literal (a module-level constant assigned once is fine), or ` +
      WAYS_OUT,
    file,
    line,
  );
}
