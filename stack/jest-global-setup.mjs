// Jest globalSetup for the integration project: brings the local stack up
// (unless it is already up, or an existing cluster is to be used) and puts
// its .cluster/env into process.env, which the test workers inherit.
//
// AFD_USE_EXISTING_CLUSTER=1: start nothing; KUBECONFIG (and REGISTRY,
// REGISTRY_USERNAME, REGISTRY_PASSWORD, DOCKER_HOST,
// AZURE_STORAGE_CONNECTION_STRING for the tests that need them) come from the
// caller's environment.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEnv } from './cluster.mjs';
import { startCapture } from './leak-scan.mjs';

const STACK = path.dirname(fileURLToPath(import.meta.url));
const CLUSTER = path.join(STACK, 'cluster.mjs');
const STATE = path.resolve(process.env.AFD_CLUSTER_DIR ?? path.join(STACK, '..', '.cluster'));

function cluster(cmd, stdio) {
  return spawnSync(process.execPath, [CLUSTER, cmd], { stdio, encoding: 'utf8' });
}

export default async function globalSetup() {
  startCapture(STATE);
  if (process.env.AFD_USE_EXISTING_CLUSTER === '1') {
    if (!process.env.KUBECONFIG) throw new Error('AFD_USE_EXISTING_CLUSTER=1 needs KUBECONFIG to point at the cluster');
    return;
  }
  const before = cluster('status', 'pipe');
  const envFile = path.join(STATE, 'env');
  if (before.status !== 0 || !fs.existsSync(envFile)) {
    if (cluster('up', 'inherit').status !== 0)
      throw new Error('the local test cluster did not come up (node stack/cluster.mjs up)');
    // Only what this run brought up from nothing is taken down again at the end.
    globalThis.__afdStackStartedBySetup = !/^etcd\s+running/m.test(before.stdout ?? '');
  }
  Object.assign(process.env, readEnv(envFile));
}
