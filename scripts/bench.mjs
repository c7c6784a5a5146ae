#!/usr/bin/env node
// npm run bench [-- --runs N] [-- --json] [-- --only cold,render,cluster]
//
// Benchmarks of the bundled CLI (dist/) on the local stack (stack/cluster.mjs),
// printed as figures with their goals; docs/benchmarks.md says what each one
// measures and how. Every figure is the median of --runs runs (default 5;
// min and max shown too), and compared figures are taken side by side in the
// same run: our deploy and kubectl's apply + rollout status alternate, each
// in its own namespace, each rolling out a changed pod template.
//
// Only bench-* namespaces are touched, and they are deleted at the end. The
// cluster is started when it is not up (`cluster up` starts only what is
// missing) and never stopped. kubectl, needed only here, is built once from
// the k8s.io/kubernetes module the stack builds from, into
// ~/.cache/aks-functions-deploy/kubectl-<version>/.
//
// With --json the last line of stdout is one JSON object with every figure.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { readEnv } from '../stack/cluster.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bundle the bench runs: a snapshot of dist/ taken at the start (see snapshotDist).
let CLI = path.join(REPO, 'dist', 'cli.js');
const CACHE = path.resolve(process.env.AFD_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'aks-functions-deploy'));
const SHARED = path.resolve(process.env.AFD_SHARED_DIR ?? path.join(REPO, '..', 'shared'));
const APP = 'bench';
const REPOSITORY = 'bench-app';
const NS_OURS = 'bench-ours';
const NS_KUBECTL = 'bench-kubectl';
const QUEUE = 'bench-orders';
const RENDER_SIZES = [50, 500, 5000];
const GROUPS = ['cold', 'render', 'cluster'];

const GOALS = {
  k8sPhaseRatioVsKubectl: { max: 0.6 },
  coldStartMs: { max: 400 },
  render500FunctionsMs: { max: 300 },
  noopRedeploySeconds: { max: 5 },
  pipelineOverlapRatio: { max: 1.15 },
  detectionLatencyMs: { max: 250 },
};

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  process.stdout.write(`usage: npm run bench [-- --runs N] [-- --json] [-- --only ${GROUPS.join(',')}]\n`);
  process.exit(0);
}
const RUNS = Number(opts.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer, not '${opts.runs}'`);
const only = new Set(opts.only ? opts.only.split(',').map((s) => s.trim()) : GROUPS);
for (const g of only)
  if (!GROUPS.includes(g)) throw new Error(`--only: unknown group '${g}' (groups: ${GROUPS.join(', ')})`);

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)}s`;
const note = (message) => process.stderr.write(`[bench ${elapsed()}] ${message}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- numbers

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), samples };
}

const round = (x, digits) => (x === undefined || Number.isNaN(x) ? undefined : Number(x.toFixed(digits)));

/** stats() with every number rounded, for the JSON. */
function rounded(s, digits) {
  return {
    median: round(s.median, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
    samples: s.samples.map((x) => round(x, digits)),
  };
}

// ---------------------------------------------------------------- processes

const gnuTime =
  fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']).status === 0;

/**
 * Runs a program; stdout kept whole, stderr as lines each stamped with the
 * moment it arrived here (performance.now()). `rss`: the peak resident set of
 * the process and the CPU time it used, by GNU time (the kernel's rusage from
 * wait4), else (Node programs only) by a preloaded module reporting
 * process.resourceUsage() at exit.
 */
function run(command, args, { env = process.env, rss = false, input } = {}) {
  let file = command;
  let argv = args;
  let rssFile;
  if (rss) {
    rssFile = path.join(os.tmpdir(), `afd-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    if (gnuTime) {
      argv = ['-f', '%M %U %S', '-o', rssFile, command, ...args];
      file = '/usr/bin/time';
    } else {
      const preload = `import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, [u.maxRSS, u.userCPUTime / 1e6, u.systemCPUTime / 1e6].join(' ')); });`;
      argv = ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, ...args];
    }
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, {
      cwd: REPO,
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const lines = [];
    let partial = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => {
      const t = performance.now();
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop();
      for (const text of parts) lines.push({ t, text });
    });
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => {
      const t1 = performance.now();
      if (partial) lines.push({ t: t1, text: partial });
      let rssKiB;
      let cpuSeconds;
      if (rssFile) {
        try {
          const [maxrss, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
          rssKiB = maxrss;
          cpuSeconds = user + sys;
        } catch {
          rssKiB = undefined;
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({
        code,
        t0,
        t1,
        wallMs: t1 - t0,
        stdout: Buffer.concat(out).toString('utf8'),
        lines,
        rssKiB,
        cpuSeconds,
      });
    });
  });
}

function check(result, what) {
  if (result.code !== 0) {
    const tail = result.lines
      .slice(-25)
      .map((l) => `    ${l.text}`)
      .join('\n');
    throw new Error(`${what} failed (exit ${result.code}):\n${tail}`);
  }
  return result;
}

// ---------------------------------------------------------------- the bundle

