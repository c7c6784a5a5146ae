import type * as t from '@babel/types';
import { commonJsNamespace, exportStarOf } from './interop.js';
import { exported, libraryPath, type ModuleScope, type ModuleValue, requiredSpecifier, unwrap } from './literal.js';
import type { ModuleOf } from './module-scope.js';
import { exportTarget, isExportGetter } from './walk.js';

/** What of the libraries a module hands on, as far as its top-level statements show. */
/** `kind`: how its `export … from` loads (tsc's CommonJS output requires). */
export function moduleExports(
  program: t.Program,
  scope: ModuleScope,
  moduleOf: ModuleOf,
  kind: 'require' | 'import',
): ModuleValue {
  const named = new Map<string, readonly string[]>();
  const value = { whole: undefined as readonly string[] | undefined, esModule: false };
  const name = (node: t.Identifier | t.StringLiteral) => (node.type === 'Identifier' ? node.name : node.value);
  const exportAll = (module: ModuleValue | undefined) => {
    value.whole ??= module?.whole;
    for (const [key, path] of module?.named ?? []) if (key !== 'default' && !named.has(key)) named.set(key, path);
  };
  for (const statement of program.body) {
    if (statement.type.startsWith('Export') || statement.type === 'ImportDeclaration') value.esModule = true;
    if (statement.type === 'ExportAllDeclaration' && !statement.exportKind?.startsWith('type')) {
      exportAll(moduleOf(statement.source.value, kind));
    } else if (statement.type === 'ExportNamedDeclaration') {
      const from = statement.source ? moduleOf(statement.source.value, kind) : undefined;
      for (const specifier of statement.specifiers) {
        if (specifier.type !== 'ExportSpecifier') continue;
        const local = name(specifier.local);
        const path = statement.source ? exported(from, local) : scope.imports.get(local);
        if (path !== undefined) named.set(name(specifier.exported), path);
      }
      const declared = statement.declaration?.type === 'VariableDeclaration' ? statement.declaration.declarations : [];
      const ids = declared
        .map(({ id }) => id)
        .concat(statement.declaration?.type === 'TSImportEqualsDeclaration' ? [statement.declaration.id] : []);
      for (const id of ids) {
        const path = id.type === 'Identifier' ? scope.imports.get(id.name) : undefined;
        if (path !== undefined && id.type === 'Identifier') named.set(id.name, path);
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      const path = libraryPath(statement.declaration, scope);
      if (path !== undefined) named.set('default', path);
    } else if (statement.type === 'TSExportAssignment') {
      value.whole = libraryPath(statement.expression, scope);
    } else if (statement.type === 'ExpressionStatement') {
      commonjsExport(statement.expression, scope, moduleOf, { named, value, exportAll });
    }
  }
  return { whole: value.whole, named, esModule: value.esModule };
}

interface Exports {
  readonly named: Map<string, readonly string[]>;
  readonly value: { whole: readonly string[] | undefined; esModule: boolean };
  readonly exportAll: (module: ModuleValue | undefined) => void;
}

/** `module.exports = …`, `exports.x = …`, and what tsc and esbuild write for `export … from` and `export *`. */
function commonjsExport(expression: t.Expression, scope: ModuleScope, moduleOf: ModuleOf, out: Exports): void {
  const starred = exportStarOf(expression);
  if (starred !== undefined) {
    const specifier = requiredSpecifier(unwrap(starred));
    out.exportAll(specifier === undefined ? undefined : moduleOf(specifier));
    return;
  }
  if (expression.type === 'CallExpression') {
    getterExports(expression, scope, out);
    return;
  }
  if (expression.type !== 'AssignmentExpression') return;
  const target = exportTarget(expression.left);
  const value = unwrap(expression.right);
  if (target === '__esModule') out.value.esModule = true;
  const namespace = target === '' ? commonJsNamespace(value) : undefined;
  if (namespace !== undefined) {
    out.value.esModule = true;
    out.value.whole ??= libraryPath(namespace, scope);
    return;
  }
  if (target === '' && value.type === 'ObjectExpression') {
    for (const property of value.properties) {
      if (property.type !== 'ObjectProperty' || property.computed) continue;
      if (property.key.type !== 'Identifier' && property.key.type !== 'StringLiteral') continue;
      const path = libraryPath(property.value, scope);
      const key = property.key.type === 'Identifier' ? property.key.name : property.key.value;
      if (path !== undefined) out.named.set(key, path);
    }
  } else if (target !== undefined) {
    const path = libraryPath(value, scope);
    if (path !== undefined && target === '') out.value.whole = path;
    else if (path !== undefined) out.named.set(target, path);
  }
}

/** tsc's `Object.defineProperty(exports, 'x', { get: () => v })`, esbuild's `__export(target, { x: () => v })`. */
function getterExports(call: t.CallExpression, scope: ModuleScope, out: Exports): void {
  const object = call.arguments.find((argument) => argument.type === 'ObjectExpression');
  if (object === undefined || !isExportGetter(call, object)) return;
  const [, first] = call.arguments;
  if (first?.type === 'StringLiteral' && first.value === '__esModule') out.value.esModule = true;
  for (const property of object.properties) {
    if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier') continue;
    const getter = property.value;
    if (getter.type !== 'ArrowFunctionExpression' && getter.type !== 'FunctionExpression') continue;
    const body = getter.body;
    const returned =
      body.type === 'BlockStatement'
        ? body.body[0]?.type === 'ReturnStatement'
          ? body.body[0].argument
          : undefined
        : body;
    const path = returned ? libraryPath(returned, scope) : undefined;
    const exportedAs = first?.type === 'StringLiteral' ? first.value : property.key.name;
    if (path !== undefined) out.named.set(exportedAs, path);
  }
}
