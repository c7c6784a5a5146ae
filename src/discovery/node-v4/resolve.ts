import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { readUserFile } from '../../files.js';
import { isObject, readJsonFile } from '../json-file.js';
import { CODE } from './entry-files.js';

/** Where a load leads: an app file to read, a file that is not code, a package, or nowhere (and why). */
export type Resolved =
  | { readonly kind: 'code'; readonly path: string }
  | { readonly kind: 'other' }
  | { readonly kind: 'package' }
  | { readonly kind: 'alias'; readonly what: string }
  | { readonly kind: 'missing'; readonly why: string };

const EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts', '.cts', '.mts', '.tsx', '.jsx'];

/** The app's tsconfig.json path mappings (its `paths`, and `baseUrl`), with what each pattern maps to. */
export interface Aliases {
  readonly patterns: readonly { readonly pattern: string; readonly targets: readonly string[] }[];
  readonly baseUrl?: string;
}

/** How Node resolves `specifier`, loaded by `kind` from `from`, in the app at `root` (tsc's `.js` for `.ts` too). */
export function resolveSpecifier(
  from: string,
  specifier: string,
  kind: 'require' | 'import',
  root: string,
  aliases: Aliases,
): Resolved {
  if (specifier.startsWith('#')) return packageImport(from, specifier, kind, root);
  if (/^\.\.?(\/|$)/.test(specifier) || isAbsolute(specifier)) {
    // Joined, not resolved: every path stays the app-path the user gave, then the file within, as messages show it.
    const base = isAbsolute(specifier) ? specifier : join(dirname(from), specifier);
    return fileAt(base, true) ?? { kind: 'missing', why: 'no such file' };
  }
  return aliasOf(specifier, aliases) ?? { kind: 'package' };
}

/** A file as Node looks for it (`./x`, `./x.js`, `./x/index.js`, a folder's package.json `main`), or its source. */
function fileAt(base: string, search: boolean): Resolved | undefined {
  const candidates = [base, base.replace(/\.([cm]?)js$/, '.$1ts')];
  if (search) for (const ext of EXTENSIONS) candidates.push(`${base}${ext}`, join(base, `index${ext}`));
  const code = candidates.find((file) => CODE.test(file) && !file.endsWith('.d.ts') && isFile(file));
  if (code !== undefined) return { kind: 'code', path: code };
  if (isFile(base) || (search && ['.json', '.node'].some((ext) => isFile(`${base}${ext}`)))) return { kind: 'other' };
  const manifest = join(base, 'package.json');
  if (search && isFile(manifest)) {
    const main = readJsonFile(manifest, manifest);
    if (isObject(main) && typeof main.main === 'string') return fileAt(join(base, main.main), true);
  }
  return undefined;
}

/**
 * `#name` through the "imports" of the nearest package.json, as Node's PACKAGE_IMPORTS_RESOLVE does: an exact key,
 * else the `*` pattern with the longest prefix; a conditions object picks its first key Node's `require` (or `import`)
 * sets. Fallback arrays and the `module-sync` condition (set only by some Node versions) are refused.
 */
