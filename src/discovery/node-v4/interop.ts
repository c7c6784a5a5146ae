import type * as t from '@babel/types';
import type { ModuleValue } from './literal.js';

/**
 * The helpers TypeScript (tsc's emit and tslib) and esbuild write into CommonJS output around a `require`, redone on
 * what a module hands on. Their rule for `default`: a module compiled from ES syntax (`__esModule` set, as both
 * libraries are: @azure/functions 4.16 and durable-functions 3.5 are) is taken as it is, so its `default` is its own
 * `exports.default`; any other module becomes the `default` of a new namespace (esbuild's `__toESM(m, 1)`, for an
 * importer in Node's mode, always does that).
 */

const IMPORT_HELPERS = new Set(['__importStar', '__importDefault', '__toESM']);
/** tsc's `__exportStar(require(x), exports)` and esbuild's `__reExport(target, require(x), module.exports)`. */
const EXPORT_STAR_HELPERS = new Set(['__exportStar', '__reExport']);

/** The name a helper is called by: `__importStar(...)`, `tslib_1.__importStar(...)`, `(0, tslib_1.__importStar)(...)`. */
export function helperName(call: t.Node): string | undefined {
  if (call.type !== 'CallExpression') return undefined;
  let callee: t.Node = call.callee;
  if (callee.type === 'SequenceExpression') callee = callee.expressions.at(-1) as t.Node;
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier')
    return callee.property.name;
  return undefined;
}

/** `__importStar(require('x'))` and the like: the helper, the module it wraps, and esbuild's Node mode flag. */
export function importHelper(
  node: t.Node,
): { readonly helper: string; readonly wrapped: t.Node; readonly nodeMode: boolean } | undefined {
  const helper = helperName(node);
  if (helper === undefined || !IMPORT_HELPERS.has(helper)) return undefined;
  const [wrapped, mode] = (node as t.CallExpression).arguments;
  if (wrapped === undefined || wrapped.type === 'SpreadElement' || wrapped.type === 'ArgumentPlaceholder')
    return undefined;
  return { helper, wrapped, nodeMode: mode?.type === 'NumericLiteral' && mode.value !== 0 };
}

/** What an import helper gives for a module: the module itself, or a namespace whose `default` is the module. */
export function throughHelper(helper: string, nodeMode: boolean, module: ModuleValue): ModuleValue {
  const asNamespace = helper === '__toESM' ? nodeMode || !module.esModule : !module.esModule;
  if (!asNamespace) return module;
  const named = new Map(helper === '__importDefault' ? [] : [...module.named].filter(([name]) => name !== 'default'));
  if (module.whole !== undefined) named.set('default', module.whole);
  return { whole: helper === '__importDefault' ? undefined : module.whole, named, esModule: true };
}

/** The module an export-star helper hands on: the node of its `require(...)`. */
export function exportStarOf(node: t.Node): t.Node | undefined {
  const helper = helperName(node);
  if (helper === undefined || !EXPORT_STAR_HELPERS.has(helper)) return undefined;
  const args = (node as t.CallExpression).arguments;
  return (helper === '__exportStar' ? args[0] : args[1]) as t.Node | undefined;
}

/** esbuild's `module.exports = __toCommonJS(namespace)`: the namespace is what the module hands on. */
export function commonJsNamespace(node: t.Node): t.Node | undefined {
  if (helperName(node) !== '__toCommonJS') return undefined;
  const [namespace] = (node as t.CallExpression).arguments;
  return namespace?.type === 'Identifier' ? namespace : undefined;
}

/** True for a helper call that takes a module's value as an argument without handing it anywhere else. */
export function isModuleHelper(call: t.Node): boolean {
  return importHelper(call) !== undefined || exportStarOf(call) !== undefined || commonJsNamespace(call) !== undefined;
}
