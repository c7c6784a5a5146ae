// Jest globalTeardown for the integration project: scans what the tests
// captured for leaked secrets, then takes the local stack down if, and only if,
// globalSetup brought it up. AFD_KEEP_CLUSTER=1 keeps it running for the next run.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanCaptured } from './leak-scan.mjs';

const STACK = path.dirname(fileURLToPath(import.meta.url));
const CLUSTER = path.join(STACK, 'cluster.mjs');
const STATE = path.resolve(process.env.AFD_CLUSTER_DIR ?? path.join(STACK, '..', '.cluster'));

export default async function globalTeardown() {
  const leaks = scanCaptured(STATE);
  if (leaks.length === 0) console.error('leak scan: no secret in the captured output of the tests');
  if (globalThis.__afdStackStartedBySetup && process.env.AFD_KEEP_CLUSTER !== '1') {
    const r = spawnSync(process.execPath, [CLUSTER, 'down'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('node stack/cluster.mjs down failed');
  }
  if (leaks.length > 0) throw new Error(`leak scan failed:\n${leaks.join('\n')}`);
}
