import type * as t from '@babel/types';
import { CONTAINERS, exportTarget, isExportGetter } from './walk.js';

/** Where a value ends up once it leaves the containers it is written in (`{ key: v }`, `[v]`, `(v as T)`). */
export type Use =
  /** The callee of a call: `v()`, `(0, v)()`. */
  | { readonly kind: 'called'; readonly call: t.CallExpression | t.NewExpression }
  /** Handed to a call; `direct` when it is the argument itself, not inside one. */
  | {
      readonly kind: 'argument';
      readonly call: t.CallExpression | t.NewExpression;
      readonly index: number;
      readonly direct: boolean;
    }
  /** The initialiser of a declaration (`topLevel`: of the module). */
  | {
      readonly kind: 'declared';
      readonly declarator: t.VariableDeclarator;
      readonly direct: boolean;
      readonly topLevel: boolean;
    }
  /** Handed to importers (`module.exports = { v }`, `export { v }`, tsc's and esbuild's export getters). */
  | { readonly kind: 'exported'; readonly name: string }
  /** A property of it read: `v.x`, `v.x.y(...)`. */
  | { readonly kind: 'member'; readonly member: t.MemberExpression | t.OptionalMemberExpression }
  /** Tested, compared or printed: the value itself goes nowhere. */
  | { readonly kind: 'read' }
  /** Assigned to: `v = …`, `v++`, `for (v of …)`, `[v] = …`. */
  | { readonly kind: 'written' }
  | { readonly kind: 'elsewhere' };

const READS = new Set([
  'BinaryExpression',
  'TemplateLiteral',
  'IfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'SwitchStatement',
  'SwitchCase',
  'ExpressionStatement',
  'ForInStatement',
]);

const PATTERNS = new Set(['ArrayPattern', 'ObjectPattern', 'RestElement', 'AssignmentPattern']);

/** How the code at `parents` uses the value of `node`. */
export function useOf(node: t.Node, parents: readonly t.Node[]): Use {
  let child = node;
  let direct = true;
  let key: string | undefined;
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i] as t.Node;
    if (parent.type === 'CallExpression' || parent.type === 'NewExpression') {
      if (parent.callee === child) return { kind: 'called', call: parent };
      const index = parent.arguments.indexOf(child as t.Expression);
      if (index >= 0 && isExportGetter(parent, child)) return { kind: 'exported', name: key ?? '' };
      return index < 0 ? { kind: 'elsewhere' } : { kind: 'argument', call: parent, index, direct };
    }
    if (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') {
      if (parent.object !== child) return { kind: 'read' };
      return direct ? { kind: 'member', member: parent } : { kind: 'elsewhere' };
    }
    if (parent.type === 'VariableDeclarator') {
      if (parent.init !== child) return { kind: 'written' };
      const topLevel = isTopLevel(parents.slice(0, i));
      return { kind: 'declared', declarator: parent, direct, topLevel };
    }
    if (parent.type === 'AssignmentExpression') {
      if (parent.left === child) return { kind: 'written' };
      const target = exportTarget(parent.left);
      if (target === undefined) return { kind: 'elsewhere' };
      return { kind: 'exported', name: target === '' && !direct ? (key ?? '') : target };
    }
    if (parent.type === 'UpdateExpression' || PATTERNS.has(parent.type)) return { kind: 'written' };
    if (parent.type === 'UnaryExpression') return parent.operator === 'delete' ? { kind: 'written' } : { kind: 'read' };
    if (parent.type === 'ForOfStatement' || parent.type === 'ForInStatement') {
      if (parent.left === child) return { kind: 'written' };
      return parent.type === 'ForInStatement' && parent.right === child ? { kind: 'read' } : { kind: 'elsewhere' };
    }
    if (parent.type === 'ExportSpecifier' || parent.type === 'ExportDefaultDeclaration') {
      const exported = parent.type === 'ExportSpecifier' ? parent.exported : undefined;
      const name = exported === undefined ? 'default' : exported.type === 'Identifier' ? exported.name : exported.value;
      return { kind: 'exported', name };
    }
    if (parent.type === 'TSExportAssignment') return { kind: 'exported', name: '' };
    if (READS.has(parent.type)) return { kind: 'read' };
    const getter = exportGetterOf(parent, child, parents.slice(0, i));
    if (getter !== undefined) return { kind: 'exported', name: getter };
    if (!CONTAINERS.has(parent.type)) return { kind: 'elsewhere' };
    if (parent.type === 'ObjectProperty') {
      if (parent.value !== child) return { kind: 'read' };
      key = !parent.computed && parent.key.type === 'Identifier' ? parent.key.name : undefined;
    }
    if (parent.type === 'ConditionalExpression' && parent.test === child) return { kind: 'read' };
    if (parent.type === 'SequenceExpression' && parent.expressions.at(-1) !== child) return { kind: 'read' };
    if (['ObjectProperty', 'ObjectExpression', 'ArrayExpression', 'SpreadElement'].includes(parent.type))
      direct = false;
    child = parent;
  }
  return { kind: 'elsewhere' };
}

