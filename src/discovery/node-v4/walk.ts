import type * as t from '@babel/types';

/** The walk over a module's syntax tree: what each node runs inside of, and which names nearer scopes declare. */

/** Constructs whose body may run once, many times or never: a registration inside one cannot be counted. */
const GUARDS: Readonly<Record<string, string>> = {
  FunctionDeclaration: 'a function',
  FunctionExpression: 'a function',
  ArrowFunctionExpression: 'a function',
  ObjectMethod: 'a function',
  ClassMethod: 'a function',
  IfStatement: 'an if',
  ConditionalExpression: 'a conditional',
  LogicalExpression: 'a conditional',
  SwitchStatement: 'a switch',
  ForStatement: 'a loop',
  ForInStatement: 'a loop',
  ForOfStatement: 'a loop',
  WhileStatement: 'a loop',
  DoWhileStatement: 'a loop',
  TryStatement: 'a try block',
};

const SKIPPED_KEYS = new Set(['loc', 'start', 'end', 'extra', 'leadingComments', 'trailingComments', 'innerComments']);

/** Where a node sits: the construct that makes it run only sometimes, and the names nearer scopes declare. */
export interface Place {
  readonly guard?: string;
  readonly inFunction: boolean;
  /** The top-level function it is in, by the name it is called by (IMMEDIATE for one called where it stands). */
  readonly topFunction?: string;
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
  const inner: Place = {
    guard: where.guard ?? GUARDS[node.type],
    inFunction: where.inFunction || FUNCTIONS.has(node.type),
    topFunction:
      where.inFunction || !FUNCTIONS.has(node.type) ? where.topFunction : topFunctionName(node, parents.at(-1)),
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

/** Stands for a function called where it is written: `(() => { ... })()`. */
export const IMMEDIATE = '(called where it stands)';

/** The name a top-level function is called by: its own, or the variable's it is assigned to. */
function topFunctionName(node: t.Node, parent: t.Node | undefined): string | undefined {
  if (node.type === 'FunctionDeclaration') return node.id?.name;
  if (parent?.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'Identifier')
    return parent.id.name;
  return parent?.type === 'CallExpression' && parent.callee === node ? IMMEDIATE : undefined;
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

function patternNames(node: t.Node, names: string[]): void {
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
