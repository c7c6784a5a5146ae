// The Kubernetes phase, ours and kubectl's side by side: our deploy --image
// against kubectl apply + rollout status of the same manifests, alternating.

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { note } from './common.mjs';
import { deploy } from './deploys.mjs';
import { check, gnuTime, run } from './processes.mjs';

/** kubectl's side, as Azure/k8s-deploy does it: the app rendered (not timed), then apply and rollout status, timed. */
async function kubectlOnce({ cli, tmp, common, settings, cliEnv, kubectl, kubectlArgs, namespaces }, image, runId) {
  const manifests = path.join(tmp, 'kubectl-manifests.yaml');
  const rendered = check(
    await run(
      process.execPath,
      [
        cli,
        'render',
        ...common,
        '--namespace',
        namespaces.kubectl,
        '--image',
        image,
        ...settings(runId),
        '--show-secrets',
      ],
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
        namespaces.kubectl,
        '--timeout=3m',
      ]),
      `kubectl rollout status ${name}`,
    );
  const t2 = performance.now();
  return { applyMs: t1 - t0, rolloutMs: t2 - t1, totalMs: t2 - t0, rolled, applyCpuSeconds: applied.cpuSeconds };
}

/** One warm-up pair, then `runs` pairs, each side rolling out new settings. */
export async function k8sPhasePairs(ctx, image, id) {
  const { runs, retrying, deployArgs, namespaces } = ctx;
  const oursOnce = (runId) =>
    deploy(ctx, `deploy --image ${runId}`, deployArgs({ namespace: namespaces.ours, image, id: runId }));
  note('warm-up: kubectl creates its copy, ours switches to --image (not counted)');
  const kubectlWarm = await retrying('kubectl warm-up', () => kubectlOnce(ctx, image, `${id}-warmup`));
  const oursWarm = await retrying('deploy --image warm-up', () => oursOnce(`${id}-warmup`));
  note(
    `warm-ups done: kubectl ${(kubectlWarm.totalMs / 1000).toFixed(1)}s, ours ${(oursWarm.wallMs / 1000).toFixed(1)}s ${JSON.stringify(oursWarm.timings)}`,
  );
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    // A pair is made again as a whole, with new settings, so both sides roll again.
    const pair = await retrying(`k8s phase pair ${i + 1}`, async (attempt) => {
      const runId = `${id}-${i}-${attempt}`;
      // Alternate who goes first, so neither side always follows the other.
      if (i % 2 === 0) {
        const ours = await oursOnce(runId);
        return { ours, kubectl: await kubectlOnce(ctx, image, runId) };
      }
      const kubectl = await kubectlOnce(ctx, image, runId);
      return { kubectl, ours: await oursOnce(runId) };
    });
    const t = pair.ours.timings;
    pair.oursMs = t ? (t.apply + t.rollout) * 1000 : undefined;
    pairs.push(pair);
    note(
      `k8s phase ${i + 1}/${runs}: ours apply+wait ${pair.oursMs?.toFixed(0)} ms ${JSON.stringify(t)}, kubectl apply+rollout status ${pair.kubectl.totalMs.toFixed(0)} ms (apply ${pair.kubectl.applyMs.toFixed(0)}), detection ${pair.ours.detectionMs?.toFixed(0)} ms`,
    );
  }
  return pairs;
}