/** Every relative import of every file in `dist` resolves: not caught halfway through a rebuild. */
function completeBundle(dist) {
  if (!fs.existsSync(path.join(dist, 'cli.js'))) return false;
  for (const entry of fs.readdirSync(dist, { recursive: true })) {
    const file = path.join(dist, entry);
    if (!file.endsWith('.js')) continue;
    const text = fs.readFileSync(file, 'utf8');
    // esbuild's chunk names (chunks/[name]-[hash]); other './x' strings in the bundle are its dependencies' comments.
    for (const m of text.matchAll(
      /(?:from\s*|import\s*\(\s*|import\s+)["'](\.{1,2}\/(?:chunks\/)?[\w-]+-[A-Z0-9]{8}\.js)["']/g,
    )) {
      if (!fs.existsSync(path.resolve(path.dirname(file), m[1]))) return false;
    }
  }
  return true;
}

/**
 * dist/ is rebuilt whenever src/ changes: the bench runs a copy taken at its
 * start (with a package.json saying ESM, as the repository's does), so that
 * every run measures one and the same bundle. The bundle needs no
 * node_modules, so it runs from anywhere.
 */
async function snapshotDist(tmp) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const dir = path.join(tmp, `bundle-${attempt}`);
    try {
      fs.cpSync(path.join(REPO, 'dist'), path.join(dir, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      if (completeBundle(path.join(dir, 'dist'))) return path.join(dir, 'dist', 'cli.js');
    } catch {
      // dist/ changed while it was copied
    }
    fs.rmSync(dir, { recursive: true, force: true });
    note('dist/ is being rebuilt; waiting for a complete bundle');
    await sleep(3000);
  }
  throw new Error('dist/ is incomplete (missing chunks): npm run build');
}

// ---------------------------------------------------------------- cold start

async function benchColdStart() {
  note(`cold start: node dist/cli.js --version, ${RUNS} runs (and node alone, interleaved)`);
  const once = async (args) => check(await run(process.execPath, args), `node ${args.join(' ')}`).wallMs;
  await once([CLI, '--version']); // file cache warm, as on a runner after checkout
  const cli = [];
  const bare = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await once(['-e', '0']));
    cli.push(await once([CLI, '--version']));
  }
  return { cli: stats(cli), nodeAlone: stats(bare) };
}

// ---------------------------------------------------------------- render

/**
 * Where the bundle keeps the render path: dist/cli.js imports
 * resolveRenderCommand statically from a chunk and loads the pipeline chunk
 * (renderApp) with import(). Chunk names carry hashes, so they are read from
 * cli.js. When the layout is not as expected, src/ is bundled into a temp
 * dir with esbuild instead.
 */
async function renderModules(tmp) {
  const cli = fs.readFileSync(CLI, 'utf8');
  const dist = path.dirname(CLI);
  const shown = (file) => `dist/${path.relative(dist, file)}`;
  const pipeline = /import\(\s*["'](\.\/chunks\/pipeline-[^"']+)["']\s*\)/.exec(cli)?.[1];
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
  if (pipeline && resolve) {
    const pipelineUrl = pathToFileURL(path.join(dist, pipeline)).href;
    const [p, r] = await Promise.all([import(pipelineUrl), import(resolve.url)]);
    if (typeof p.renderApp === 'function' && typeof r[resolve.name] === 'function') {
      return {
        source: `${shown(path.join(dist, pipeline))} (renderApp), ${shown(fileURLToPath(resolve.url))} (resolveRenderCommand)`,
        pipeline: pipelineUrl,
        resolve,
      };
    }
  }
  note('render: the bundle is not laid out as expected; bundling src/pipeline.ts with esbuild');
  const { build } = await import('esbuild');
  const entry = path.join(tmp, 'render-entry.ts');
  fs.writeFileSync(
    entry,
    `export { renderApp } from ${JSON.stringify(path.join(REPO, 'src', 'pipeline.ts'))};\nexport { resolveRenderCommand } from ${JSON.stringify(path.join(REPO, 'src', 'inputs', 'resolve.ts'))};\n`,
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
    source: 'src/pipeline.ts bundled by the bench (esbuild)',
    pipeline: url,
    resolve: { url, name: 'resolveRenderCommand' },
  };
}

