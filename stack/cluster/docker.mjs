// Docker (a daemon that already answers, else our own dockerd) and the
// registry with htpasswd auth.

import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE, HOST, LOGS, PORT, STATE, log } from './config.mjs';
import { request } from './http.mjs';
import { isRunning, requirePortFree, startProcess, stopProcess, waitFor } from './processes.mjs';

const DOCKER_SOCK = path.join(STATE, 'docker.sock');

async function dockerPing(sock) {
  try {
    return (await request('http://docker/_ping', { socketPath: sock, timeout: 3000 })).text === 'OK';
  } catch {
    return false;
  }
}

// Uses a daemon that already answers (DOCKER_HOST or the default socket),
// else starts our own.
export async function ensureDocker() {
  if (isRunning('dockerd')) return `unix://${DOCKER_SOCK}`;
  const existing = process.env.DOCKER_HOST?.startsWith('unix://')
    ? process.env.DOCKER_HOST.slice(7)
    : '/var/run/docker.sock';
  if (existing !== DOCKER_SOCK && (await dockerPing(existing))) {
    log(`using the Docker daemon at ${existing}`);
    return `unix://${existing}`;
  }
  // Short exec-root: containerd's socket path must fit in 108 bytes.
  const execRoot = `/run/afd-docker-${crypto.createHash('sha256').update(STATE).digest('hex').slice(0, 8)}`;
  const config = path.join(STATE, 'docker-daemon.json');
  fs.writeFileSync(config, '{}\n');
  const drivers = process.env.AFD_DOCKER_STORAGE_DRIVER ? [process.env.AFD_DOCKER_STORAGE_DRIVER] : ['overlay2', 'vfs'];
  for (const driver of drivers) {
    startProcess('dockerd', '/usr/sbin/dockerd', [
      `--host=unix://${DOCKER_SOCK}`,
      `--config-file=${config}`,
      `--data-root=${path.join(CACHE, `docker-${driver}`)}`,
      `--exec-root=${execRoot}`,
      `--pidfile=${path.join(STATE, 'dockerd.pid')}`,
      `--storage-driver=${driver}`,
      // No container networking: test images are only built, pushed and
      // pulled, and this sandbox allows no iptables or bridge changes.
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--ip-masq=false',
    ]);
    try {
      await waitFor('dockerd', () => dockerPing(DOCKER_SOCK), 60_000, 'dockerd');
      return `unix://${DOCKER_SOCK}`;
    } catch (e) {
      log(`dockerd with storage driver ${driver} did not start: ${e.message}`);
      await stopProcess('dockerd');
    }
  }
  throw new Error(`dockerd did not start; see ${path.join(LOGS, 'dockerd.log')}`);
}

// ---- registry

export function registryCredentials() {
  const dir = path.join(STATE, 'registry');
  fs.mkdirSync(dir, { recursive: true });
  const pwFile = path.join(dir, 'password');
  if (!fs.existsSync(pwFile)) fs.writeFileSync(pwFile, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  return { username: 'afd', password: fs.readFileSync(pwFile, 'utf8').trim() };
}

export async function startRegistry() {
  const { username, password } = registryCredentials();
  if (isRunning('registry')) return;
  await requirePortFree(PORT.registry, 'registry');
  const dir = path.join(STATE, 'registry');
  const htpasswd = path.join(dir, 'htpasswd');
  const r = spawnSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
  fs.writeFileSync(htpasswd, r.stdout, { mode: 0o600 });
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    `version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: ${path.join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: ${HOST}:${PORT.registry}
  secret: ${crypto.randomBytes(16).toString('hex')}
auth:
  htpasswd:
    realm: afd-local-registry
    path: ${htpasswd}
`,
  );
  startProcess('registry', '/usr/bin/docker-registry', ['serve', config]);
  await waitFor(
    'registry',
    async () => (await request(`http://${HOST}:${PORT.registry}/v2/`)).status === 401,
    30_000,
    'registry',
  );
}
