import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { indexNodeAppAtRuntime } from '../../src/discovery/node-v4/runtime.js';

/**
 * The official answer for a Node.js v4 app: its TypeScript built as tsc builds it (tsc's own transpiler), then the app
 * loaded by the real @azure/functions in its node_modules through the product's runtime indexer, whose stand-in for
 * the worker's core module records what the library registers.
 */
export async function officialIndex(app: string): Promise<{ name: string; bindings: Record<string, unknown>[] }[]> {
  buildTypeScript(app);
  const functions = await indexNodeAppAtRuntime(app, {}, []);
  return functions.map((fn) => ({ name: fn.name, bindings: [...fn.bindings] }));
}

/** What `tsc` writes for the app's tsconfig.json (none: nothing to build). */
export function buildTypeScript(app: string): void {
  const read = ts.readConfigFile(join(app, 'tsconfig.json'), ts.sys.readFile);
  if (read.error) return;
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, app);
  const rootDir = config.options.rootDir ?? app;
  for (const file of config.fileNames) {
    const out = join(config.options.outDir ?? app, relative(rootDir, file)).replace(/\.([cm]?)ts$/, '.$1js');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: config.options,
      fileName: file,
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}
