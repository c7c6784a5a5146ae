import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fastGlob from 'fast-glob';
import { parse as parseJsonc } from 'jsonc-parser';
import { readUserFile } from '../../files.js';
import { isObject, readJsonFile } from '../json-file.js';

/**
 * The files the worker loads for a Node.js v4 app: those package.json `main` matches. Shared by the static indexer
 * (which reads them, or their TypeScript sources) and the runtime indexer (which loads them); neither parser nor app
 * code lives here.
 */

export const CODE = /\.(c|m)?(j|t)sx?$/;

/** What package.json says of how the worker loads the app. */
export interface AppManifest {
  /** package.json, as the user would name it. */
  readonly path: string;
  readonly main: string;
  /** `"type": "module"` makes .js files ES modules. */
  readonly type?: string;
}

/** package.json's `main` and `type`; none when there is no package.json or no `main` (the worker loads nothing). */
export function readAppManifest(root: string): AppManifest | undefined {
  const path = join(root, 'package.json');
  if (!existsSync(path)) return undefined;
  const manifest = readJsonFile(path, path);
  if (!isObject(manifest) || typeof manifest.main !== 'string' || manifest.main.trim() === '') return undefined;
  return { path, main: manifest.main.trim(), type: typeof manifest.type === 'string' ? manifest.type : undefined };
}

/** The code files `main` matches (a glob; braces allowed), sorted. */
export function mainFiles(root: string, main: string): string[] {
  return fastGlob
    .sync(main, { cwd: root, onlyFiles: true, dot: false })
    .filter((file) => CODE.test(file))
    .map((file) => join(root, file))
    .sort();
}

/** `dist/src/functions/*.js` with outDir `dist` and rootDir `.` → `src/functions/*.ts`, as tsc would have built it. */
export function typescriptSources(root: string, main: string): string[] {
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
  return mainFiles(root, source);
}

/**
 * The worker runs the build output, so it is what counts; sources edited since mean an image that may lack them: the
 * warning that says so, if they were.
 */
export function staleBuildWarning(
  built: readonly string[],
  sources: readonly string[],
  shownPackage: string,
  main: string,
): string | undefined {
  const oldest = Math.min(...built.map(modified));
  const newer = sources.find((source) => modified(source) > oldest);
  if (newer === undefined) return undefined;
  return (
    `${shownPackage}: "main" ('${main}') is read from the build output, but ${newer} ` +
    `is newer than it: functions added or changed since the last build are not deployed; build the app ` +
    `before deploying`
  );
}

function modified(path: string): number {
  return statSync(path).mtimeMs;
}
