import type * as t from '@babel/types';

/** The walk over a module's syntax tree: what each node runs inside of, and which names nearer scopes declare. */

/**
 * Constructs whose body may run once, many times or never: a registration inside one cannot be counted. A bare block
 * runs once, but the names it declares are its own: reading them needs the block's scope, so it is refused as well.
 */
const GUARDS: Readonly<Record<string, string>> = {
  FunctionDeclaration: 'a function',
  FunctionExpression: 'a function',
  ArrowFunctionExpression: 'a function',
  ObjectMethod: 'a function',
  ClassMethod: 'a function',
  ClassPrivateMethod: 'a function',
  IfStatement: 'an if',
  ConditionalExpression: 'a conditional',
  LogicalExpression: 'a conditional',
  OptionalCallExpression: 'a conditional',
  OptionalMemberExpression: 'a conditional',
  AssignmentPattern: 'a default value',
  SwitchStatement: 'a switch',
  ForStatement: 'a loop',
  ForInStatement: 'a loop',
  ForOfStatement: 'a loop',
  WhileStatement: 'a loop',
  DoWhileStatement: 'a loop',
  TryStatement: 'a try block',
  BlockStatement: 'a block',
  StaticBlock: 'a block',
  LabeledStatement: 'a labeled statement',
  WithStatement: 'a with statement',
  TSModuleDeclaration: 'a namespace',
};

function guardOf(node: t.Node): string | undefined {
  // An instance field's initialiser runs once per `new`, not when the class is declared.
  const field =
    node.type === 'ClassProperty' || node.type === 'ClassPrivateProperty' || node.type === 'ClassAccessorProperty';
  if (field) return node.static ? undefined : 'a class field';
  if (node.type === 'AssignmentExpression' && ['||=', '&&=', '??='].includes(node.operator)) return 'a conditional';
  return GUARDS[node.type];
}

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

/**
 * What may call a top-level function (with everything nested in it): the module when it refers to the name the
 * function is declared as (`named`), an importer when it is exported, the call it is handed to (`argument`: the
 * module's own code may call it at once, the library's calls it only later), or the module's code right away
 * (`runs`: called where it stands, or put anywhere the indexer does not follow). `getter`: tsc's and esbuild's export
 * getters, read only by importers.
 */
export type Holder =
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'exported'; readonly name: string }
  | { readonly kind: 'argument'; readonly call: t.CallExpression | t.NewExpression }
  | { readonly kind: 'runs' }
  | { readonly kind: 'getter' };

/** Where a node sits: the construct that makes it run only sometimes, and the names nearer scopes declare. */
export interface Place {
  readonly guard?: string;
  readonly inFunction: boolean;
  /** For code inside a function: what may call the top-level function it is in. */
  readonly holder?: Holder;
  readonly shadowed: ReadonlySet<string>;
}

export type Visit = (node: t.Node, where: Place, parents: readonly t.Node[]) => void;

const FUNCTIONS = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function walk(node: t.Node, where: Place, parents: t.Node[], visit: Visit): void {
  visit(node, where, parents);
  const declared = scopeNames(node);
  const entersFunction = !where.inFunction && FUNCTIONS.has(node.type);
  const inner: Place = {
    guard: where.guard ?? guardOf(node),
    inFunction: where.inFunction || FUNCTIONS.has(node.type),
    holder: entersFunction ? holderOf(node, parents) : where.holder,
    shadowed: declared.length === 0 ? where.shadowed : new Set([...where.shadowed, ...declared]),
  };
  parents.push(node);
  for (const [key, child] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key) || child === null || typeof child !== 'object') continue;
    for (const item of Array.isArray(child) ? child : [child]) {
      if (item !== null && typeof item === 'object' && typeof (item as t.Node).type === 'string') {
        walk(item as t.Node, inner, parents, visit);
      }
    }
  }
  parents.pop();
}

/** Parents a value passes through unchanged on its way to where it is used: `{ key: v }`, `[v]`, `(v as T)`. */
export const CONTAINERS = new Set([
  'ObjectProperty',
  'ObjectExpression',
  'ArrayExpression',
  'SpreadElement',
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'ParenthesizedExpression',
  'ClassBody',
  'ClassExpression',
  'ClassProperty',
  'ClassPrivateProperty',
  'ClassAccessorProperty',
  'SequenceExpression',
  'ConditionalExpression',
  'LogicalExpression',
  'AwaitExpression',
]);

