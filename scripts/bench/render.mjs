// render500FunctionsMs (and 50, 5000): generated apps rendered in process, one fresh process per run.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPO, note } from './common.mjs';
import { stats } from './numbers.mjs';
import { check, run } from './processes.mjs';

const RENDER_SIZES = [50, 500, 5000];

/**
 * Where the bundle keeps the render path: dist/cli.js imports
 * resolveRenderCommand statically from a chunk and loads the render command's
 * chunk (renderApp) with import(). Chunk names carry hashes, so they are read from
 * cli.js. When the layout is not as expected, src/ is bundled into a temp
 * dir with esbuild instead.
 */
async function renderModules(cliFile, tmp) {
  const cli = fs.readFileSync(cliFile, 'utf8');
  const dist = path.dirname(cliFile);
  const shown = (file) => `dist/${path.relative(dist, file)}`;
  const renderChunk = /import\(\s*["'](\.\/chunks\/render-[^"']+)["']\s*\)/.exec(cli)?.[1];
  let resolve;
  for (const m of cli.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    for (const entry of m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [exported, local = exported] = entry.split(/\s+as\s+/);
      if (local === 'resolveRenderCommand')
        resolve = { url: pathToFileURL(path.join(dist, m[2])).href, name: exported };
    }
  }
  if (renderChunk && resolve) {
    const renderChunkUrl = pathToFileURL(path.join(dist, renderChunk)).href;
    const [p, r] = await Promise.all([import(renderChunkUrl), import(resolve.url)]);
    if (typeof p.renderApp === 'function' && typeof r[resolve.name] === 'function') {
      return {
        source: `${shown(path.join(dist, renderChunk))} (renderApp), ${shown(fileURLToPath(resolve.url))} (resolveRenderCommand)`,
        renderChunk: renderChunkUrl,
        resolve,
      };
    }
  }
  note('render: the bundle is not laid out as expected; bundling src/commands/render.ts with esbuild');
  const { build } = await import('esbuild');
  const entry = path.join(tmp, 'render-entry.ts');
  fs.writeFileSync(
    entry,
    `export { renderApp } from ${JSON.stringify(path.join(REPO, 'src', 'commands', 'render.ts'))};\nexport { resolveRenderCommand } from ${JSON.stringify(path.join(REPO, 'src', 'inputs', 'resolve.ts'))};\n`,
  );
  const outfile = path.join(tmp, 'render.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    target: 'node20',
    logLevel: 'warning',
    define: {
      AFD_VERSION: JSON.stringify(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version),
    },
    banner: {
      js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
    },
  });
  const url = pathToFileURL(outfile).href;
  return {
    source: 'src/commands/render.ts bundled by the bench (esbuild)',
    renderChunk: url,
    resolve: { url, name: 'resolveRenderCommand' },
  };
}

/** A generated app: HTTP, queue, blob and timer functions in turn, with a settings file. */
export function generateApp(dir, count) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'host.json'),
    JSON.stringify({
      version: '2.0',
      extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
    }),
  );
  fs.writeFileSync(
    path.join(dir, 'local.settings.json'),
    JSON.stringify({
      IsEncrypted: false,
      Values: { FUNCTIONS_WORKER_RUNTIME: 'node', AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
    }),
  );
  const kinds = [
    (i) => [
      {
        type: 'httpTrigger',
        direction: 'in',
        name: 'req',
        authLevel: 'function',
        methods: ['get', 'post'],
        route: `items${i}/{id}`,
      },
      { type: 'http', direction: 'out', name: 'res' },
    ],
    (i) => [
      {
        type: 'queueTrigger',
        direction: 'in',
        name: 'msg',
        queueName: `queue-${i}`,
        connection: 'AzureWebJobsStorage',
      },
      { type: 'queue', direction: 'out', name: 'next', queueName: `out-${i}`, connection: '' },
    ],
    (i) => [{ type: 'blobTrigger', direction: 'in', name: 'blob', path: `container-${i}/{name}`, connection: '' }],
    () => [{ type: 'timerTrigger', direction: 'in', name: 'timer', schedule: '0 */5 * * * *' }],
  ];
  for (let i = 0; i < count; i++) {
    const fn = path.join(dir, `Function${String(i).padStart(5, '0')}`);
    fs.mkdirSync(fn);
    fs.writeFileSync(path.join(fn, 'function.json'), JSON.stringify({ bindings: kinds[i % kinds.length](i) }, null, 2));
    fs.writeFileSync(path.join(fn, 'index.js'), 'module.exports = async function () {};\n');
  }
}

// Runs in a fresh process per sample: imports the render path (not timed),
// then times input resolution + discovery + render + YAML once, cold as the
// CLI runs it, then a few more times warm.
const RENDER_CHILD = `
const cfg = JSON.parse(process.env.AFD_BENCH_RENDER);
const t = performance.now();
const { renderApp } = await import(cfg.renderChunk);
const importMs = performance.now() - t;
const resolveRenderCommand = (await import(cfg.resolve.url))[cfg.resolve.name];
const platform = { info() {}, warning() {}, setSecret() {}, setOutput() {}, run: {} };
const once = async () => {
  const t0 = performance.now();
  const result = await renderApp(resolveRenderCommand(cfg.raw), platform);
  return { ms: performance.now() - t0, objects: result.objects.length, bytes: result.manifests.length };
};
const cold = await once();
const warm = [];
for (let i = 0; i < cfg.warm; i++) warm.push((await once()).ms);
process.stdout.write(JSON.stringify({ cold, warm, importMs }));
`;

export async function benchRender({ cli, runs, tmp }) {
  const modules = await renderModules(cli, tmp);
  note(`render: in process, from ${modules.source}; ${RENDER_SIZES.join('/')} functions, ${runs} fresh processes each`);
  const results = {};
  for (const size of RENDER_SIZES) {
    const dir = path.join(tmp, `app-${size}`);
    generateApp(dir, size);
    const raw = {
      'app-path': dir,
      name: 'generated',
      namespace: 'bench-render',
      image: '127.0.0.1:26500/generated@sha256:' + '0'.repeat(64),
      'settings-file': path.join(dir, 'local.settings.json'),
      'service-type': 'ClusterIP',
    };
    // Warm repeats only where they are cheap: the cold figure is the one that counts.
    const env = {
      ...process.env,
      AFD_BENCH_RENDER: JSON.stringify({
        renderChunk: modules.renderChunk,
        resolve: modules.resolve,
        raw,
        warm: size >= 5000 ? 1 : 3,
      }),
    };
    const cold = [];
    const warm = [];
    const imports = [];
    let shape;
    for (let i = 0; i < runs; i++) {
      const r = check(
        await run(process.execPath, ['--input-type=module', '-e', RENDER_CHILD], { env }),
        `render of ${size} functions`,
      );
      const out = JSON.parse(r.stdout);
      cold.push(out.cold.ms);
      warm.push(stats(out.warm).median);
      imports.push(out.importMs);
      shape = { objects: out.cold.objects, yamlBytes: out.cold.bytes };
    }
    results[size] = { cold: stats(cold), warm: stats(warm), importMs: stats(imports), ...shape };
    note(
      `render: ${size} functions: ${stats(cold).median.toFixed(1)} ms (cold), ${stats(warm).median.toFixed(1)} ms (warm)`,
    );
  }
  return { source: modules.source, sizes: results };
}
