#!/usr/bin/env node
// npm run bench [-- --runs N] [-- --json] [-- --only cold,render-small,render,index,cluster]
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
// The render of the small example and the cold start are taken alternately
// with `node -e 0`, Node's own floor. With --json the last line of stdout is
// one JSON object with every figure. The parts are in scripts/bench/.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { snapshotDist } from './bench/bundle.mjs';
import { benchCluster } from './bench/cluster.mjs';
import { benchIndex } from './bench/index.mjs';
import { benchRender } from './bench/render.mjs';
import { printReport } from './bench/report.mjs';
import { summarize } from './bench/summary.mjs';
import { benchColdStart, benchRenderSmallApp } from './bench/whole-process.mjs';

// In the order they run; all but cluster need no cluster, and cold, render-small and index take seconds.
const GROUPS = ['cold', 'render-small', 'render', 'index', 'cluster'];

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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-bench-'));
const results = {};
try {
  const bench = { cli: await snapshotDist(tmp), runs: RUNS, tmp };
  if (only.has('cold')) results.cold = await benchColdStart(bench);
  if (only.has('render-small')) results.renderSmall = await benchRenderSmallApp(bench);
  if (only.has('render')) results.render = await benchRender(bench);
  if (only.has('index')) results.index = await benchIndex(bench);
  if (only.has('cluster')) results.cluster = await benchCluster(bench);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}

printReport(summarize(results), { runs: RUNS, json: opts.json });