function packageImport(from: string, specifier: string, kind: 'require' | 'import', root: string): Resolved {
  const manifestPath = nearestManifest(dirname(from), root);
  const manifest = manifestPath === undefined ? undefined : readJsonFile(manifestPath, manifestPath);
  const imports = isObject(manifest) ? manifest.imports : undefined;
  if (manifestPath === undefined || !isObject(imports))
    return { kind: 'missing', why: 'no package.json "imports" maps it' };
  let target: unknown = specifier.includes('*') ? undefined : imports[specifier];
  let match = '';
  if (target === undefined) {
    const patterns = Object.keys(imports)
      .filter((key) => key.split('*').length === 2)
      .filter((key) => {
        const [prefix = '', suffix = ''] = key.split('*');
        return specifier.length >= key.length && specifier.startsWith(prefix) && specifier.endsWith(suffix);
      })
      .sort((a, b) => b.indexOf('*') - a.indexOf('*') || b.length - a.length);
    const key = patterns[0];
    if (key === undefined) return { kind: 'missing', why: 'no package.json "imports" entry matches it' };
    const [prefix = '', suffix = ''] = key.split('*');
    match = specifier.slice(prefix.length, specifier.length - suffix.length);
    target = imports[key];
  }
  const conditions = new Set(['node', kind, 'default']);
  for (;;) {
    if (typeof target === 'string') break;
    if (Array.isArray(target))
      return { kind: 'missing', why: 'its package.json "imports" entry is a list of fallbacks' };
    if (!isObject(target)) return { kind: 'missing', why: 'its package.json "imports" entry maps it to nothing' };
    const key = Object.keys(target).find((name) => conditions.has(name) || name === 'module-sync');
    if (key === undefined)
      return { kind: 'missing', why: `no condition of its package.json "imports" entry is ${kind}'s` };
    if (key === 'module-sync')
      return {
        kind: 'missing',
        why: 'its package.json "imports" entry names the module-sync condition, which depends on the Node version',
      };
    target = target[key];
  }
  const text = (target as string).replaceAll('*', match);
  if (!text.startsWith('./')) return { kind: 'package' };
  return fileAt(join(dirname(manifestPath), text), false) ?? { kind: 'missing', why: `${text} does not exist` };
}

function nearestManifest(dir: string, root: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (isFile(join(current, 'package.json'))) return join(current, 'package.json');
    if (resolve(current) === resolve(root) || dirname(current) === current) return undefined;
  }
}

/** A bare specifier that tsconfig.json maps to the app's own code (which Node itself would not find). */
function aliasOf(specifier: string, aliases: Aliases): Resolved | undefined {
  for (const { pattern, targets } of aliases.patterns) {
    const [prefix = '', suffix = ''] = pattern.split('*');
    const matches = pattern.includes('*')
      ? specifier.length >= pattern.length - 1 && specifier.startsWith(prefix) && specifier.endsWith(suffix)
      : specifier === pattern;
    if (!matches) continue;
    const rest = pattern.includes('*') ? specifier.slice(prefix.length, specifier.length - suffix.length) : '';
    if (targets.some((target) => fileAt(target.replaceAll('*', rest), true)?.kind === 'code'))
      return { kind: 'alias', what: `tsconfig.json "paths" ('${pattern}')` };
  }
  if (aliases.baseUrl !== undefined && fileAt(join(aliases.baseUrl, specifier), true)?.kind === 'code')
    return { kind: 'alias', what: 'tsconfig.json "baseUrl"' };
  return undefined;
}

/** tsconfig.json's `paths` and `baseUrl`, following `extends` to local files; paths relative to where each is set. */
export function tsconfigAliases(root: string): Aliases {
  const patterns: { pattern: string; targets: string[] }[] = [];
  let baseUrl: string | undefined;
  let pathsBase: string | undefined;
  let paths: Record<string, unknown> | undefined;
  const seen = new Set<string>();
  for (
    let config: string | undefined = join(root, 'tsconfig.json');
    config !== undefined && isFile(config) && !seen.has(config);
  ) {
    seen.add(config);
    const parsed: unknown = parseJsonc(readUserFile(config, config).toString('utf8'));
    const options = isObject(parsed) && isObject(parsed.compilerOptions) ? parsed.compilerOptions : {};
    if (baseUrl === undefined && typeof options.baseUrl === 'string') baseUrl = join(dirname(config), options.baseUrl);
    if (paths === undefined && isObject(options.paths)) {
      paths = options.paths;
      pathsBase = dirname(config);
    }
    const parent = isObject(parsed) ? parsed.extends : undefined;
    config = typeof parent === 'string' && parent.startsWith('.') ? join(dirname(config), parent) : undefined;
    if (config !== undefined && !config.endsWith('.json')) config = `${config}.json`;
  }
  for (const [pattern, targets] of Object.entries(paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const base = baseUrl ?? pathsBase ?? root;
    patterns.push({
      pattern,
      targets: targets.filter((target) => typeof target === 'string').map((target) => join(base, target)),
    });
  }
  return { patterns, baseUrl };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