/** A generated app: HTTP, queue, blob and timer functions in turn, with a settings file. */
function generateApp(dir, count) {
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
const { renderApp } = await import(cfg.pipeline);
const importMs = performance.now() - t;
const resolveRenderCommand = (await import(cfg.resolve.url))[cfg.resolve.name];
const platform = { info() {}, warning() {}, setSecret() {}, setOutput() {}, run: {} };
const once = () => {
  const t0 = performance.now();
  const result = renderApp(resolveRenderCommand(cfg.raw), platform);
  return { ms: performance.now() - t0, objects: result.objects.length, bytes: result.manifests.length };
};
const cold = once();
const warm = [];
for (let i = 0; i < cfg.warm; i++) warm.push(once().ms);
process.stdout.write(JSON.stringify({ cold, warm, importMs }));
`;

async function benchRender(tmp) {
  const modules = await renderModules(tmp);
  note(`render: in process, from ${modules.source}; ${RENDER_SIZES.join('/')} functions, ${RUNS} fresh processes each`);
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
        pipeline: modules.pipeline,
        resolve: modules.resolve,
        raw,
        warm: size >= 5000 ? 1 : 3,
      }),
    };
    const cold = [];
    const warm = [];
    const imports = [];
    let shape;
    for (let i = 0; i < RUNS; i++) {
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

// ---------------------------------------------------------------- cluster

function ensureCluster() {
  const envFile = path.join(REPO, '.cluster', 'env');
  const status = spawnSync(process.execPath, ['stack/cluster.mjs', 'status'], { cwd: REPO, encoding: 'utf8' });
  if (status.status !== 0 || !fs.existsSync(envFile)) {
    note('the local cluster is not (all) up: node stack/cluster.mjs up (starts only what is missing)');
    const up = spawnSync(process.execPath, ['stack/cluster.mjs', 'up'], { cwd: REPO, stdio: ['ignore', 2, 2] });
    if (up.status !== 0) throw new Error('node stack/cluster.mjs up failed');
  }
  return readEnv(envFile);
}

/** The Kubernetes version the stack builds, from its go.mod. */
function kubernetesVersion() {
  const gomod = fs.readFileSync(path.join(REPO, 'stack', 'go', 'kubernetes', 'go.mod'), 'utf8');
  const m = /^\s*(?:require\s+)?k8s\.io\/kubernetes\s+(v\S+)/m.exec(gomod);
  if (!m) throw new Error('stack/go/kubernetes/go.mod does not require k8s.io/kubernetes');
  return m[1];
}

/**
 * kubectl at the stack's Kubernetes version, built once from the same module
 * (its go.mod and go.sum, with kubectl's command added) into the cache.
 */
async function ensureKubectl() {
  const version = kubernetesVersion();
  const dir = path.join(CACHE, `kubectl-${version}`);
  const binary = path.join(dir, 'kubectl');
  if (fs.existsSync(binary)) return binary;
  note(`building kubectl ${version} from k8s.io/kubernetes (once; a few minutes) -> ${dir}`);
  const mod = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-bench-kubectl-'));
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    for (const f of ['go.mod', 'go.sum'])
      fs.copyFileSync(path.join(REPO, 'stack', 'go', 'kubernetes', f), path.join(mod, f));
    fs.writeFileSync(
      path.join(mod, 'tools.go'),
      '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kubectl"\n',
    );
    const [major, minor] = version.slice(1).split('.');
    const ldflags = ['-s', '-w'];
    for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
      ldflags.push(
        `-X ${pkg}.gitVersion=${version}`,
        `-X ${pkg}.gitMajor=${major}`,
        `-X ${pkg}.gitMinor=${minor}`,
        `-X ${pkg}.gitTreeState=clean`,
        `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
      );
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const code = await new Promise((resolve, reject) => {
      const child = spawn(
        'go',
        [
          'build',
          '-trimpath',
          '-ldflags',
          ldflags.join(' '),
          '-o',
          path.join(tmp, 'kubectl'),
          'k8s.io/kubernetes/cmd/kubectl',
        ],
        {
          cwd: mod,
          env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
          stdio: ['ignore', 2, 2],
        },
      );
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`go build of kubectl failed (exit ${code})`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(mod, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return binary;
}

/** KEDA's install manifest from the shared fixtures, served locally: used only if KEDA is missing. */
async function serveKedaManifest() {
  const manifest = path.join(SHARED, 'fixtures', 'keda', 'keda-2.20.2.yaml');
  if (!fs.existsSync(manifest)) return { args: [], close: () => undefined };
  const server = http.createServer((_, response) => response.end(fs.readFileSync(manifest)));
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    args: ['--keda-manifest-url', `http://127.0.0.1:${server.address().port}/keda-2.20.2.yaml`],
    close: () => server.close(),
  };
}

/** examples/orders (one HTTP function, one queue-triggered one) on an empty base image, on its own queue. */
function prepareApp(tmp) {
  const dir = path.join(tmp, 'app');
  fs.cpSync(path.join(REPO, 'examples', 'orders'), dir, { recursive: true });
  // kwok runs no containers: the image carries the app's files on an empty base, as in the demo.
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');
  fs.rmSync(path.join(dir, 'local.settings.json'), { force: true });
  const trigger = path.join(dir, 'ProcessOrder', 'function.json');
  const fn = JSON.parse(fs.readFileSync(trigger, 'utf8'));
  fn.bindings[0].queueName = QUEUE;
  fs.writeFileSync(trigger, JSON.stringify(fn, null, 2));
  return dir;
}

function rolledOut(d) {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    updated >= want &&
    (s.replicas ?? 0) <= updated &&
    (s.availableReplicas ?? 0) >= updated
  );
}

/**
 * An independent watch on the namespace's Deployments: for each of `names`,
 * the moment (performance.now()) this process saw its new version (a
 * generation after the one it had when the watch started) fully rolled out —
 * the state `kubectl rollout status` accepts.
 */
