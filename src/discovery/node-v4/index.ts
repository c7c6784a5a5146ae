import type { CallExpression } from '@babel/types';
import { UserError } from '../../errors.js';
import { readUserFile } from '../../files.js';
import { type IndexedFunction, WAYS_OUT } from '../code-first.js';
import { mainFiles, readAppManifest, staleBuildWarning, typescriptSources } from './entry-files.js';
import { evaluate, type Evaluation, notLiteral, type Value } from './literal.js';
import { computedLoad, type ParsedModule, parseModule } from './module.js';
import { helperCall, NOT_REGISTRATIONS, registrationBindings } from './registrations.js';
import { type Resolved, resolveSpecifier, tsconfigAliases } from './resolve.js';
import type { Load, Reached } from './run-at-load.js';

/**
 * The functions of a Node.js v4 app (@azure/functions 4), read from its source the way the worker loads it (the
 * files package.json `main` matches, and the local modules they load) without running any of it.
 * Loaded only for an app with no function.json: it carries the JavaScript parser.
 */

/** The app's functions (none when package.json has no `main`), and what the user should know about how they were read. */
export function indexNodeApp(root: string, warnings: string[]): IndexedFunction[] {
  const manifest = readAppManifest(root);
  if (manifest === undefined) return [];
  const aliases = tsconfigAliases(root);
  const resolveFrom = (from: string, specifier: string, kind: 'require' | 'import') =>
    resolveSpecifier(from, specifier, kind, root, aliases);
  const modules = moduleReader(manifest.type === 'module', resolveFrom);
  const functions: IndexedFunction[] = [];
  const seen = new Set<string>();
  // The loads that always run are followed first; a module reached only through one that may not run (inside an if,
  // or a function) may register nothing: whether its functions exist cannot be told.
  const always: string[] = entryFiles(root, manifest.main, manifest.path, warnings);
  const sometimes: { path: string; via: Via }[] = [];
  const follow = (from: string, loads: readonly Load[], via: Via | undefined) => {
    for (const load of loads) {
      const target = resolveFrom(from, load.specifier, load.kind);
      if (target.kind === 'alias')
        throw unfollowedLoad(from, load, `goes through ${target.what}, which Node does not read`);
      if (target.kind === 'missing' && via === undefined && load.guard === undefined)
        throw unfollowedLoad(from, load, `cannot be resolved: ${target.why}`);
      if (target.kind !== 'code') continue;
      if (via === undefined && load.guard === undefined) always.push(target.path);
      else sometimes.push({ path: target.path, via: via ?? { file: from, load } });
    }
  };
  const called = new Set<string>();
  const reach = (from: string, reached: Reached, via: Via | undefined) => {
    follow(from, reached.loads, via);
    for (const use of reached.imports) {
      const target = resolveFrom(from, use.specifier, 'require');
      if (target.kind !== 'code' || called.has(`${target.path}#${use.name}`)) continue;
      called.add(`${target.path}#${use.name}`);
      const exported = modules(target.path);
      const runs = [exported.whenCalled(use.name), ...(use.name === 'default' ? [exported.whenCalled('')] : [])];
      for (const { computed } of runs) if (computed[0] !== undefined) throw computedLoad(computed[0], target.path);
      // A function an importer calls may run once, many times or never: its loads are a function's.
      for (const inner of runs)
        reach(
          target.path,
          { ...inner, loads: inner.loads.map((load) => ({ ...load, guard: load.guard ?? 'a function' })) },
          via,
        );
    }
  };
  const read = (path: string, via: Via | undefined) => {
    if (seen.has(path)) return;
    seen.add(path);
    const module = modules(path);
    for (const { call, method, guard } of module.calls) {
      if (NOT_REGISTRATIONS.has(method[2] ?? '')) continue;
      if (via !== undefined) throw registeredWhereItMayNotRun(via, module.scope.file, call, method);
      functions.push(readRegistration(call, method, guard, module.scope));
    }
    reach(path, module.atLoad, via);
  };
  while (always.length > 0) read(always.shift() as string, undefined);
  while (sometimes.length > 0) {
    const { path, via } = sometimes.shift() as { path: string; via: Via };
    read(path, via);
  }
  return functions;
}

/** A load that may not run (it has a guard), through which a module was reached. */
interface Via {
  readonly file: string;
  readonly load: Load;
}

/** Each file parsed once, a module it imports first (to know what it re-exports of the library). */
function moduleReader(
  typeModule: boolean,
  resolveFrom: (from: string, specifier: string, kind: 'require' | 'import') => Resolved,
): (path: string) => ParsedModule {
  const parsed = new Map<string, ParsedModule | 'parsing'>();
  const parseFile = (path: string): ParsedModule | undefined => {
    const known = parsed.get(path);
    if (known !== undefined) return known === 'parsing' ? undefined : known;
    parsed.set(path, 'parsing');
    const localExports = (specifier: string, kind: 'require' | 'import') => {
      const found = resolveFrom(path, specifier, kind);
      return found.kind === 'code' ? parseFile(found.path)?.exports : undefined;
    };
    // tsc builds a .ts file to CommonJS unless the package is an ES module one (.mts always ESM, .cts never).
    const commonjsOutput = /\.cts$/.test(path) || (/\.tsx?$/.test(path) && !typeModule);
    const module = parseModule(readUserFile(path, path).toString('utf8'), path, localExports, commonjsOutput);
    parsed.set(path, module);
    return module;
  };
  return (path) => parseFile(path) as ParsedModule;
}

function unfollowedLoad(file: string, load: Load, what: string): UserError {
  return new UserError(
    `${file}:${load.line}: loads '${load.specifier}', which ${what}, so the functions it may register cannot be ` +
      `read; load it by a relative path (or a package.json "imports" entry), ${WAYS_OUT}`,
    file,
    load.line,
  );
}

function registeredWhereItMayNotRun(
  via: Via,
  file: string,
  call: CallExpression,
  method: readonly string[],
): UserError {
  const line = call.loc?.start.line ?? 0;
  const { file: site, load } = via;
  return new UserError(
    `${site}:${load.line}: loads '${load.specifier}' inside ${load.guard}, and it registers functions (${file}:${line}: ` +
      `${method.slice(1).join('.')}), so whether they are registered cannot be read without running the app's code; ` +
      `load it at the top level of the module, ${WAYS_OUT}`,
    site,
    load.line,
  );
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

function readRegistration(
  call: CallExpression,
  method: readonly string[],
  guard: string | undefined,
  scope: Evaluation['scope'],
): IndexedFunction {
  const line = call.loc?.start.line ?? 0;
  const [nameNode, optionsNode] = call.arguments;
  const literalName = nameNode?.type === 'StringLiteral' ? nameNode.value : undefined;
  const context: Evaluation = {
    scope,
    functionName: literalName ?? '?',
    helper: helperCall,
    at: call.start ?? 0,
    call,
  };
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
