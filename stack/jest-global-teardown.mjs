// Jest globalTeardown for the integration project: takes the local stack down
// if, and only if, globalSetup brought it up. AFD_KEEP_CLUSTER=1 keeps it
// running for the next run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CLUSTER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cluster.mjs');

export default async function globalTeardown() {
  if (!globalThis.__afdStackStartedBySetup || process.env.AFD_KEEP_CLUSTER === '1') return;
  const r = spawnSync(process.execPath, [CLUSTER, 'down'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('node stack/cluster.mjs down failed');
}
