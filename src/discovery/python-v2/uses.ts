import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT, tooDeep } from '../code-first.js';
import { GUARDS } from './statements.js';
import { childrenOf, eachNode, lineAt, type PythonFile, textOf } from './syntax.js';

/** A module's names the run bound to app objects, to the app's own modules, and to the libraries' names. */
export interface KnownNames {
  readonly object: ReadonlySet<string>;
  readonly module: ReadonlySet<string>;
  readonly library: ReadonlySet<string>;
}

/**
 * Every use of an app or Blueprint object must be one the run read: a decorator on a top-level function, or
 * `register_functions` at the top level. Any other (`setup(app)`, `register = app.route`, a decorator inside a
 * function, an if or a loop) would register functions, or not, in ways only running the code shows. The app's own
 * modules may only be read from (`shared.name`): one handed to other code, or assigned through (`shared.bp = …`), can
 * have any of its names changed; so can the libraries' names assigned through. `objectDepth` says how many of the
 * attributes read after a module's name come to an app object (`shared.bp`: 1), if any do.
 */
export function checkAppUses(
  source: PythonFile,
  known: KnownNames,
  accounted: ReadonlySet<number>,
  objectDepth: (node: SyntaxNode) => number | undefined,
) {
  if (known.object.size + known.module.size + known.library.size === 0) return;
  const visit = (node: SyntaxNode, guard: string | undefined, locals: ReadonlySet<string>): void => {
    if (node.name === 'VariableName' && !isDeclaration(node) && !accounted.has(node.from)) {
      const name = textOf(source, node);
      if (!locals.has(name)) checkUse({ source, node, name, guard }, known, objectDepth);
    }
    const inner = GUARDS[node.name];
    const innerLocals =
      node.name === 'FunctionDefinition' || node.name === 'LambdaExpression'
        ? new Set([...locals, ...localNames(node, source)])
        : locals;
    for (let child = node.firstChild; child !== null; child = child.nextSibling) {
      // A function's own name and decorators belong to the scope around it.
      const own = inner === 'a function' && (child.name === 'VariableName' || child.name === 'ParamList');
      visit(child, own ? guard : (guard ?? inner), own ? locals : innerLocals);
    }
  };
  try {
    visit(source.top, undefined, new Set());
  } catch (error) {
    throw error instanceof RangeError ? tooDeep(source.file) : error;
  }
}

interface Use {
  readonly source: PythonFile;
  readonly node: SyntaxNode;
  readonly name: string;
  readonly guard: string | undefined;
}

function checkUse(use: Use, known: KnownNames, objectDepth: (node: SyntaxNode) => number | undefined): void {
  const { source, node, name } = use;
  if (known.object.has(name)) throw strayUse(source, node, name, use.guard);
  const isModule = known.module.has(name);
  if (!isModule && !known.library.has(name)) return;
  const attributes = attributesAfter(node, source);
  const chain = [name, ...attributes].join('.');
  const whose = isModule ? `the app's module '${name}'` : `the library's '${name}'`;
  const chainNode = outermost(node);
  if (chainNode.to !== node.to && isWriteTarget(chainNode))
    throw refusal(
      use,
      `'${chain}' is assigned or deleted through ${whose}, which changes what its names hold for every module ` +
        `that reads them; bind names in the module that owns them, or ${WAYS_OUT}`,
    );
  if (!isModule) return;
  if (attributes.length === 0 || attributes[0]?.startsWith('__'))
    throw refusal(
      use,
      `${whose} is used ${use.guard ? `inside ${use.guard} ` : ''}other than by reading a name from it ` +
        `(${name}.name), so what is done to its names cannot be read without running the app's code; read names ` +
        `from it as ${name}.name, or ${WAYS_OUT}`,
    );
  const depth = objectDepth(node);
  if (depth !== undefined) throw strayUse(source, node, [name, ...attributes.slice(0, depth)].join('.'), use.guard);
}

/** The attributes read after a name: `shared.bp.route(...)` gives bp and route (a decorator's too). */
export function attributesAfter(node: SyntaxNode, source: PythonFile): string[] {
  const keys: string[] = [];
  if (node.parent?.name === 'Decorator') {
    for (let dot = node.nextSibling; dot?.name === '.' && dot.nextSibling; dot = dot.nextSibling.nextSibling)
      keys.push(textOf(source, dot.nextSibling));
    return keys;
  }
  for (let inner = node; inner.parent?.name === 'MemberExpression' && startsWith(inner.parent, inner);) {
    const property = inner.nextSibling?.name === '.' ? inner.nextSibling.nextSibling : null;
    if (property?.name !== 'PropertyName') break;
    keys.push(textOf(source, property));
    inner = inner.parent;
  }
  return keys;
}

