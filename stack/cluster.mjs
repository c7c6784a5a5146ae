#!/usr/bin/env node
// The local test stack: a real Kubernetes control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler) with kwok-simulated nodes, the real
// KEDA operator and the workload identity webhook out of cluster, Azurite, a Docker daemon and a registry with
// htpasswd auth, all on 127.0.0.1.
//
//   node stack/cluster.mjs build    build/cache the Go binaries only
//   node stack/cluster.mjs up       start what is not running, write .cluster/env
//   node stack/cluster.mjs down     stop exactly what `up` started
//   node stack/cluster.mjs status   show each component and its pid
//
// Plain Node ESM with built-ins only, so it runs before `npm ci` and on Node 20.
// This file is the command line; the pieces are in stack/cluster/: config
// (paths, ports), go-builds, processes, http, pki, control-plane, docker (and
// the registry), azurite, keda (the supervisor) and env (.cluster/env).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { azuriteInstall, startAzurite } from './cluster/azurite.mjs';
import { STATE, log } from './cluster/config.mjs';
import {
  startApiserver,
  startControllerManager,
  startEtcd,
  startKwok,
  startScheduler,
} from './cluster/control-plane.mjs';
import { ensureDocker, startRegistry } from './cluster/docker.mjs';
import { writeEnv } from './cluster/env.mjs';
import { build } from './cluster/go-builds.mjs';
import { kedaSupervisor, startKedaSupervisor } from './cluster/keda.mjs';
import { ensurePki, writeKubeconfig } from './cluster/pki.mjs';
import { startWorkloadIdentityWebhook } from './cluster/workload-identity.mjs';
import { isRunning, readPid, stopProcess } from './cluster/processes.mjs';

export { readEnv } from './cluster/env.mjs';

// The order `up` starts them in (and `status` lists them).
const ORDER = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'azure-wi-webhook',
  'registry',
  'azurite',
  'dockerd',
  'keda-supervisor',
];
const KEDA_PROGRAMS = ['keda-operator', 'keda-webhooks', 'keda-adapter'];

const TOOLS = ['/usr/sbin/dockerd', '/usr/bin/docker-registry', '/usr/bin/htpasswd', '/usr/bin/openssl'];

async function up() {
  const started = Date.now();
  const missing = TOOLS.filter((t) => !fs.existsSync(t));
  if (missing.length) throw new Error(`missing ${missing.join(', ')}: run \`bash stack/install-deps.sh\``);
  azuriteInstall();
  await build();
  fs.mkdirSync(STATE, { recursive: true });
  ensurePki();
  writeKubeconfig();
  await startEtcd();
  await startApiserver();
  await startControllerManager();
  await startScheduler();
  await startKwok();
  await startWorkloadIdentityWebhook();
  await startRegistry();
  await startAzurite();
  const dockerHost = await ensureDocker();
  await startKedaSupervisor();
  writeEnv(dockerHost);
  log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s; environment in ${path.join(STATE, 'env')}`);
}

async function down() {
  // The supervisor first, so that it cannot restart KEDA behind our back;
  // then KEDA itself in case the supervisor was already gone; the apiserver's
  // clients together; the apiserver; etcd last.
  await stopProcess('keda-supervisor');
  await Promise.all(KEDA_PROGRAMS.map((n) => stopProcess(n)));
  const clients = ORDER.filter((n) => !['etcd', 'kube-apiserver', 'keda-supervisor'].includes(n));
  await Promise.all(clients.map((n) => stopProcess(n)));
  await stopProcess('kube-apiserver');
  await stopProcess('etcd');
  // The next `up` starts from an empty cluster (without KEDA), an empty
  // registry and empty queues; PKI, credentials and logs stay.
  for (const dir of ['etcd', 'keda-certs', 'azurite', path.join('registry', 'data')]) {
    fs.rmSync(path.join(STATE, dir), { recursive: true, force: true });
  }
  log('cluster down');
}

function status() {
  let all = true;
  for (const name of [...ORDER, ...KEDA_PROGRAMS]) {
    const p = readPid(name);
    const up = isRunning(name);
    if (!up && !KEDA_PROGRAMS.includes(name) && !(name === 'dockerd' && !p)) all = false;
    process.stdout.write(`${name.padEnd(24)} ${up ? `running (pid ${p.pid})` : p ? 'dead' : 'not started'}\n`);
  }
  return all;
}

const commands = {
  build,
  up,
  down,
  status: async () => {
    if (!status()) process.exitCode = 1;
  },
  'keda-supervisor': kedaSupervisor,
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = commands[process.argv[2]];
  if (!cmd) {
    process.stderr.write(
      `usage: node stack/cluster.mjs ${Object.keys(commands)
        .filter((c) => c !== 'keda-supervisor')
        .join('|')}\n`,
    );
    process.exit(2);
  }
  cmd().catch((e) => {
    log(`error: ${e.message}`);
    process.exit(1);
  });
}
