import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { UserError } from '../../errors.js';
import { libraryPath, type ModuleScope, unwrap } from './literal.js';
import { AZURE_FUNCTIONS, DURABLE_FUNCTIONS } from './registrations.js';

/** One source file, parsed: its top-level names, its registrations, and the local modules it loads. */
export interface ParsedModule {
  readonly scope: ModuleScope;
  /** Every `app.*` call of the libraries, with what (if anything) makes it run only sometimes. */
  readonly calls: readonly {
    readonly call: t.CallExpression;
    readonly method: readonly string[];
    readonly guard?: string;
  }[];
  /** Relative specifiers of require() and import, as written. */
  readonly localModules: readonly string[];
}

const LIBRARIES = new Set([AZURE_FUNCTIONS, DURABLE_FUNCTIONS]);
const IMPORTED = 'imported from another module';

export function parseModule(text: string, file: string): ParsedModule {
  const typescript = /\.[cm]?tsx?$/.test(file);
  const plugins: ParserPlugin[] = typescript ? ['typescript'] : [];
  if (/x$/.test(file)) plugins.push('jsx');
  let ast: t.File;
  try {
    ast = parse(text, { sourceType: 'unambiguous', allowReturnOutsideFunction: true, plugins });
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep(file);
    // Babel's message names the spot ("Unexpected token (3:7)") and never quotes the source.
    const { loc, message } = error as { loc?: { line: number; column: number }; message: string };
    throw new UserError(`${file}:${loc?.line ?? 0}: cannot parse it: ${message.replace(/ \(\d+:\d+\)$/, '')}`, file);
  }
  const scope = topLevelScope(ast.program, file);
  const calls: { call: t.CallExpression; method: readonly string[]; guard?: string }[] = [];
  const localModules: string[] = [];
  const appUses: t.Node[] = [];
  const visit: Visit = (node, guard, parents) => {
    const specifier = moduleSpecifier(node);
    if (specifier !== undefined && /^\.\.?(\/|$)/.test(specifier)) localModules.push(specifier);
    else if (specifier === undefined && isComputedLoad(node)) throw computedLoad(node, file);
    if (isAppReference(node, parents, scope)) appUses.push(node);
    if (node.type !== 'CallExpression') return;
    const method = libraryPath(node.callee, scope);
    if (method !== undefined && method[1] === 'app') calls.push({ call: node, method, guard });
  };
  try {
    walk(ast.program, undefined, [], visit);
  } catch (error) {
    throw error instanceof RangeError ? tooDeep(file) : error;
  }
  // Every reference to `app` must be the base of one of those calls: `const register = app.http` or `setUp(app)`
  // would register functions no call here shows.
  const called = new Set(calls.map(({ call }) => appBase(call.callee, scope)));
  const stray = appUses.find((use) => !called.has(use));
  if (stray !== undefined) throw strayApp(stray, file);
  return { scope, calls, localModules };
}

/** An expression that stands for a library's `app` itself (`app`, `func.app`, `df.app`), not a declaration of it. */
function isAppReference(node: t.Node, parents: readonly t.Node[], scope: ModuleScope): boolean {
  if (node.type !== 'Identifier' && node.type !== 'MemberExpression') return false;
  const path = libraryPath(node, scope);
  if (path?.length !== 2 || path[1] !== 'app') return false;
  const parent = parents.at(-1);
  if (parent === undefined || parent.type.startsWith('Import') || parent.type.startsWith('TS')) return false;
  if (parent.type === 'VariableDeclarator' && parent.id === node) return false;
  return !(parent.type === 'ObjectProperty' && parents.at(-2)?.type === 'ObjectPattern');
}

/** The `app` a call's callee starts from: `app` in `app.hook.appStart`. */
function appBase(callee: t.Node, scope: ModuleScope): t.Node | undefined {
  let node: t.Node = unwrap(callee);
  while (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
    if (libraryPath(node, scope)?.length === 2) return node;
    node = unwrap(node.object);
  }
  return libraryPath(node, scope)?.length === 2 ? node : undefined;
}

function strayApp(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: 'app' is used other than by calling its methods (app.http(...), app.storageQueue(...), ...), ` +
      `so the functions it registers cannot be read without running the app's code; call app.<trigger>(name, ` +
      `{...}) at the top level of the module, or list the app's functions in the 'triggers' input`,
    file,
    line,
  );
}

