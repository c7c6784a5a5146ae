// indexCodeFirst500Ms (and 100, 2000): the static indexers of code-first apps, Node.js v4 and Python v2, on generated apps,
// in process from the bundle's own lazily loaded chunks, one fresh process per run.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { note } from './common.mjs';
import { stats } from './numbers.mjs';
import { check, run } from './processes.mjs';

const SIZES = [100, 500, 2000];
const PER_FILE = 10;

/** The chunk of dist/chunks/ that exports `name` (chunk names carry hashes). */
function chunkExporting(dist, prefix, name) {
  const dir = path.join(dist, 'chunks');
  const file = fs
    .readdirSync(dir)
    .find(
      (entry) =>
        entry.startsWith(`${prefix}-`) &&
        new RegExp(`export \\{[^}]*\\b${name}\\b`).test(fs.readFileSync(path.join(dir, entry), 'utf8')),
    );
  if (file === undefined) throw new Error(`dist/chunks has no ${prefix}-*.js exporting ${name}: npm run build`);
  return { url: pathToFileURL(path.join(dir, file)).href, shown: `dist/chunks/${file}` };
}

const NODE_KINDS = [
  (i) =>
    `app.http('http${i}', { methods: ['GET', 'POST'], authLevel: 'function', route: 'items${i}/{id}', handler: async () => ({}) });`,
  (i) =>
    `app.storageQueue('queue${i}', { queueName: 'queue-${i}', connection: 'Storage', extraOutputs: [output.storageQueue({ queueName: 'out-${i}', connection: 'Storage' })], handler: async () => {} });`,
  (i) =>
    `app.storageBlob('blob${i}', { path: 'container-${i}/{name}', connection: 'Storage', handler: async () => {} });`,
  (i) => `app.timer('timer${i}', { schedule: '0 */5 * * * *', handler: async () => {} });`,
];

const PYTHON_KINDS = [
  (i) =>
    `@bp.route(route="items${i}/{id}", methods=["GET", "POST"], auth_level=func.AuthLevel.FUNCTION)\ndef http${i}(req: func.HttpRequest) -> func.HttpResponse:\n    return func.HttpResponse("ok")\n`,
  (i) =>
    `@bp.queue_trigger(arg_name="msg", queue_name="queue-${i}", connection="Storage")\n@bp.queue_output(arg_name="out", queue_name="out-${i}", connection="Storage")\ndef queue${i}(msg: func.QueueMessage, out: func.Out[str]) -> None:\n    out.set(msg.get_body().decode())\n`,
  (i) =>
    `@bp.blob_trigger(arg_name="blob", path="container-${i}/{name}", connection="Storage")\ndef blob${i}(blob: func.InputStream) -> None:\n    pass\n`,
  (i) =>
    `@bp.timer_trigger(arg_name="timer", schedule="0 */5 * * * *")\ndef timer${i}(timer: func.TimerRequest) -> None:\n    pass\n`,
];

/** A Node.js v4 app: package.json `main` a glob over files of ten registrations each, in turn of four kinds. */
export function nodeApp(dir, count) {
  fs.mkdirSync(path.join(dir, 'src', 'functions'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'host.json'), '{"version":"2.0"}');
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ main: 'src/functions/*.js', dependencies: { '@azure/functions': '^4.0.0' } }),
  );
  for (let file = 0; file < count / PER_FILE; file++) {
    const lines = ["const { app, output } = require('@azure/functions');"];
    for (let i = file * PER_FILE; i < (file + 1) * PER_FILE; i++) lines.push(NODE_KINDS[i % NODE_KINDS.length](i));
    fs.writeFileSync(path.join(dir, 'src', 'functions', `part${file}.js`), `${lines.join('\n')}\n`);
  }
}

/** A Python v2 app: function_app.py registering Blueprints of ten functions each, one module each, in a package. */
export function pythonApp(dir, count) {
  fs.mkdirSync(path.join(dir, 'parts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'host.json'), '{"version":"2.0"}');
  fs.writeFileSync(path.join(dir, 'parts', '__init__.py'), '');
  const script = ['import azure.functions as func', '', 'app = func.FunctionApp()'];
  for (let file = 0; file < count / PER_FILE; file++) {
    script.splice(1, 0, `from parts import part${file}`);
    script.push(`app.register_functions(part${file}.bp)`);
    const lines = ['import azure.functions as func', '', 'bp = func.Blueprint()', ''];
    for (let i = file * PER_FILE; i < (file + 1) * PER_FILE; i++) lines.push(PYTHON_KINDS[i % PYTHON_KINDS.length](i));
    fs.writeFileSync(path.join(dir, 'parts', `part${file}.py`), `${lines.join('\n')}\n`);
  }
  fs.writeFileSync(path.join(dir, 'function_app.py'), `${script.join('\n')}\n`);
}

// In a fresh process: import the indexer's chunk (not timed), then time one indexing cold, then a few warm.
const INDEX_CHILD = `
const cfg = JSON.parse(process.env.AFD_BENCH_INDEX);
const t = performance.now();
const indexer = (await import(cfg.url))[cfg.name];
const importMs = performance.now() - t;
const once = () => {
  const t0 = performance.now();
  const functions = indexer(cfg.root, ...cfg.args);
  return { ms: performance.now() - t0, functions: functions.length };
};
const cold = once();
const warm = [];
for (let i = 0; i < 3; i++) warm.push(once().ms);
process.stdout.write(JSON.stringify({ cold, warm, importMs }));
`;

const LANGUAGES = {
  node: { prefix: 'node-v4', name: 'indexNodeApp', make: nodeApp, args: [[]] },
  python: { prefix: 'python-v2', name: 'indexPythonApp', make: pythonApp, args: ['function_app.py'] },
};

export async function benchIndex({ cli, runs, tmp }) {
  const dist = path.dirname(cli);
  const results = {};
  for (const [language, { prefix, name, make, args }] of Object.entries(LANGUAGES)) {
    const chunk = chunkExporting(dist, prefix, name);
    note(`index: ${language}, ${name} from ${chunk.shown}; ${SIZES.join('/')} functions, ${runs} fresh processes each`);
    results[language] = { chunk: chunk.shown, sizes: {} };
    for (const size of SIZES) {
      const root = path.join(tmp, `index-${language}-${size}`);
      make(root, size);
      const env = { ...process.env, AFD_BENCH_INDEX: JSON.stringify({ url: chunk.url, name, root, args }) };
      const cold = [];
      const warm = [];
      const imports = [];
      for (let i = 0; i < runs; i++) {
        const r = check(
          await run(process.execPath, ['--input-type=module', '-e', INDEX_CHILD], { env }),
          `index ${language}`,
        );
        const out = JSON.parse(r.stdout);
        if (out.cold.functions !== size)
          throw new Error(`index ${language}: ${out.cold.functions} functions, not ${size}`);
        cold.push(out.cold.ms);
        warm.push(stats(out.warm).median);
        imports.push(out.importMs);
      }
      results[language].sizes[size] = { cold: stats(cold), warm: stats(warm), importMs: stats(imports) };
      note(`index: ${language}, ${size} functions: ${stats(cold).median.toFixed(1)} ms (cold)`);
    }
  }
  return results;
}
