// kubectl, needed only by the bench: built once, at the Kubernetes version the
// stack builds, from the same module.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE } from '../../stack/cluster/config.mjs';
import { goBuild, kubernetesVersionLdflags, requiredVersion } from '../../stack/cluster/go-builds.mjs';
import { REPO, note } from './common.mjs';

/** The Kubernetes version the stack builds, from its go.mod. */
export const kubernetesVersion = () => requiredVersion('kubernetes', 'k8s.io/kubernetes');

/**
 * kubectl at the stack's Kubernetes version, built once from the same module
 * (its go.mod and go.sum, with kubectl's command added) into the cache.
 */
export async function ensureKubectl() {
  const version = kubernetesVersion();
  const dir = path.join(CACHE, `kubectl-${version}`);
  const binary = path.join(dir, 'kubectl');
  if (fs.existsSync(binary)) return binary;
  note(`building kubectl ${version} from k8s.io/kubernetes (once; a few minutes) -> ${dir}`);
  const mod = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-bench-kubectl-'));
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    for (const f of ['go.mod', 'go.sum'])
      fs.copyFileSync(path.join(REPO, 'stack', 'go', 'kubernetes', f), path.join(mod, f));
    fs.writeFileSync(
      path.join(mod, 'tools.go'),
      '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kubectl"\n',
    );
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const code = await goBuild({
      cwd: mod,
      pkgs: ['k8s.io/kubernetes/cmd/kubectl'],
      out: path.join(tmp, 'kubectl'),
      // kubectl reports its version from client-go's package too.
      ldflags: ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) =>
        kubernetesVersionLdflags(version, pkg),
      ),
      // Go's output to stderr: stdout carries the report.
      stdio: ['ignore', 2, 2],
    });
    if (code !== 0) throw new Error(`go build of kubectl failed (exit ${code})`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } finally {
    fs.rmSync(mod, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return binary;
}
