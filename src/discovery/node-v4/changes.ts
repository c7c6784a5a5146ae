import type * as t from '@babel/types';
import { type Use, useOf } from './flow.js';
import { isModuleHelper } from './interop.js';
import { libraryPath, type ModuleScope, unwrap } from './literal.js';
import { optionsWrittenBy, returnsItsArgument } from './registrations.js';
import type { LoadGraph } from './run-at-load.js';
import type { Place } from './walk.js';

/**
 * Whether the module's code changes a constant's value between its declaration and a registration that reads it:
 * an assignment, a property set, a call that may change what it is given, a registration that writes into its
 * options. Any such change makes the constant unreadable from then on (the registration says so), never read as its
 * initial value.
 */

/** Methods that read an object or array and change nothing (given no function to run on its items). */
const READING_METHODS = new Set([
  'includes',
  'indexOf',
  'lastIndexOf',
  'join',
  'toString',
  'toLocaleString',
  'hasOwnProperty',
  'propertyIsEnumerable',
]);

/** The platform's functions that read what they are given and change nothing. */
const READING_FUNCTIONS = new Set([
  'JSON.stringify',
  'console.log',
  'console.info',
  'console.warn',
  'console.error',
  'console.debug',
  'Object.keys',
  'Object.freeze',
  'Array.isArray',
  'String',
  'Number',
  'Boolean',
]);

/** Values no code can change in place: primitives, functions, classes (their properties are never read). */
const IMMUTABLE = new Set([
  'StringLiteral',
  'NumericLiteral',
  'BooleanLiteral',
  'NullLiteral',
  'BigIntLiteral',
  'TemplateLiteral',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassExpression',
]);

export interface ConstantUse {
  readonly graph: LoadGraph;
  readonly where: Place;
  readonly scope: ModuleScope;
  /** The constant, and the node of this use of it. */
  readonly name: string;
  readonly node: t.Node;
  readonly parents: readonly t.Node[];
}

export function noteConstantUse(use: ConstantUse, how: Use = useOf(use.node, use.parents)): void {
  const { graph, where, name, node, scope } = use;
  const line = node.loc?.start.line ?? 0;
  const change = (what: string, deep = true, by?: t.Node) =>
    graph.change(where, name, { position: node.start ?? 0, line, what, by }, deep);
  if (how.kind === 'written') return change('assigned again');
  const constant = scope.constants.get(name);
  if (constant === undefined || IMMUTABLE.has(unwrap(constant.init).type)) return;
  if (how.kind === 'argument') return argumentUse(use, how, change);
  if (how.kind === 'declared') {
    const { id } = how.declarator;
    if (how.topLevel && id.type === 'Identifier') return graph.flow(name, id.name, how.direct);
    return change('handed to other code');
  }
  if (how.kind === 'member') return memberUse(use, how.member, change);
  if (how.kind === 'elsewhere') change('handed to other code');
}

type ChangeOf = (what: string, deep?: boolean, by?: t.Node) => void;

function argumentUse(use: ConstantUse, how: Use & { kind: 'argument' }, change: ChangeOf, nested = false): void {
  const callee = libraryPath(how.call.callee, use.scope);
  if (callee === undefined) {
    if (isModuleHelper(how.call) || READING_FUNCTIONS.has(dotted(how.call.callee))) return;
    return change('handed to other code');
  }
  // `output.generic(o)` returns o itself: where the call's value goes, o goes.
  if (returnsItsArgument(callee) && how.direct && !nested) {
    const at = use.parents.lastIndexOf(how.call);
    return noteConstantUse({ ...use, node: how.call, parents: use.parents.slice(0, at) });
  }
  const written = optionsWrittenBy(callee);
  if (written === undefined || how.index !== 1 || !(how.direct || written === 'extraInputs')) return;
  const method = callee.slice(1).join('.');
  change(`given to ${method}, which writes '${written}' into it,`, nested || written === 'extraInputs', how.call);
}

/** `v.x = 1`, `v.push(x)`, `log(v.x)`: the property chain's own use. */
function memberUse(use: ConstantUse, member: t.Node, change: ChangeOf): void {
  let top = member;
  let at = use.parents.lastIndexOf(member);
  while (true) {
    const parent = use.parents[at - 1];
    if ((parent?.type !== 'MemberExpression' && parent?.type !== 'OptionalMemberExpression') || parent.object !== top)
      break;
    top = parent;
    at -= 1;
  }
  const parents = use.parents.slice(0, at);
  const how = useOf(top, parents);
  if (how.kind === 'read' || how.kind === 'exported') return;
  if (how.kind === 'written') return change('changed (a property set)');
  if (how.kind === 'called') {
    const { call } = how;
    const method = top.type === 'MemberExpression' && top.property.type === 'Identifier' ? top.property.name : '';
    const handsFunction = call.arguments.some((argument) => argument.type.endsWith('FunctionExpression'));
    if (READING_METHODS.has(method) && !handsFunction) return;
    return change(`changed by .${method || '[…]'}()`);
  }
  if (how.kind === 'declared' && how.topLevel && how.declarator.id.type === 'Identifier')
    return use.graph.flow(use.name, how.declarator.id.name, false);
  if (how.kind === 'argument') return argumentUse({ ...use, node: top, parents }, how, change, true);
  change('handed to other code');
}

/** `console.log` for the callee `console.log`. */
function dotted(callee: t.Node): string {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier')
    return `${dotted(callee.object)}.${callee.property.name}`;
  return '';
}
