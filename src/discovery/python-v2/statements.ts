import type { SyntaxNode } from '@lezer/common';
import { childrenOf, eachNode, type PythonFile, statementsOf, textOf } from './syntax.js';

/** What the statements of a module say about the names they bind: read before the module is run from the top. */

/** Statements whose body runs once, many times or never: what is bound or registered inside one cannot be counted. */
export const GUARDS: Readonly<Record<string, string>> = {
  FunctionDefinition: 'a function',
  ClassDefinition: 'a class',
  LambdaExpression: 'a lambda',
  IfStatement: 'an if',
  ConditionalExpression: 'a conditional',
  ForStatement: 'a loop',
  WhileStatement: 'a loop',
  TryStatement: 'a try block',
  WithStatement: 'a with block',
  MatchStatement: 'a match',
  ArrayComprehensionExpression: 'a comprehension',
  DictionaryComprehensionExpression: 'a comprehension',
  SetComprehensionExpression: 'a comprehension',
  ComprehensionExpression: 'a comprehension',
};

/** One name an import statement binds: the module path, the imported name (for `from`), and the name bound. */
export interface ImportedName {
  /** Dotted module (`from X import …` or `import X`), with the leading dots of a relative import. */
  readonly module: string;
  readonly level: number;
  /** `from M import name`: the name taken from M; undefined for `import M`. */
  readonly imported?: string;
  readonly bound: string;
  readonly node: SyntaxNode;
}

/** What an import statement binds: its names, or for `from M import *` the module (any name M holds). */
export interface Imported {
  readonly names: ImportedName[];
  readonly star?: { readonly module: string; readonly level: number };
}

export function importedNames(statement: SyntaxNode, source: PythonFile): Imported {
  const parts = childrenOf(statement).filter((part) => part.name !== '(' && part.name !== ')');
  const isFrom = parts[0]?.name === 'from';
  const importAt = parts.findIndex((part) => part.name === 'import');
  let level = 0;
  let module = '';
  if (isFrom) {
    for (const part of parts.slice(1, importAt)) {
      if (part.name === '.' && module === '') level++;
      else if (part.name === 'Ellipsis') level += 3;
      else module += part.name === '.' ? '.' : textOf(source, part);
    }
    if (parts[importAt + 1]?.name === '*') return { names: [], star: { module, level } };
  }
  const groups: SyntaxNode[][] = [[]];
  for (const part of parts.slice(importAt + 1)) {
    if (part.name === ',') groups.push([]);
    else groups.at(-1)?.push(part);
  }
  const entries = groups.flatMap((group) => {
    const names = group.filter((part) => part.name === 'VariableName');
    const alias = group.some((part) => part.name === 'as') ? names.pop() : undefined;
    const dotted = names.map((name) => textOf(source, name)).join('.');
    if (names[0] === undefined) return [];
    if (isFrom) {
      return [{ module, level, imported: dotted, bound: textOf(source, alias ?? names[0]), node: alias ?? names[0] }];
    }
    const bound = alias ? textOf(source, alias) : textOf(source, names[0]);
    // `import a.b` binds `a`, the package; `import a.b as c` binds c to a.b itself.
    return [{ module: alias ? dotted : textOf(source, names[0]), level: 0, bound, node: alias ?? names[0] }];
  });
  return { names: entries };
}

/** The names a statement binds in the module's scope, with the names bound inside its compound parts marked. */
export function boundNames(statement: SyntaxNode, source: PythonFile, found: (name: string, node: SyntaxNode) => void) {
  const name = (node: SyntaxNode | null | undefined) =>
    node?.name === 'VariableName' && found(textOf(source, node), node);
  const targets = (node: SyntaxNode | undefined) => {
    if (node === undefined) return;
    if (node.name === 'VariableName') name(node);
    else if (['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression'].includes(node.name))
      childrenOf(node).forEach(targets);
  };
  const parts = childrenOf(statement);
  let bodies = parts.filter((part) => part.name === 'Body');
  switch (statement.name) {
    case 'AssignStatement': {
      const last = parts.map((part) => part.name).lastIndexOf('AssignOp');
      parts.slice(0, last === -1 ? parts.length : last).forEach(targets);
      break;
    }
    case 'UpdateStatement':
    case 'DeleteStatement':
      parts.forEach(targets);
      break;
    case 'ImportStatement': {
      importedNames(statement, source).names.forEach((entry) => found(entry.bound, entry.node));
      break;
    }
    case 'FunctionDefinition':
    case 'ClassDefinition':
      name(statement.getChild('VariableName'));
      return;
    case 'TypeDefinition':
      name(statement.getChild('VariableName'));
      break;
    case 'DecoratedStatement':
      boundNames(parts.at(-1) as SyntaxNode, source, found);
      return;
    case 'ForStatement':
      parts
        .slice(
          0,
          parts.findIndex((part) => part.name === 'in'),
        )
        .forEach(targets);
      break;
    case 'MatchStatement': {
      const clauses = statement.getChild('MatchBody')?.getChildren('MatchClause') ?? [];
      clauses.forEach((clause) => captureNames(clause, name));
      bodies = clauses.flatMap((clause) => clause.getChildren('Body'));
      break;
    }
    default:
      parts.forEach((part, index) => part.name === 'as' && name(parts[index + 1]));
  }
  for (const body of bodies) {
    for (const inner of statementsOf(body)) boundNames(inner, source, found);
  }
  walrusTargets(statement, source, found);
}

