import type { SyntaxNode } from '@lezer/common';
import { UserError } from '../../errors.js';
import { WAYS_OUT, tooDeep } from '../code-first.js';
import { GUARDS } from './statements.js';
import { childrenOf, eachNode, lineAt, type PythonFile, textOf } from './syntax.js';

/**
 * Every use of an app or Blueprint object must be one the run read: a decorator on a top-level function, or
 * `register_functions` at the top level. Any other (`setup(app)`, `register = app.route`, a decorator inside a
 * function, an if or a loop) would register functions, or not, in ways only running the code shows.
 */
export function checkAppUses(source: PythonFile, objectNames: ReadonlySet<string>, accounted: ReadonlySet<number>) {
  if (objectNames.size === 0) return;
  const visit = (node: SyntaxNode, guard: string | undefined, locals: ReadonlySet<string>): void => {
    if (node.name === 'VariableName' && !isDeclaration(node) && !accounted.has(node.from)) {
      const name = textOf(source, node);
      if (objectNames.has(name) && !locals.has(name)) throw strayUse(source, node, name, guard);
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

/** A keyword argument's name (`AsgiFunctionApp(app=api)`), a parameter, a function's own name: no use of the name. */
function isDeclaration(node: SyntaxNode): boolean {
  const parent = node.parent?.name;
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
