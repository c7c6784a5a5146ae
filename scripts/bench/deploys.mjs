// One deploy by the CLI, watched on its own; the full deploys and the no-op redeploys.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as k8s from '@kubernetes/client-node';
import { note, sleep } from './common.mjs';
import { check, run } from './processes.mjs';

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

/** One deploy by the CLI, with the independent rollout watch; every figure it yields. */
export async function deploy({ kc, cliEnv, namespaces, deployments }, what, args, { watch = true, rss = true } = {}) {
  const watcher = watch ? await watchRollout(kc, namespaces.ours, deployments) : undefined;
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
}

/** Full deploys: docker build + push, KEDA present; after a warm-up deploy that is not counted. */
export async function fullDeploys(ctx, id) {
  const { app, runs, retrying, deployArgs, namespaces } = ctx;
  const buildInput = path.join(app, 'bench-build-input.txt');
  note('warm-up: first full deploy (namespace created, KEDA installed if missing; not counted)');
  fs.writeFileSync(buildInput, `${id}-warmup\n`);
  const warm = await retrying('warm-up deploy', () =>
    deploy(ctx, 'warm-up deploy', deployArgs({ namespace: namespaces.ours, id: 'pipeline' }), { watch: false }),
  );
  note(`warm-up done in ${(warm.wallMs / 1000).toFixed(1)}s (${warm.kedaLine ?? 'no KEDA line'})`);
  if (!warm.timings) note('warning: the deploy printed no `timings:` line: stage figures cannot be computed');

  const pipeline = [];
  for (let i = 0; i < runs; i++) {
    const r = await retrying(`full deploy ${i + 1}`, (attempt) => {
      // New build inputs on every attempt: each one really builds and pushes.
      fs.writeFileSync(buildInput, `${id}-${i}-${attempt}\n`);
      return deploy(ctx, `full deploy ${i + 1}`, deployArgs({ namespace: namespaces.ours, id: 'pipeline' }));
    });
    pipeline.push(r);
    note(
      `full deploy ${i + 1}/${runs}: ${(r.wallMs / 1000).toFixed(2)}s ${JSON.stringify(r.timings)} detection ${r.detectionMs?.toFixed(0)} ms`,
    );
  }
  return pipeline;
}

/** Identical redeploys: the same inputs again. */
export async function noopRedeploys(ctx) {
  const { runs, retrying, deployArgs, namespaces } = ctx;
  const noop = [];
  for (let i = 0; i < runs; i++) {
    const r = await retrying(`no-op redeploy ${i + 1}`, () =>
      deploy(ctx, `no-op redeploy ${i + 1}`, deployArgs({ namespace: namespaces.ours, id: 'pipeline' }), {
        watch: false,
        rss: false,
      }),
    );
    noop.push(r);
    note(
      `no-op redeploy ${i + 1}/${runs}: ${(r.wallMs / 1000).toFixed(2)}s (build skipped: ${r.buildSkipped}, nothing changed: ${r.nothingChanged}) ${JSON.stringify(r.timings)}`,
    );
  }
  return noop;
}
