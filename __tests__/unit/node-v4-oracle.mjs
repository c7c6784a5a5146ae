// The official answer for a Node.js v4 app: build it (TypeScript through tsc's own transpiler), load the files its
// package.json `main` matches the way the worker does (require for CommonJS, import for ES modules), with the real
// @azure/functions and the stand-in core module on NODE_PATH recording what gets registered. Prints the records.
// Usage: NODE_PATH=__tests__/fixtures/functions-core node node-v4-oracle.mjs APP_DIR... (prints {APP_DIR: records})
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fastGlob from 'fast-glob';
import ts from 'typescript';

const { registered } = createRequire(import.meta.url)('@azure/functions-core');

function build(app) {
  const configPath = join(app, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) return;
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, app);
  const rootDir = config.options.rootDir ?? app;
  for (const file of config.fileNames) {
    const out = join(config.options.outDir, relative(rootDir, file)).replace(/\.([cm]?)ts$/, '.$1js');
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: config.options,
      fileName: file,
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

async function load(app) {
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  const requireFromApp = createRequire(join(app, 'package.json'));
  if (readdirSync(app).includes('tsconfig.json')) build(app);
  const isModule = (file) => file.endsWith('.mjs') || (manifest.type === 'module' && !file.endsWith('.cjs'));
  for (const file of fastGlob.sync(manifest.main, { cwd: app, absolute: true, onlyFiles: true }).sort()) {
    if (isModule(file)) await import(pathToFileURL(file).href);
    else requireFromApp(file);
  }
}

const records = {};
for (const app of process.argv.slice(2)) {
  registered.length = 0;
  await load(resolve(app));
  records[app] = [...registered];
}
process.stdout.write(JSON.stringify(records));