function holderOf(node: t.Node, parents: readonly t.Node[]): Holder {
  if (node.type === 'FunctionDeclaration' && node.id) return { kind: 'named', name: node.id.name };
  let child = node;
  // `module.exports = { name() {...} }`: the property it is exported as.
  let key = node.type === 'ObjectMethod' ? propertyName(node) : undefined;
  for (let i = parents.length - 1; i >= 0; i--) {
    const parent = parents[i] as t.Node;
    if (parent.type === 'CallExpression' || parent.type === 'NewExpression') {
      if (parent.callee === child) return { kind: 'runs' };
      return isExportGetter(parent, child) ? { kind: 'getter' } : { kind: 'argument', call: parent };
    }
    if (parent.type === 'VariableDeclarator') {
      return parent.id.type === 'Identifier' && parent.init === child
        ? { kind: 'named', name: parent.id.name }
        : { kind: 'runs' };
    }
    if (parent.type === 'ClassDeclaration')
      return parent.id ? { kind: 'named', name: parent.id.name } : { kind: 'exported', name: 'default' };
    if (parent.type === 'ExportDefaultDeclaration') return { kind: 'exported', name: 'default' };
    if (parent.type === 'AssignmentExpression' && parent.right === child) {
      const target = exportTarget(parent.left);
      if (target === undefined) return { kind: 'runs' };
      return { kind: 'exported', name: target === '' && child.type === 'ObjectExpression' ? (key ?? '') : target };
    }
    // `(function () { ... }).call(this)`: called where it stands.
    const callsItself =
      parent.type === 'MemberExpression' &&
      parent.object === child &&
      parent.property.type === 'Identifier' &&
      ['call', 'apply'].includes(parent.property.name);
    if (!callsItself && !CONTAINERS.has(parent.type)) return { kind: 'runs' };
    if (parent.type === 'ObjectProperty') {
      if (parent.value !== child) return { kind: 'runs' };
      key = propertyName(parent);
    }
    child = parent;
  }
  return { kind: 'runs' };
}

/**
 * `Object.defineProperty(exports, 'x', { get: () => v })` (tsc) and `__export(target, { x: () => v })` (esbuild): the
 * getters a CommonJS build hands its exports on through.
 */
export function isExportGetter(call: t.CallExpression | t.NewExpression, argument: t.Node): boolean {
  const { callee } = call;
  const defines =
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'Object' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'defineProperty' &&
    call.arguments[0] !== undefined &&
    isExportsObject(call.arguments[0]) &&
    call.arguments[2] === argument;
  const esbuildExport = callee.type === 'Identifier' && callee.name === '__export' && call.arguments[1] === argument;
  return (defines || esbuildExport) && argument.type === 'ObjectExpression';
}

/** `exports` or `module.exports`: the object a CommonJS module hands on. */
export function isExportsObject(node: t.Node): boolean {
  return (node.type === 'Identifier' && node.name === 'exports') || exportTarget(node) === '';
}

function propertyName(property: t.ObjectProperty | t.ObjectMethod): string | undefined {
  if (!property.computed && property.key.type === 'Identifier') return property.key.name;
  return property.key.type === 'StringLiteral' ? property.key.value : undefined;
}

/** `module.exports` or `module.exports.NAME`, `exports.NAME`: the name it assigns ('' for the whole). */
export function exportTarget(node: t.Node): string | undefined {
  const isModuleValue = (inner: t.Node) =>
    inner.type === 'MemberExpression' &&
    inner.object.type === 'Identifier' &&
    inner.object.name === 'module' &&
    !inner.computed &&
    inner.property.type === 'Identifier' &&
    inner.property.name === 'exports';
  if (isModuleValue(node)) return '';
  if (node.type !== 'MemberExpression' || node.computed || node.property.type !== 'Identifier') return undefined;
  const isExports = node.object.type === 'Identifier' && node.object.name === 'exports';
  return isExports || isModuleValue(node.object) ? node.property.name : undefined;
}

/**
 * The names a function (its parameters) or a block (its declarations) gives its own body; the program's are the
 * module scope's. `var` is taken as the block's: close enough to tell a handler's `app` from the library's.
 */
function scopeNames(node: t.Node): string[] {
  const names: string[] = [];
  if (FUNCTIONS.has(node.type)) {
    const fn = node as t.Function;
    for (const param of fn.params) patternNames(param, names);
    if (node.type === 'FunctionExpression' && node.id) names.push(node.id.name);
  } else if (node.type === 'CatchClause' && node.param) patternNames(node.param, names);
  else if (node.type === 'BlockStatement' || node.type === 'StaticBlock') {
    for (const statement of node.body) {
      if (statement.type === 'VariableDeclaration') statement.declarations.forEach(({ id }) => patternNames(id, names));
      else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id)
        names.push(statement.id.name);
    }
  } else if (
    (node.type === 'ForStatement' && node.init?.type === 'VariableDeclaration') ||
    ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type === 'VariableDeclaration')
  ) {
    const declaration = (node.type === 'ForStatement' ? node.init : node.left) as t.VariableDeclaration;
    declaration.declarations.forEach(({ id }) => patternNames(id, names));
  }
  return names;
}

export function patternNames(node: t.Node, names: string[]): void {
  if (node.type === 'Identifier') names.push(node.name);
  else if (node.type === 'ObjectPattern')
    node.properties.forEach((property) =>
      patternNames(property.type === 'RestElement' ? property : property.value, names),
    );
  else if (node.type === 'ArrayPattern') node.elements.forEach((element) => element && patternNames(element, names));
  else if (node.type === 'AssignmentPattern') patternNames(node.left, names);
  else if (node.type === 'RestElement') patternNames(node.argument, names);
  else if (node.type === 'TSParameterProperty') patternNames(node.parameter, names);
}