/** The whole attribute and subscript chain a name starts (`shared.d["k"]` for shared). */
function outermost(node: SyntaxNode): SyntaxNode {
  let inner = node;
  while (inner.parent?.name === 'MemberExpression' && startsWith(inner.parent, inner)) inner = inner.parent;
  return inner;
}

/** Whether `child` is the first child of `parent` (the grammar's nodes are made anew on each walk, so by place). */
function startsWith(parent: SyntaxNode, child: SyntaxNode): boolean {
  return parent.firstChild?.from === child.from && parent.firstChild.to === child.to;
}

/** A target of `=`, `+=`, `del`, `for … in`, `with … as`: what the statement binds or deletes. */
function isWriteTarget(node: SyntaxNode): boolean {
  let target = node;
  while (['TupleExpression', 'ArrayExpression', 'ParenthesizedExpression'].includes(target.parent?.name ?? ''))
    target = target.parent as SyntaxNode;
  const parent = target.parent;
  if (parent === null) return false;
  const siblings = childrenOf(parent).map((child) => child.name);
  const at = childrenOf(parent).findIndex((child) => child.from === target.from && child.to === target.to);
  switch (parent.name) {
    case 'AssignStatement':
      return at < siblings.lastIndexOf('AssignOp');
    case 'UpdateStatement':
      return at === 0;
    case 'DeleteStatement':
      return true;
    case 'WithStatement':
      return siblings[at - 1] === 'as';
    default: {
      // `for x in`, in a statement or a comprehension: the keyword nearest before it is `for`.
      const keyword = siblings
        .slice(0, at)
        .reverse()
        .find((name) => ['for', 'in', 'if'].includes(name));
      return keyword === 'for';
    }
  }
}

function refusal(use: Use, message: string): UserError {
  const line = lineAt(use.source, use.node.from);
  return new UserError(`${use.source.file}:${line}: ${message}`, use.source.file, line);
}

/** A keyword argument's name (`AsgiFunctionApp(app=api)`), a parameter, a function's own name: no use of the name. */
function isDeclaration(node: SyntaxNode): boolean {
  const parent = node.parent?.name;
  if (parent === 'ImportStatement') return true;
  if (parent === 'ArgList') return node.nextSibling?.name === 'AssignOp';
  if (parent === 'ParamList') return node.prevSibling?.name !== 'AssignOp';
  return parent === 'FunctionDefinition' || parent === 'ClassDefinition';
}

/** A function's parameters and the names its body assigns: its own, whatever the module calls them. */
function localNames(definition: SyntaxNode, source: PythonFile): Set<string> {
  const names = new Set<string>();
  const params = definition.getChild('ParamList');
  let previous = '';
  for (const child of params ? childrenOf(params) : []) {
    if (child.name === 'VariableName' && previous !== 'AssignOp') names.add(textOf(source, child));
    previous = child.name;
  }
  const body = definition.getChild('Body');
  if (body === null) return names;
  eachNode(body, (node) => {
    if (node.name === 'FunctionDefinition' || node.name === 'LambdaExpression') return false;
    if (node.name === 'AssignStatement' && node.firstChild?.name === 'VariableName')
      names.add(textOf(source, node.firstChild));
    return true;
  });
  return names;
}

function strayUse(source: PythonFile, node: SyntaxNode, name: string, guard: string | undefined): UserError {
  const line = lineAt(source, node.from);
  const decorator = node.parent?.name === 'Decorator' ? node.parent : undefined;
  const method = decorator?.getChildren('VariableName').at(-1);
  const message = decorator
    ? `@${name}.${method ? textOf(source, method) : '…'}: registered inside ${guard ?? 'a construct'}, so whether (and ` +
      `how often) it runs cannot be read without running the app's code; decorate the function at the top level ` +
      `of the module, or ${WAYS_OUT}`
    : `'${name}' is used ${guard ? `inside ${guard}` : 'other than by its decorators and register_functions()'}, ` +
      `so the functions it registers cannot be read without running the app's code; use @${name}.<trigger>(...) ` +
      `on functions at the top level of the module, or ${WAYS_OUT}`;
  return new UserError(`${source.file}:${line}: ${message}`, source.file, line);
}