/** `case Q:`, `case {"a": Q}:`, `case [*rest]:`, `case str() as Q:` bind Q in the scope the match is in. */
function captureNames(clause: SyntaxNode, name: (node: SyntaxNode | null) => void) {
  for (const pattern of childrenOf(clause).filter((part) => part.name.endsWith('Pattern'))) {
    eachNode(pattern, (node) => {
      if (node.name === 'CapturePattern') name(node.getChild('VariableName'));
      if (node.name === 'AsPattern') name(node.lastChild);
    });
  }
}

/**
 * `(x := …)` binds x in the scope it is written in, even inside a comprehension; so does `f(x := …)`, which the
 * grammar reads as a name and an AssignOp in the argument list rather than as a NamedExpression.
 */
function walrusTargets(node: SyntaxNode, source: PythonFile, found: (name: string, node: SyntaxNode) => void) {
  for (const child of childrenOf(node)) {
    if (child.name === 'FunctionDefinition' || child.name === 'ClassDefinition' || child.name === 'LambdaExpression')
      continue;
    if (child.name === 'Body') continue;
    const target = child.name === 'NamedExpression' ? child.firstChild : argumentWalrus(child, source);
    if (target?.name === 'VariableName') found(textOf(source, target), target);
    walrusTargets(child, source, found);
  }
}

/** In an argument list, the name of `name := value`; null for anything else. */
export function argumentWalrus(node: SyntaxNode, source: PythonFile): SyntaxNode | null {
  const op = node.nextSibling;
  const isWalrus = node.parent?.name === 'ArgList' && op?.name === 'AssignOp' && textOf(source, op) === ':=';
  return isWalrus && node.name === 'VariableName' ? node : null;
}

/** Names declared `global` anywhere in the module: a function may rebind them whenever it runs. */
export function globalNames(top: SyntaxNode, source: PythonFile): Set<string> {
  const names = new Set<string>();
  eachNode(top, (node) => {
    if (node.name === 'ScopeStatement' && node.firstChild?.name === 'global')
      node.getChildren('VariableName').forEach((name) => names.add(textOf(source, name)));
  });
  return names;
}

/** What a module-level constant may be written as: a literal, a library enum member, or another constant. */
export const LITERAL_SHAPES = new Set([
  'String',
  'FormatString',
  'ContinuedString',
  'Number',
  'Boolean',
  'None',
  'UnaryExpression',
  'ParenthesizedExpression',
  'TupleExpression',
  'ArrayExpression',
  'DictionaryExpression',
  'MemberExpression',
  'VariableName',
]);
export const MUTABLE_SHAPES = new Set(['ArrayExpression', 'DictionaryExpression']);

/**
 * A list or dict stays as written only if nothing can change it: every use of its name is in a decorator's arguments
 * or another constant's value, at the top level.
 */
export function onlyReadPlainly(name: string, target: SyntaxNode, source: PythonFile): boolean {
  const plain = new Set<number>([target.from]);
  for (const statement of statementsOf(source.top)) {
    const reads =
      statement.name === 'DecoratedStatement'
        ? statement.getChildren('Decorator').flatMap((decorator) => decorator.getChildren('ArgList'))
        : statement.name === 'AssignStatement'
          ? [statement.lastChild as SyntaxNode]
          : [];
    reads.forEach((read) => eachNode(read, (node) => void (node.name === 'VariableName' && plain.add(node.from))));
  }
  let only = true;
  eachNode(source.top, (node) => {
    if (node.name === 'VariableName' && !plain.has(node.from) && textOf(source, node) === name) only = false;
  });
  return only;
}
