// The private path against the direct one: the same image and settings change deployed alternately to a cluster the
// AKS stand-in marks private (through ARM's run command, three commands a redeploy) and directly by kubeconfig, each
// in its own namespace; the run commands each private redeploy took, counted by the stand-in.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, note } from './common.mjs';
import { check, run } from './processes.mjs';

export const NS_PRIVATE = 'bench-private';
export const NS_DIRECT = 'bench-direct';

/** Alternating private and direct redeploys of `image` (after a warm-up of each, not counted). */
export async function privatePathPairs(ctx, image, id) {
  const { startAzureStandins } = await import(path.join(REPO, 'stack/azure/standins.mjs'));
  const identity = {
    tenantId: crypto.randomUUID(),
    clientId: crypto.randomUUID(),
    clientSecret: crypto.randomBytes(18).toString('base64url'),
    subscriptionId: crypto.randomUUID(),
  };
  const standins = await startAzureStandins({
    ...identity,
    resourceGroup: 'rg-bench',
    clusterName: 'aks-bench',
    kubeconfig: fs.readFileSync(ctx.env.KUBECONFIG, 'utf8'),
    lroPolls: 0,
    cluster: { private: true },
  });
  const throughArm = [
    ...['--cloud', standins.armEndpoint, '--subscription-id', identity.subscriptionId],
    ...['--resource-group', 'rg-bench', '--cluster-name', 'aks-bench', '--client-id', identity.clientId],
    ...['--tenant-id', identity.tenantId, '--client-secret', identity.clientSecret],
  ];
  const env = { ...ctx.cliEnv, NODE_EXTRA_CA_CERTS: standins.caFile };
  // Every deploy changes a setting, so both sides roll their pods.
  const args = (namespace, run_, cluster) => [
    ctx.cli,
    'deploy',
    ...ctx.common,
    '--timeout',
    '3m',
    '--namespace',
    namespace,
    '--image',
    image,
    ...ctx.settings(`${id}-${run_}`),
    ...cluster,
  ];
  const direct = ['--kubeconfig', ctx.env.KUBECONFIG];
  const timedDeploy = async (what, namespace, run_, cluster) =>
    check(await run(process.execPath, args(namespace, run_, cluster), { env, rss: false }), what).wallMs;
  const pairs = [];
  try {
    note('private path: warm-up deploys (namespaces created; not counted)');
    await timedDeploy('private warm-up', NS_PRIVATE, 'warm', throughArm);
    await timedDeploy('direct warm-up', NS_DIRECT, 'warm', direct);
    for (let i = 0; i < ctx.runs; i++) {
      const before = standins.runCommands.length;
      const privateMs = await ctx.retrying(`private redeploy ${i + 1}`, () =>
        timedDeploy(`private redeploy ${i + 1}`, NS_PRIVATE, i, throughArm),
      );
      const runCommands = standins.runCommands.length - before;
      const directMs = await ctx.retrying(`direct redeploy ${i + 1}`, () =>
        timedDeploy(`direct redeploy ${i + 1}`, NS_DIRECT, i, direct),
      );
      pairs.push({ privateMs, directMs, runCommands });
      note(
        `private path ${i + 1}/${ctx.runs}: ${(privateMs / 1000).toFixed(2)}s in ${runCommands} run commands, ` +
          `direct ${(directMs / 1000).toFixed(2)}s`,
      );
    }
  } finally {
    await standins.close();
  }
  return pairs;
}