async function watchRollout(kc, namespace, names) {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const list = await apps.listNamespacedDeployment({ namespace });
  const before = new Map(list.items.map((d) => [d.metadata.name, d.metadata.generation ?? 0]));
  const done = new Map();
  let stopped = false;
  const errors = [];
  const controller = await new k8s.Watch(kc).watch(
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    { resourceVersion: list.metadata.resourceVersion },
    (_type, d) => {
      const t = performance.now();
      const name = d?.metadata?.name;
      if (!names.includes(name) || done.has(name)) return;
      if ((d.metadata.generation ?? 0) > (before.get(name) ?? 0) && rolledOut(d)) done.set(name, t);
    },
    (error) => {
      if (error && !stopped) errors.push(error);
    },
  );
  return {
    stop() {
      stopped = true;
      controller.abort();
    },
    /** When the last of `names` was seen rolled out, or undefined. */
    last: () => (names.every((n) => done.has(n)) ? Math.max(...names.map((n) => done.get(n))) : undefined),
    errors,
  };
}

function parseTimings(result) {
  const line = result.lines.find((l) => l.text.startsWith('timings: '));
  if (!line) return undefined;
  try {
    return JSON.parse(line.text.slice('timings: '.length));
  } catch {
    return undefined;
  }
}

const lineAt = (result, re) => result.lines.find((l) => re.test(l.text));

/** Deletes the namespaces and waits until they are gone; rides out an apiserver restart. */
async function deleteNamespaces(kc, names) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let left = names;
  let lastError;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(1000)) {
    const still = [];
    for (const name of left) {
      try {
        const ns = await core.readNamespace({ name });
        if (!ns.metadata?.deletionTimestamp) await core.deleteNamespace({ name });
        still.push(name);
      } catch (error) {
        if (error.code !== 404) {
          lastError = error;
          still.push(name);
        }
      }
    }
    left = still;
    if (left.length === 0) return;
  }
  note(`warning: namespaces ${left.join(', ')} not gone after 3 minutes${lastError ? ` (${lastError.message})` : ''}`);
}

