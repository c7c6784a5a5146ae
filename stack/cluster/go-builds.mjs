// The Go binaries of the stack: built from the modules under stack/go/ and
// cached by version under CACHE (~/.cache/aks-functions-deploy).

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE, STACK, log } from './config.mjs';

/** The version of `module` that stack/go/<dir>/go.mod requires. */
export function requiredVersion(dir, module) {
  const gomod = fs.readFileSync(path.join(STACK, 'go', dir, 'go.mod'), 'utf8');
  const m = gomod.match(new RegExp(`^\\s*(?:require\\s+)?${module.replace(/[.]/g, '\\.')}\\s+(v\\S+)`, 'm'));
  if (!m) throw new Error(`stack/go/${dir}/go.mod does not require ${module}`);
  return m[1];
}

const K8S_VERSION_PKG = 'k8s.io/component-base/version';

// What `kubectl version` and clients see; unset, it reads v0.0.0-master.
export function kubernetesVersionLdflags(version, pkg = K8S_VERSION_PKG) {
  const [major, minor] = version.slice(1).split('.');
  return [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=1970-01-01T00:00:00Z`,
  ];
}

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
    ldflags: (v) => kubernetesVersionLdflags(v),
  },
  {
    // The AKS run-command stand-in's kubectl, and the bench's: its own module, as the control plane's keeps none
    // of kubectl's dependencies.
    name: 'kubectl',
    dir: 'kubectl',
    module: 'k8s.io/kubernetes',
    bins: [{ pkg: 'k8s.io/kubernetes/cmd/kubectl', name: 'kubectl' }],
    // kubectl reports its version from client-go's package too.
    ldflags: (v) =>
      [K8S_VERSION_PKG, 'k8s.io/client-go/pkg/version'].flatMap((pkg) => kubernetesVersionLdflags(v, pkg)),
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
  {
    name: 'workload-identity',
    dir: 'workload-identity',
    module: 'github.com/Azure/azure-workload-identity',
    bins: [{ pkg: 'github.com/Azure/azure-workload-identity/cmd/webhook', name: 'azure-wi-webhook' }],
    ldflags: (v) => [`-X github.com/Azure/azure-workload-identity/pkg/version.BuildVersion=${v}`],
    // The local stand-in for its logging module is source too.
    sources: ['mlog/go.mod', 'mlog/mlog.go'],
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

/** The path of one built binary, e.g. binary('kubernetes', 'kube-apiserver'). */
export function binary(component, name) {
  const c = COMPONENTS.find((x) => x.name === component);
  return path.join(componentDir(c), name);
}

// A component is rebuilt when its go.mod/go.sum (and any local source) or the Go toolchain change.
function sourceStamp(c) {
  const dir = path.join(STACK, 'go', c.dir);
  const h = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', ...(c.sources ?? [])]) h.update(fs.readFileSync(path.join(dir, f)));
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

/**
 * `go build` of `pkgs` in the module at `cwd` into `out` (a directory, or the
 * file for a single package): trimmed paths, stripped, versions from go.mod
 * (-mod=mod), no cgo. Resolves to go's exit code.
 */
export function goBuild({ cwd, pkgs, out, ldflags = [], stdio = ['ignore', 'inherit', 'inherit'] }) {
  const args = ['build', '-trimpath', '-ldflags', ['-s', '-w', ...ldflags].join(' '), '-o', out, ...pkgs];
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env: { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' }, stdio });
    child.on('error', reject);
    child.on('exit', resolve);
  });
}

async function buildComponent(c) {
  const version = requiredVersion(c.dir, c.module);
  const out = componentDir(c);
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const started = Date.now();
  log(`building ${c.name} ${version} ...`);
  // One `go build` per component so packages shared by its commands compile once.
  const code = await goBuild({
    cwd: path.join(STACK, 'go', c.dir),
    pkgs: c.bins.map((b) => b.pkg),
    out: tmp,
    ldflags: c.ldflags(version),
  });
  if (code !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`go build of ${c.name} failed (exit ${code})`);
  }
  for (const b of c.bins) fs.renameSync(path.join(tmp, goOutputName(b.pkg)), path.join(tmp, b.name));
  fs.writeFileSync(path.join(tmp, '.stamp'), `${sourceStamp(c)} ${goVersion()}`);
  fs.rmSync(out, { recursive: true, force: true });
  fs.renameSync(tmp, out);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  log(`built ${c.name} ${version} in ${secs}s -> ${out}`);
  return Number(secs);
}

/** Builds every component that is not cached for its go.mod/go.sum and Go version. */
export async function build() {
  const todo = COMPONENTS.filter((c) => !isBuilt(c));
  for (const c of COMPONENTS) if (!todo.includes(c)) log(`${c.name}: cached in ${componentDir(c)}`);
  // One after another: each `go build` compiles packages in parallel and
  // keeps both cores busy on its own.
  for (const c of todo) await buildComponent(c);
}