/** require(x) or import(x) of a path made at run time. */
function isComputedLoad(node: t.Node): boolean {
  const isRequire =
    node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
  if (isRequire || (node.type === 'CallExpression' && node.callee.type === 'Import')) {
    return node.arguments.length > 0 && node.arguments[0]?.type !== 'StringLiteral';
  }
  return node.type === 'ImportExpression' && node.source.type !== 'StringLiteral';
}

function computedLoad(node: t.Node, file: string): UserError {
  const line = node.loc?.start.line ?? 0;
  return new UserError(
    `${file}:${line}: loads a module by a path made at run time, so the functions it may register cannot be read ` +
      `without running the app's code; name the files in package.json "main" (a glob), or list the app's ` +
      `functions in the 'triggers' input`,
    file,
    line,
  );
}

/** Code nested thousands deep exhausts the stack of a recursive reader: said, not crashed on. */
function tooDeep(file: string): UserError {
  return new UserError(`${file}: nested too deeply to be read; list the app's functions in the 'triggers' input`, file);
}

function requireOf(node: t.Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (inner.type !== 'CallExpression' || inner.callee.type !== 'Identifier' || inner.callee.name !== 'require')
    return undefined;
  const [first] = inner.arguments;
  return first?.type === 'StringLiteral' ? first.value : undefined;
}

function moduleSpecifier(node: t.Node): string | undefined {
  if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration') return node.source.value;
  if (node.type === 'ExportNamedDeclaration') return node.source?.value;
  if (node.type === 'ImportExpression' && node.source.type === 'StringLiteral') return node.source.value;
  if (node.type === 'CallExpression' && node.callee.type === 'Import') {
    const [first] = node.arguments;
    return first?.type === 'StringLiteral' ? first.value : undefined;
  }
  return requireOf(node);
}

function topLevelScope(program: t.Program, file: string): ModuleScope {
  const imports = new Map<string, readonly string[]>();
  const constants = new Map<string, t.Expression>();
  const functions = new Set<string>();
  const otherNames = new Map<string, string>();
  for (const raw of program.body) {
    const statement = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw;
    if (statement.type === 'ImportDeclaration') {
      for (const specifier of statement.specifiers) {
        if (!LIBRARIES.has(statement.source.value)) otherNames.set(specifier.local.name, IMPORTED);
        else if (specifier.type === 'ImportSpecifier') {
          const imported =
            specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
          imports.set(specifier.local.name, [statement.source.value, imported]);
        } else imports.set(specifier.local.name, [statement.source.value]);
      }
    } else if (statement.type === 'FunctionDeclaration' && statement.id) functions.add(statement.id.name);
    else if (statement.type === 'ClassDeclaration' && statement.id) otherNames.set(statement.id.name, 'a class');
    else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations)
        declare(declarator, statement.kind, { imports, constants, otherNames });
    }
  }
  return { file, imports, constants, functions, otherNames };
}

function declare(
  declarator: t.VariableDeclarator,
  kind: string,
  names: {
    imports: Map<string, readonly string[]>;
    constants: Map<string, t.Expression>;
    otherNames: Map<string, string>;
  },
): void {
  const library = requireOf(declarator.init);
  const fromLibrary = library !== undefined && LIBRARIES.has(library);
  if (declarator.id.type === 'Identifier') {
    if (fromLibrary) names.imports.set(declarator.id.name, [library]);
    else if (kind === 'const' && declarator.init) names.constants.set(declarator.id.name, declarator.init);
    else names.otherNames.set(declarator.id.name, `a ${kind} variable`);
    return;
  }
  if (declarator.id.type !== 'ObjectPattern') return;
  for (const member of declarator.id.properties) {
    if (member.type === 'RestElement') continue;
    const local = member.value.type === 'Identifier' ? member.value.name : undefined;
    const key = !member.computed && member.key.type === 'Identifier' ? member.key.name : undefined;
    if (local === undefined) continue;
    // `const { app } = require('@azure/functions')`: the destructured names are the library's.
    if (fromLibrary && key !== undefined) names.imports.set(local, [library, key]);
    else names.otherNames.set(local, library === undefined ? 'taken apart from another value' : IMPORTED);
  }
}

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

type Visit = (node: t.Node, guard: string | undefined, parents: readonly t.Node[]) => void;

function walk(node: t.Node, guard: string | undefined, parents: t.Node[], visit: Visit): void {
  visit(node, guard, parents);
  const inner = guard ?? GUARDS[node.type];
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