async function benchCluster(tmp) {
  const env = ensureCluster();
  const kubectl = await ensureKubectl();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(env.KUBECONFIG);
  const cliEnv = { ...process.env, DOCKER_HOST: env.DOCKER_HOST };
  const app = prepareApp(tmp);
  const keda = await serveKedaManifest();
  const queues = QueueServiceClient.fromConnectionString(env.AZURE_STORAGE_CONNECTION_STRING);
  const queue = queues.getQueueClient(QUEUE);
  await queue.createIfNotExists();
  const kubectlCache = path.join(tmp, 'kube-cache');
  const kubectlArgs = ['--kubeconfig', env.KUBECONFIG, '--cache-dir', kubectlCache];
  const deployments = [APP, `${APP}-http`];
  const settings = (id) => [
    '--app-settings',
    `AzureWebJobsStorage=${env.AZURE_STORAGE_CONNECTION_STRING}`,
    '--app-settings',
    `BENCH_RUN=${id}`,
  ];
  // What both sides render from; the deploy adds its cluster and timeout.
  const common = ['--app-path', app, '--name', APP, '--service-type', 'ClusterIP', '--polling-interval', '5s'];
  const build = [
    '--registry',
    env.REGISTRY,
    '--repository',
    REPOSITORY,
    '--registry-username',
    env.REGISTRY_USERNAME,
    '--registry-password',
    env.REGISTRY_PASSWORD,
  ];
  const deployArgs = ({ namespace, image, id }) => [
    CLI,
    'deploy',
    ...common,
    '--timeout',
    '3m',
    '--namespace',
    namespace,
    ...(image ? ['--image', image] : build),
    '--kubeconfig',
    env.KUBECONFIG,
    ...settings(id),
    ...keda.args,
  ];

  /** One deploy by the CLI, with the independent rollout watch; every figure it yields. */
  const deploy = async (what, args, { watch = true, rss = true } = {}) => {
    const watcher = watch ? await watchRollout(kc, NS_OURS, deployments) : undefined;
    let result;
    try {
      result = check(await run(process.execPath, args, { env: cliEnv, rss }), what);
    } finally {
      // A report of health before the rollout really was complete would show
      // as a negative latency: give the watch a moment to see it.
      for (let i = 0; watcher && watcher.last() === undefined && i < 30; i++) await sleep(100);
      watcher?.stop();
    }
    const timings = parseTimings(result);
    const healthy = lineAt(result, /^rollout healthy in /);
    const last = watcher?.last();
    const image = lineAt(result, /^image: /)?.text.slice('image: '.length);
    return {
      wallMs: result.wallMs,
      timings,
      rssKiB: result.rssKiB,
      cpuSeconds: result.cpuSeconds,
      image,
      detectionMs: healthy && last !== undefined ? healthy.t - last : undefined,
      buildSkipped: Boolean(lineAt(result, /build skipped/)),
      nothingChanged: Boolean(lineAt(result, /^nothing changed/)),
      kedaLine: lineAt(result, /KEDA/)?.text,
      // The independent watch saw every Deployment roll out a new generation.
      rolled: last !== undefined,
      lines: result.lines,
    };
  };

  // The cluster is shared (the integration tests restart the apiserver, for
  // one): a run that fails is noted, with its reason, and made again, up to
  // twice; every retry is in the report.
  const failures = [];
  const retrying = async (what, work) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(attempt);
      } catch (error) {
        const reason = error.message
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
          .slice(-4)
          .join(' | ');
        failures.push({ run: what, attempt, reason });
        if (attempt >= 3) throw error;
        note(`${what} failed, retrying in 5s: ${reason}`);
        await sleep(5000);
      }
    }
  };

  await deleteNamespaces(kc, [NS_OURS, NS_KUBECTL]);
  const out = { failures };
  try {
    // ---- full deploys: docker build + push, KEDA present
    const id = Date.now().toString(36);
    const buildInput = path.join(app, 'bench-build-input.txt');
    note('warm-up: first full deploy (namespace created, KEDA installed if missing; not counted)');
    fs.writeFileSync(buildInput, `${id}-warmup\n`);
    const warm = await retrying('warm-up deploy', () =>
      deploy('warm-up deploy', deployArgs({ namespace: NS_OURS, id: 'pipeline' }), { watch: false }),
    );
    note(`warm-up done in ${(warm.wallMs / 1000).toFixed(1)}s (${warm.kedaLine ?? 'no KEDA line'})`);
    if (!warm.timings) note('warning: the deploy printed no `timings:` line: stage figures cannot be computed');

    const pipeline = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await retrying(`full deploy ${i + 1}`, (attempt) => {
        // New build inputs on every attempt: each one really builds and pushes.
        fs.writeFileSync(buildInput, `${id}-${i}-${attempt}\n`);
        return deploy(`full deploy ${i + 1}`, deployArgs({ namespace: NS_OURS, id: 'pipeline' }));
      });
      pipeline.push(r);
      note(
        `full deploy ${i + 1}/${RUNS}: ${(r.wallMs / 1000).toFixed(2)}s ${JSON.stringify(r.timings)} detection ${r.detectionMs?.toFixed(0)} ms`,
      );
    }
    out.pipeline = pipeline;

    // ---- identical redeploys: the same inputs again
    const noop = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await retrying(`no-op redeploy ${i + 1}`, () =>
        deploy(`no-op redeploy ${i + 1}`, deployArgs({ namespace: NS_OURS, id: 'pipeline' }), {
          watch: false,
          rss: false,
        }),
      );
      noop.push(r);
      note(
        `no-op redeploy ${i + 1}/${RUNS}: ${(r.wallMs / 1000).toFixed(2)}s (build skipped: ${r.buildSkipped}, nothing changed: ${r.nothingChanged}) ${JSON.stringify(r.timings)}`,
      );
    }
    out.noop = noop;

    // ---- the Kubernetes phase, ours and kubectl's side by side
    const image = pipeline.at(-1).image;
    if (!image?.includes('@sha256:')) throw new Error(`the full deploy reported no image by digest (image: ${image})`);
    const manifests = path.join(tmp, 'kubectl-manifests.yaml');
    const kubectlOnce = async (runId) => {
      const rendered = check(
        await run(
          process.execPath,
          [CLI, 'render', ...common, '--namespace', NS_KUBECTL, '--image', image, ...settings(runId), '--show-secrets'],
          { env: cliEnv },
        ),
        'render for kubectl',
      );
      fs.writeFileSync(manifests, rendered.stdout, { mode: 0o600 });
      const names = yaml
        .loadAll(rendered.stdout)
        .filter((o) => o?.kind === 'Deployment')
        .map((o) => o.metadata.name);
      const t0 = performance.now();
      const applied = check(
        await run(kubectl, [...kubectlArgs, 'apply', '-f', manifests], { rss: gnuTime }),
        'kubectl apply',
      );
      const t1 = performance.now();
      const rolled = names.every(
        (name) =>
          applied.stdout.includes(`deployment.apps/${name} configured`) ||
          applied.stdout.includes(`deployment.apps/${name} created`),
      );
      // As Azure/k8s-deploy does: one `rollout status` per Deployment, one after another.
      for (const name of names)
        check(
          await run(kubectl, [
            ...kubectlArgs,
            'rollout',
            'status',
            `deployment/${name}`,
            '-n',
            NS_KUBECTL,
            '--timeout=3m',
          ]),
          `kubectl rollout status ${name}`,
        );
      const t2 = performance.now();
      return { applyMs: t1 - t0, rolloutMs: t2 - t1, totalMs: t2 - t0, rolled, applyCpuSeconds: applied.cpuSeconds };
    };
    const oursOnce = (runId) => deploy(`deploy --image ${runId}`, deployArgs({ namespace: NS_OURS, image, id: runId }));
    note('warm-up: kubectl creates its copy, ours switches to --image (not counted)');
    const kubectlWarm = await retrying('kubectl warm-up', () => kubectlOnce(`${id}-warmup`));
    const oursWarm = await retrying('deploy --image warm-up', () => oursOnce(`${id}-warmup`));
    note(
      `warm-ups done: kubectl ${(kubectlWarm.totalMs / 1000).toFixed(1)}s, ours ${(oursWarm.wallMs / 1000).toFixed(1)}s ${JSON.stringify(oursWarm.timings)}`,
    );
    const pairs = [];
    for (let i = 0; i < RUNS; i++) {
      // A pair is made again as a whole, with new settings, so both sides roll again.
      const pair = await retrying(`k8s phase pair ${i + 1}`, async (attempt) => {
        const runId = `${id}-${i}-${attempt}`;
        // Alternate who goes first, so neither side always follows the other.
        if (i % 2 === 0) {
          const ours = await oursOnce(runId);
          return { ours, kubectl: await kubectlOnce(runId) };
        }
        const kubectl = await kubectlOnce(runId);
        return { kubectl, ours: await oursOnce(runId) };
      });
      const t = pair.ours.timings;
      pair.oursMs = t ? (t.apply + t.rollout) * 1000 : undefined;
      pairs.push(pair);
      note(
        `k8s phase ${i + 1}/${RUNS}: ours apply+wait ${pair.oursMs?.toFixed(0)} ms ${JSON.stringify(t)}, kubectl apply+rollout status ${pair.kubectl.totalMs.toFixed(0)} ms (apply ${pair.kubectl.applyMs.toFixed(0)}), detection ${pair.ours.detectionMs?.toFixed(0)} ms`,
      );
    }
    out.pairs = pairs;
  } finally {
    keda.close();
    note('cleaning up: bench namespaces, queue, images');
    await deleteNamespaces(kc, [NS_OURS, NS_KUBECTL]).catch((e) => note(`warning: cleanup: ${e.message}`));
    await queue.deleteIfExists().catch(() => undefined);
    const images = spawnSync(
      'docker',
      ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', `${env.REGISTRY}/${REPOSITORY}`],
      { env: cliEnv, encoding: 'utf8' },
    );
    const tags = (images.stdout ?? '').split('\n').filter(Boolean);
    if (tags.length) spawnSync('docker', ['image', 'rm', ...tags], { env: cliEnv, stdio: 'ignore' });
  }
  return {
    ...out,
    kubectlVersion: kubernetesVersion(),
    peakRssMethod: gnuTime ? 'GNU time (ru_maxrss from wait4)' : 'process.resourceUsage().maxRSS at exit (preloaded)',
  };
}