/** `path` runs from the Program down to a statement: true when that statement is the module's own. */
export function isTopLevel(path: readonly t.Node[]): boolean {
  if (path[0]?.type !== 'Program') return false;
  return path.length === 2 || (path.length === 3 && path[1]?.type === 'ExportNamedDeclaration');
}

/** `v` returned by an export getter (`get: function () { return v; }`, `x: () => v`): the name it exports. */
function exportGetterOf(parent: t.Node, child: t.Node, above: readonly t.Node[]): string | undefined {
  if (parent.type === 'ArrowFunctionExpression' && parent.body === child) return exportedBy(parent, above);
  if (parent.type !== 'ReturnStatement') return undefined;
  const [fn, block] = above.slice(-2);
  if (block?.type !== 'BlockStatement' || block.body.length !== 1) return undefined;
  const isFunction = fn?.type === 'FunctionExpression' || fn?.type === 'ArrowFunctionExpression';
  return isFunction ? exportedBy(fn, above.slice(0, -2)) : undefined;
}

/** The export a getter function stands for, when it is one. */
function exportedBy(fn: t.Node, above: readonly t.Node[]): string | undefined {
  const [call, object, property] = above.slice(-3);
  if (property?.type !== 'ObjectProperty' || property.value !== fn || object?.type !== 'ObjectExpression')
    return undefined;
  if (call?.type !== 'CallExpression' || !isExportGetter(call, object)) return undefined;
  // defineProperty's name is its second argument; __export's is the property's key.
  const named = call.arguments[1];
  if (named?.type === 'StringLiteral') return named.value;
  return !property.computed && property.key.type === 'Identifier' ? property.key.name : undefined;
}

/** TypeScript wrappers around an expression (the rest of TypeScript's nodes are types and declarations). */
const TS_EXPRESSIONS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TSExportAssignment',
  'TSInstantiationExpression',
]);

/** An identifier that reads or assigns a variable: not a declared name, a property key, a label or a type. */
export function isReference(node: t.Identifier, parents: readonly t.Node[]): boolean {
  const parent = parents.at(-1);
  if (parent === undefined) return false;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return parent.object === node || parent.computed;
    case 'ObjectProperty':
      return parent.value === node ? !declares(parents.slice(0, -1)) : parent.computed;
    case 'ObjectMethod':
    case 'ClassMethod':
    case 'ClassPrivateMethod':
      return parent.key === node && !!parent.computed;
    case 'ClassProperty':
    case 'ClassAccessorProperty':
      return parent.key === node ? !!parent.computed : true;
    case 'VariableDeclarator':
      return parent.init === node;
    case 'ArrowFunctionExpression':
      return parent.body === node;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return false;
    case 'ClassDeclaration':
    case 'ClassExpression':
      return parent.superClass === node;
    case 'ExportSpecifier':
      return parent.local === node && !(parents.at(-2) as t.ExportNamedDeclaration).source;
    case 'AssignmentPattern':
      return parent.right === node || !declares(parents);
    case 'ArrayPattern':
    case 'RestElement':
      return !declares(parents);
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportNamespaceSpecifier':
    case 'ExportDefaultSpecifier':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'CatchClause':
    case 'MetaProperty':
      return false;
    default:
      return !parent.type.startsWith('TS') || TS_EXPRESSIONS.has(parent.type);
  }
}

/** Whether the pattern at the end of `parents` declares names (`const { a } = …`) rather than assigns them. */
function declares(parents: readonly t.Node[]): boolean {
  if (parents.at(-1)?.type === 'ObjectExpression') return false;
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i] as t.Node;
    if (PATTERNS.has(parent.type) || parent.type === 'ObjectProperty') continue;
    return (
      parent.type !== 'AssignmentExpression' && parent.type !== 'ForOfStatement' && parent.type !== 'ForInStatement'
    );
  }
  return true;
}
