import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import fastGlob from 'fast-glob';
import type { CallExpression } from '@babel/types';
import { parse as parseJsonc } from 'jsonc-parser';
import { UserError } from '../../errors.js';
import type { IndexedFunction } from '../code-first.js';
import { readUserFile } from '../../files.js';
import { isObject, readJsonFile } from '../json-file.js';
import { evaluate, type Evaluation, notLiteral, type Value } from './literal.js';
import { type ParsedModule, parseModule } from './module.js';
import { helperCall, NOT_REGISTRATIONS, registrationBindings } from './registrations.js';

/**
 * The functions of a Node.js v4 app (@azure/functions 4), read from its source the way the worker loads it (the
 * files package.json `main` matches, and the local modules they load) without running any of it.
 * Loaded only for an app with no function.json: it carries the JavaScript parser.
 */

export type { IndexedFunction } from '../code-first.js';

const CODE = /\.(c|m)?(j|t)sx?$/;

/** The app's functions (none when package.json has no `main`), and what the user should know about how they were read. */
export function indexNodeApp(root: string, warnings: string[]): IndexedFunction[] {
  const packagePath = join(root, 'package.json');
  if (!existsSync(packagePath)) return [];
  const manifest = readJsonFile(packagePath, packagePath);
  if (!isObject(manifest) || typeof manifest.main !== 'string' || manifest.main.trim() === '') return [];
  const main = manifest.main.trim();
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
  const queue = entryFiles(root, main, packagePath, warnings);
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
  const matched = glob(root, main);
  const sources = typescriptSources(root, main);
  if (matched.length > 0) {
    // The worker runs the build output, so it is what counts; sources edited since mean an image that may lack them.
    const built = Math.min(...matched.map(modified));
    const newer = sources.find((source) => modified(source) > built);
    if (newer !== undefined) {
      warnings.push(
        `${shownPackage}: "main" ('${main}') is read from the build output, but ${newer} ` +
          `is newer than it: functions added or changed since the last build are not deployed; build the app ` +
          `before deploying`,
      );
    }
    return matched;
  }
  if (sources.length > 0) return sources;
  throw new UserError(
    `${shownPackage}: "main" ('${main}') matches no file, and no TypeScript source (tsconfig.json rootDir/outDir) ` +
      `stands for it: build the app first, or point "main" at the files that register the functions`,
    shownPackage,
  );
}

function glob(root: string, pattern: string): string[] {
  return fastGlob
    .sync(pattern, { cwd: root, onlyFiles: true, dot: false })
    .filter((file) => CODE.test(file))
    .map((file) => join(root, file))
    .sort();
}

/** `dist/src/functions/*.js` with outDir `dist` and rootDir `.` → `src/functions/*.ts`, as tsc would have built it. */
function typescriptSources(root: string, main: string): string[] {
  const configPath = join(root, 'tsconfig.json');
  if (!existsSync(configPath)) return [];
  const config: unknown = parseJsonc(readUserFile(configPath, configPath).toString('utf8'));
  const options = isObject(config) && isObject(config.compilerOptions) ? config.compilerOptions : {};
  if (typeof options.outDir !== 'string') return [];
  const outDir = relative(root, resolve(root, options.outDir));
  const rootDir = relative(root, resolve(root, typeof options.rootDir === 'string' ? options.rootDir : '.'));
  const built = main.replace(/^\.\//, '');
  if (outDir !== '' && !built.startsWith(`${outDir}/`)) return [];
  const inOut = outDir === '' ? built : built.slice(outDir.length + 1);
  const source = (rootDir === '' ? inOut : `${rootDir}/${inOut}`).replace(
    /\.([cm]?)js(?=$|[,}])/g,
    (_, kind: string) => `.${kind}ts`,
  );
  return glob(root, source);
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

function modified(path: string): number {
  return statSync(path).mtimeMs;
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
        `read without running the app's code; register it at the top level of the module, or list the app's ` +
        `functions in the 'triggers' input`,
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