// ---------------------------------------------------------------- report

const stageNames = ['image', 'cluster', 'apply', 'rollout', 'total'];

function stageStats(runs) {
  const s = {};
  for (const name of stageNames) {
    const values = runs.map((r) => r.timings?.[name]).filter((x) => typeof x === 'number');
    if (values.length) s[name] = rounded(stats(values), 3);
  }
  return s;
}

function summarize(results) {
  const figures = {};
  const details = {};
  if (results.cold) {
    figures.coldStartMs = results.cold.cli;
    details.coldStart = {
      command: 'node dist/cli.js --version',
      ms: rounded(results.cold.cli, 1),
      nodeAloneMs: rounded(results.cold.nodeAlone, 1),
    };
  }
  if (results.render) {
    const sizes = results.render.sizes;
    figures.render500FunctionsMs = sizes[500].cold;
    const perFunction = Object.fromEntries(
      Object.entries(sizes).map(([n, s]) => [n, round(s.cold.median / Number(n), 4)]),
    );
    details.render = {
      source: results.render.source,
      // Loading the pipeline chunk in a fresh process (not part of the render figure; the CLI pays it on every deploy and render).
      importPipelineMs: rounded(sizes[500].importMs, 0),
      coldMs: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, rounded(s.cold, 1)])),
      warmMs: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, rounded(s.warm, 1)])),
      objects: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, s.objects])),
      yamlBytes: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, s.yamlBytes])),
      coldMsPerFunction: perFunction,
      // 1.0 = exactly linear from 500 to 5000 functions.
      growth500to5000: round(sizes[5000].cold.median / sizes[500].cold.median / 10, 2),
      warmGrowth500to5000: round(sizes[5000].warm.median / sizes[500].warm.median / 10, 2),
    };
  }
  if (results.cluster) {
    const { pipeline, noop, pairs, failures } = results.cluster;
    details.failedAndRetried = failures;
    const withTimings = pipeline.filter((r) => r.timings);
    if (withTimings.length) {
      const ratio = (r) => {
        const t = r.timings;
        return t.total / (Math.max(t.image, t.cluster) + t.apply + t.rollout);
      };
      figures.pipelineOverlapRatio = stats(withTimings.map(ratio));
      details.pipeline = {
        ratio: rounded(figures.pipelineOverlapRatio, 3),
        // The same with the whole CLI process as the numerator.
        processRatio: rounded(
          stats(
            withTimings.map(
              (r) =>
                r.wallMs / 1000 / (Math.max(r.timings.image, r.timings.cluster) + r.timings.apply + r.timings.rollout),
            ),
          ),
          3,
        ),
        stagesSeconds: stageStats(pipeline),
        outsideStagesSeconds: rounded(
          stats(
            withTimings.map(
              (r) =>
                r.timings.total - Math.max(r.timings.image, r.timings.cluster) - r.timings.apply - r.timings.rollout,
            ),
          ),
          3,
        ),
        processSeconds: rounded(stats(pipeline.map((r) => r.wallMs / 1000)), 3),
        // Every measured deploy found KEDA already there, and rolled both Deployments.
        kedaPresent: pipeline.every((r) => /is present/.test(r.kedaLine ?? '')),
        rolled: pipeline.map((r) => r.rolled),
      };
    }
    figures.noopRedeploySeconds = stats(noop.map((r) => r.wallMs / 1000));
    details.noop = {
      seconds: rounded(figures.noopRedeploySeconds, 3),
      buildSkipped: noop.map((r) => r.buildSkipped),
      nothingChanged: noop.map((r) => r.nothingChanged),
      stagesSeconds: stageStats(noop),
      processOutsideDeployAppSeconds: noop.some((r) => r.timings)
        ? rounded(stats(noop.filter((r) => r.timings).map((r) => r.wallMs / 1000 - r.timings.total)), 3)
        : undefined,
    };
    const complete = pairs.filter((p) => p.oursMs !== undefined);
    if (complete.length) {
      figures.k8sPhaseRatioVsKubectl = stats(complete.map((p) => p.oursMs / p.kubectl.totalMs));
      details.k8sPhase = {
        ratio: rounded(figures.k8sPhaseRatioVsKubectl, 3),
        ratioOfMedians: round(
          stats(complete.map((p) => p.oursMs)).median / stats(complete.map((p) => p.kubectl.totalMs)).median,
          3,
        ),
        oursApplyPlusWaitMs: rounded(stats(complete.map((p) => p.oursMs)), 0),
        oursStagesSeconds: stageStats(complete.map((p) => p.ours)),
        kubectlMs: rounded(stats(complete.map((p) => p.kubectl.totalMs)), 0),
        kubectlApplyMs: rounded(stats(complete.map((p) => p.kubectl.applyMs)), 0),
        kubectlRolloutStatusMs: rounded(stats(complete.map((p) => p.kubectl.rolloutMs)), 0),
        // CPU time (user + system) of the processes, where GNU time measured it: what the wall time is made of.
        kubectlApplyCpuSeconds: complete.every((p) => p.kubectl.applyCpuSeconds !== undefined)
          ? rounded(stats(complete.map((p) => p.kubectl.applyCpuSeconds)), 2)
          : undefined,
        oursDeployProcessCpuSeconds: complete.every((p) => p.ours.cpuSeconds !== undefined)
          ? rounded(stats(complete.map((p) => p.ours.cpuSeconds)), 2)
          : undefined,
        kubectlVersion: results.cluster.kubectlVersion,
        // Each side really rolled both Deployments in every pair (ours: seen by the watch; kubectl: "configured").
        oursRolled: complete.map((p) => p.ours.rolled),
        kubectlRolled: complete.map((p) => p.kubectl.rolled),
      };
    }
    const detection = pairs.map((p) => p.ours.detectionMs).filter((x) => x !== undefined);
    if (detection.length) {
      figures.detectionLatencyMs = stats(detection);
      const pipelineDetection = pipeline.map((r) => r.detectionMs).filter((x) => x !== undefined);
      details.detection = {
        ms: rounded(figures.detectionLatencyMs, 1),
        fullDeploysMs: pipelineDetection.length ? rounded(stats(pipelineDetection), 1) : undefined,
      };
    }
    const rss = pipeline.map((r) => r.rssKiB).filter((x) => x > 0);
    if (rss.length) {
      figures.peakRssMiB = stats(rss.map((k) => k / 1024));
      const k8sRss = pairs
        .map((p) => p.ours.rssKiB)
        .filter((x) => x > 0)
        .map((k) => k / 1024);
      details.peakRss = {
        method: results.cluster.peakRssMethod,
        fullDeploysMiB: rounded(figures.peakRssMiB, 1),
        imageDeploysMiB: k8sRss.length ? rounded(stats(k8sRss), 1) : undefined,
      };
    }
  }
  return { figures, details };
}

