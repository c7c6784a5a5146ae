import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CallExpression } from '@babel/types';
import { UserError } from '../../errors.js';
import { type IndexedFunction, WAYS_OUT } from '../code-first.js';
import { readUserFile } from '../../files.js';
import { CODE, mainFiles, readAppManifest, staleBuildWarning, typescriptSources } from './entry-files.js';
import { evaluate, type Evaluation, notLiteral, type Value } from './literal.js';
import { type ParsedModule, parseModule } from './module.js';
import { helperCall, NOT_REGISTRATIONS, registrationBindings } from './registrations.js';

/**
 * The functions of a Node.js v4 app (@azure/functions 4), read from its source the way the worker loads it (the
 * files package.json `main` matches, and the local modules they load) without running any of it.
 * Loaded only for an app with no function.json: it carries the JavaScript parser.
 */

/** The app's functions (none when package.json has no `main`), and what the user should know about how they were read. */
export function indexNodeApp(root: string, warnings: string[]): IndexedFunction[] {
  const manifest = readAppManifest(root);
  if (manifest === undefined) return [];
  const functions: IndexedFunction[] = [];
  const parsed = new Map<string, ParsedModule | 'parsing'>();
  // Each file is parsed once, a module it imports first (to know what it re-exports of the library).
  const parseFile = (path: string): ParsedModule | undefined => {
    const known = parsed.get(path);
    if (known !== undefined) return known === 'parsing' ? undefined : known;
    parsed.set(path, 'parsing');
    const localExports = (specifier: string) => {
      const found = resolveLocal(dirname(path), specifier);
      return found === undefined ? undefined : parseFile(found)?.exports;
    };
    const module = parseModule(readUserFile(path, path).toString('utf8'), path, localExports);
    parsed.set(path, module);
    return module;
  };
  const seen = new Set<string>();
  const queue = entryFiles(root, manifest.main, manifest.path, warnings);
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const module = parseFile(path) as ParsedModule;
    for (const { call, method, guard } of module.calls) {
      if (NOT_REGISTRATIONS.has(method[2] ?? '')) continue;
      functions.push(readRegistration(call, method, guard, module.scope));
    }
    for (const specifier of module.localModules) {
      const found = resolveLocal(dirname(path), specifier);
      if (found !== undefined) queue.push(found);
    }
  }
  return functions;
}

/** The files `main` matches (a glob; braces allowed), or, for TypeScript not built yet, their sources. */
function entryFiles(root: string, main: string, shownPackage: string, warnings: string[]): string[] {
  const matched = mainFiles(root, main);
  const sources = typescriptSources(root, main);
  if (matched.length > 0) {
    const stale = staleBuildWarning(matched, sources, shownPackage, main);
    if (stale !== undefined) warnings.push(stale);
    return matched;
  }
  if (sources.length > 0) return sources;
  throw new UserError(
    `${shownPackage}: "main" ('${main}') matches no file, and no TypeScript source (tsconfig.json rootDir/outDir) ` +
      `stands for it: build the app first, or point "main" at the files that register the functions`,
    shownPackage,
  );
}

/** A relative require()/import as Node (or tsc, for `./x.js` written in TypeScript) resolves it to a source file. */
function resolveLocal(from: string, specifier: string): string | undefined {
  // Joined, not resolved: every path stays the app-path the user gave, then the file within, as messages show it.
  const base = join(from, specifier);
  const candidates = [base, base.replace(/\.([cm]?)js$/, '.$1ts')];
  for (const ext of ['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts', '.tsx', '.jsx']) {
    candidates.push(`${base}${ext}`, join(base, `index${ext}`));
  }
  return candidates.find((file) => CODE.test(file) && isFile(file));
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function readRegistration(
  call: CallExpression,
  method: readonly string[],
  guard: string | undefined,
  scope: Evaluation['scope'],
): IndexedFunction {
  const line = call.loc?.start.line ?? 0;
  const [nameNode, optionsNode] = call.arguments;
  const literalName = nameNode?.type === 'StringLiteral' ? nameNode.value : undefined;
  const context: Evaluation = { scope, functionName: literalName ?? '?', helper: helperCall };
  const where = `${scope.file}:${line}: ${method.slice(1).join('.')}`;
  if (guard !== undefined) {
    throw new UserError(
      `${where}('${context.functionName}'): registered inside ${guard}, so whether (and how often) it runs cannot be ` +
        `read without running the app's code; register it at the top level of the module, ${WAYS_OUT}`,
      scope.file,
      line,
    );
  }
  if (nameNode === undefined || nameNode.type === 'SpreadElement' || nameNode.type === 'ArgumentPlaceholder') {
    throw new UserError(`${where}: needs the function's name as its first argument`, scope.file, line);
  }
  const name = evaluate(nameNode, 'name (argument 1)', context);
  if (typeof name !== 'string') throw notLiteral(nameNode, 'name (argument 1)', 'not a string', context);
  const named = { ...context, functionName: name };
  const options: Value =
    optionsNode === undefined || optionsNode.type === 'SpreadElement' || optionsNode.type === 'ArgumentPlaceholder'
      ? undefined
      : evaluate(optionsNode, '', named);
  const bindings = registrationBindings({ method, args: [name, options] });
  if (typeof bindings === 'string') throw new UserError(`${where}('${name}'): ${bindings}`, scope.file, line);
  return { name, source: `${scope.file}:${line}`, bindings };
}
