import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import { UserError } from '../../errors.js';
import { WAYS_OUT } from '../code-first.js';

/** One Python source file, parsed by the Lezer Python grammar: its tree, and where its lines start for messages. */
export interface PythonFile {
  /** The file as messages name it. */
  readonly file: string;
  readonly text: string;
  readonly top: SyntaxNode;
  /** The first spot the grammar could not read, if any. */
  readonly firstError?: number;
  readonly lineStarts: readonly number[];
}

export function parsePython(text: string, file: string): PythonFile {
  const tree = parser.parse(text);
  let firstError: number | undefined;
  tree.iterate({
    enter(node) {
      if (firstError !== undefined) return false;
      if (node.type.isError) firstError = node.from;
      return undefined;
    },
  });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return { file, text, top: tree.topNode, firstError, lineStarts };
}

/** The 1-based line of a position. */
export function lineAt(source: PythonFile, position: number): number {
  let low = 0;
  let high = source.lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((source.lineStarts[middle] as number) <= position) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

/** A node's text; a name as Python reads it, NFKC-normalised (`ＱＵＥＵＥ` is `QUEUE`). */
export function textOf(source: PythonFile, node: SyntaxNode): string {
  const text = source.text.slice(node.from, node.to);
  return node.name === 'VariableName' || node.name === 'PropertyName' ? text.normalize('NFKC') : text;
}

/** A node's direct children, punctuation included (Lezer keeps `(`, `,`, `=` as nodes). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) children.push(child);
  return children;
}

/** Every node under `node` (itself first), depth first, without recursion; `enter` returning false skips a subtree. */
export function eachNode(node: SyntaxNode, enter: (node: SyntaxNode) => boolean | void): void {
  const stack = [node];
  while (stack.length > 0) {
    const next = stack.pop() as SyntaxNode;
    if (enter(next) === false) continue;
    for (let child = next.lastChild; child !== null; child = child.prevSibling) stack.push(child);
  }
}

/** The statements of a block (the module, or a Body), `a; b` groups taken apart. */
export function statementsOf(block: SyntaxNode): SyntaxNode[] {
  return childrenOf(block).flatMap((child) =>
    child.name === 'StatementGroup' ? childrenOf(child).filter((part) => part.name !== ';') : [child],
  );
}

/** A statement of the module itself, not inside a compound statement. */
export function isTopLevel(statement: SyntaxNode): boolean {
  const parent = statement.parent;
  return parent?.name === 'Script' || (parent?.name === 'StatementGroup' && parent.parent?.name === 'Script');
}

export function cannotParse(source: PythonFile, position: number): UserError {
  const line = lineAt(source, position);
  return new UserError(
    `${source.file}:${line}: cannot parse it as Python (or it uses syntax the indexer's grammar does not know); ` +
      `fix the syntax, or ${WAYS_OUT}`,
    source.file,
    line,
  );
}