const DIGITS = {
  k8sPhaseRatioVsKubectl: 3,
  coldStartMs: 0,
  render500FunctionsMs: 1,
  noopRedeploySeconds: 2,
  pipelineOverlapRatio: 3,
  detectionLatencyMs: 0,
  peakRssMiB: 0,
};

function printTable(figures) {
  const rows = [['figure', 'median', 'min', 'max', 'goal', '']];
  for (const [name, digits] of Object.entries(DIGITS)) {
    const s = figures[name];
    if (!s) continue;
    const goal = GOALS[name];
    const mark = goal ? (s.median <= goal.max ? 'PASS' : 'FAIL') : '';
    rows.push([
      name,
      s.median.toFixed(digits),
      s.min.toFixed(digits),
      s.max.toFixed(digits),
      goal ? `<= ${goal.max}` : '-',
      mark,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    process.stdout.write(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
}

/** Plain lines behind the figures: what each was made of. */
function printDetails(d) {
  const m = (x, digits = 0) => (x === undefined ? '?' : x.median.toFixed(digits));
  const lines = [];
  if (d.coldStart)
    lines.push(`cold start: ${m(d.coldStart.ms)} ms; node alone (node -e 0) ${m(d.coldStart.nodeAloneMs)} ms`);
  if (d.render) {
    lines.push(
      `render (cold, fresh process): ${Object.entries(d.render.coldMs)
        .map(([n, s]) => `${n} functions ${m(s, 1)} ms`)
        .join(', ')}; per function ${Object.entries(d.render.coldMsPerFunction)
        .map(([n, v]) => `${n}: ${v} ms`)
        .join(', ')}`,
    );
    lines.push(
      `render growth 500 -> 5000 functions: x${d.render.growth500to5000} of linear (warm: x${d.render.warmGrowth500to5000}); loading the pipeline chunk: ${m(d.render.importPipelineMs)} ms`,
    );
  }
  if (d.k8sPhase) {
    const k = d.k8sPhase;
    lines.push(
      `k8s phase: ours apply+wait ${m(k.oursApplyPlusWaitMs)} ms (apply ${m(k.oursStagesSeconds.apply, 3)} s, wait ${m(k.oursStagesSeconds.rollout, 3)} s) vs kubectl ${m(k.kubectlMs)} ms (apply ${m(k.kubectlApplyMs)} ms${k.kubectlApplyCpuSeconds ? `, of it ${m(k.kubectlApplyCpuSeconds, 2)} s CPU` : ''}; rollout status ${m(k.kubectlRolloutStatusMs)} ms)`,
    );
  }
  if (d.pipeline) {
    const st = d.pipeline.stagesSeconds;
    lines.push(
      `full deploy: total ${m(st.total, 2)} s = max(image ${m(st.image, 2)}, cluster ${m(st.cluster, 2)}) + apply ${m(st.apply, 2)} + wait ${m(st.rollout, 2)} + other ${m(d.pipeline.outsideStagesSeconds, 2)} s; whole process ${m(d.pipeline.processSeconds, 2)} s`,
    );
  }
  if (d.noop) {
    const st = d.noop.stagesSeconds;
    lines.push(
      `no-op redeploy: process ${m(d.noop.seconds, 2)} s = deploy ${m(st.total, 2)} s (image lookup ${m(st.image, 2)}, cluster ${m(st.cluster, 2)}, apply ${m(st.apply, 2)}, wait ${m(st.rollout, 2)}) + process start, module loading and exit ${m(d.noop.processOutsideDeployAppSeconds, 2)} s`,
    );
  }
  if (d.peakRss)
    lines.push(
      `peak RSS: ${d.peakRss.method}; full deploys ${m(d.peakRss.fullDeploysMiB)} MiB, --image deploys ${m(d.peakRss.imageDeploysMiB)} MiB`,
    );
  for (const line of lines) process.stdout.write(`  ${line}\n`);
}

/** Runs that did not do what the figure assumes. */
function problems(d) {
  const found = [];
  if (d.noop && !d.noop.buildSkipped.every(Boolean)) found.push('a no-op redeploy did not skip the build');
  if (d.noop && !d.noop.nothingChanged.every(Boolean)) found.push('a no-op redeploy changed something');
  if (d.pipeline && !d.pipeline.kedaPresent) found.push('a full deploy did not find KEDA already present');
  if (d.pipeline && !d.pipeline.rolled.every(Boolean)) found.push('a full deploy did not roll both Deployments');
  if (d.k8sPhase && !d.k8sPhase.oursRolled.every(Boolean))
    found.push('one of our k8s-phase deploys did not roll both Deployments');
  if (d.k8sPhase && !d.k8sPhase.kubectlRolled.every(Boolean))
    found.push("one of kubectl's applies did not configure both Deployments");
  for (const f of d.failedAndRetried ?? [])
    found.push(`${f.run} failed (attempt ${f.attempt}) and was made again: ${f.reason}`);
  if (d.detection && d.detection.ms.min < -100)
    found.push('a deploy reported the rollout healthy before the watch saw it complete');
  return found;
}

// ---------------------------------------------------------------- main

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-bench-'));
const results = {};
try {
  CLI = await snapshotDist(tmp);
  if (only.has('cold')) results.cold = await benchColdStart();
  if (only.has('render')) results.render = await benchRender(tmp);
  if (only.has('cluster')) results.cluster = await benchCluster(tmp);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

const { figures, details } = summarize(results);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `\naks-functions-deploy benchmarks: median of ${RUNS} runs, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
);
printTable(figures);
process.stdout.write('\n');
printDetails(details);
const invalid = problems(details);
for (const p of invalid) process.stdout.write(`  warning: ${p}\n`);
const failed = Object.entries(GOALS)
  .filter(([name, goal]) => figures[name] && figures[name].median > goal.max)
  .map(([name]) => name);
process.stdout.write(
  `\n${failed.length ? `goals not met: ${failed.join(', ')}` : 'all goals met'} (bench took ${seconds.toFixed(0)}s)\n`,
);
if (opts.json) {
  const json = Object.fromEntries(
    Object.entries(DIGITS)
      .filter(([name]) => figures[name])
      .map(([name, digits]) => [name, round(figures[name].median, digits)]),
  );
  Object.assign(json, {
    runs: RUNS,
    details: {
      ...details,
      problems: invalid,
      goals: Object.fromEntries(Object.entries(GOALS).map(([k, g]) => [k, `<= ${g.max}`])),
      date: new Date().toISOString(),
      cores: os.cpus().length,
      node: process.version,
      benchSeconds: round(seconds, 0),
    },
  });
  process.stdout.write(`${JSON.stringify(json)}\n`);
}
