import type * as t from '@babel/types';
import { exported, libraryPath, type ModuleScope, type ModuleValue, requiredSpecifier, unwrap } from './literal.js';

/** The names a module's top level gives (what of the libraries each stands for), and what it hands on. */

export const IMPORTED = 'imported from another module';

export type ModuleOf = (specifier: string) => ModuleValue | undefined;

export function topLevelScope(program: t.Program, file: string, moduleOf: ModuleOf): ModuleScope {
  const imports = new Map<string, readonly string[]>();
  const constants = new Map<string, t.Expression>();
  const functions = new Set<string>();
  const otherNames = new Map<string, string>();
  const namespaces = new Map<string, ModuleValue>();
  const scope: ModuleScope = {
    file,
    imports,
    constants,
    functions,
    otherNames,
    required: moduleOf,
    namespaces,
  };
  for (const raw of program.body) {
    const statement = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw;
    if (statement.type === 'ImportDeclaration') {
      const module = moduleOf(statement.source.value);
      for (const specifier of statement.specifiers) {
        const path =
          specifier.type === 'ImportSpecifier'
            ? exported(
                module,
                specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value,
              )
            : specifier.type === 'ImportDefaultSpecifier'
              ? (module?.named.get('default') ?? module?.whole)
              : module?.whole;
        if (path !== undefined) imports.set(specifier.local.name, path);
        else if (specifier.type === 'ImportNamespaceSpecifier' && module?.named.size) {
          namespaces.set(specifier.local.name, module);
        } else otherNames.set(specifier.local.name, IMPORTED);
      }
    } else if (statement.type === 'FunctionDeclaration' && statement.id) functions.add(statement.id.name);
    else if (statement.type === 'ClassDeclaration' && statement.id) otherNames.set(statement.id.name, 'a class');
    else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) declare(declarator, statement.kind, scope, moduleOf);
    }
  }
  return scope;
}

function declare(declarator: t.VariableDeclarator, kind: string, scope: ModuleScope, moduleOf: ModuleOf): void {
  const imports = scope.imports as Map<string, readonly string[]>;
  const otherNames = scope.otherNames as Map<string, string>;
  const init = declarator.init ? unwrap(declarator.init) : undefined;
  const specifier = init && requiredSpecifier(init);
  // `const func = require('@azure/functions')`, `const app = require('./az').app`: names for a library path.
  const library = init && libraryPath(init, scope);
  if (declarator.id.type === 'Identifier') {
    const module = specifier === undefined ? undefined : moduleOf(specifier);
    if (library !== undefined) imports.set(declarator.id.name, library);
    else if (module?.named.size) (scope.namespaces as Map<string, ModuleValue>).set(declarator.id.name, module);
    else if (specifier !== undefined) otherNames.set(declarator.id.name, IMPORTED);
    else if (kind === 'const' && declarator.init)
      (scope.constants as Map<string, t.Expression>).set(declarator.id.name, declarator.init);
    else otherNames.set(declarator.id.name, specifier === undefined ? `a ${kind} variable` : IMPORTED);
    return;
  }
  if (declarator.id.type !== 'ObjectPattern') return;
  const module = specifier === undefined ? undefined : moduleOf(specifier);
  for (const member of declarator.id.properties) {
    if (member.type === 'RestElement') continue;
    const local = member.value.type === 'Identifier' ? member.value.name : undefined;
    const key = !member.computed && member.key.type === 'Identifier' ? member.key.name : undefined;
    if (local === undefined) continue;
    // `const { app } = require('@azure/functions')`: the destructured names are the library's.
    const path = key === undefined ? undefined : library ? [...library, key] : exported(module, key);
    if (path !== undefined) imports.set(local, path);
    else otherNames.set(local, specifier === undefined ? 'taken apart from another value' : IMPORTED);
  }
}

/** `module.exports`, `exports` or `module.exports.NAME`: the name it assigns ('' for the whole). */
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

/** What of the libraries a module hands on, as far as its top-level statements show. */
export function moduleExports(program: t.Program, scope: ModuleScope, moduleOf: ModuleOf): ModuleValue {
  const named = new Map<string, readonly string[]>();
  let whole: readonly string[] | undefined;
  const name = (node: t.Identifier | t.StringLiteral) => (node.type === 'Identifier' ? node.name : node.value);
  for (const statement of program.body) {
    if (statement.type === 'ExportAllDeclaration' && !statement.exportKind?.startsWith('type')) {
      whole ??= moduleOf(statement.source.value)?.whole;
    } else if (statement.type === 'ExportNamedDeclaration') {
      const from = statement.source ? moduleOf(statement.source.value) : undefined;
      for (const specifier of statement.specifiers) {
        if (specifier.type !== 'ExportSpecifier') continue;
        const local = name(specifier.local);
        const path = statement.source ? exported(from, local) : scope.imports.get(local);
        if (path !== undefined) named.set(name(specifier.exported), path);
      }
      const declared = statement.declaration?.type === 'VariableDeclaration' ? statement.declaration.declarations : [];
      for (const { id } of declared) {
        const path = id.type === 'Identifier' ? scope.imports.get(id.name) : undefined;
        if (path !== undefined && id.type === 'Identifier') named.set(id.name, path);
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const path = libraryPath(statement.declaration, scope);
      if (path !== undefined) named.set('default', path);
    } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
      const target = exportTarget(statement.expression.left);
      const value = unwrap(statement.expression.right);
      if (target === '' && value.type === 'ObjectExpression') {
        for (const property of value.properties) {
          if (property.type !== 'ObjectProperty' || property.computed) continue;
          if (property.key.type !== 'Identifier' && property.key.type !== 'StringLiteral') continue;
          const path = libraryPath(property.value, scope);
          if (path !== undefined) named.set(name(property.key), path);
        }
      } else if (target !== undefined) {
        const path = libraryPath(value, scope);
        if (path !== undefined && target === '') whole = path;
        else if (path !== undefined) named.set(target, path);
      }
    }
  }
  return { whole, named };
}
