// kubectl for the bench: the stack builds it (stack/go/kubectl), at the Kubernetes version of its control plane.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { binary, requiredVersion } from '../../stack/cluster/go-builds.mjs';
import { REPO, note } from './common.mjs';

/** The Kubernetes version kubectl is built at. */
export const kubernetesVersion = () => requiredVersion('kubectl', 'k8s.io/kubernetes');

/** The stack's kubectl, built first (with whatever else of the stack is missing) when it is not there. */
export function ensureKubectl() {
  const kubectl = binary('kubectl', 'kubectl');
  if (fs.existsSync(kubectl)) return kubectl;
  note('kubectl is not built: node stack/cluster.mjs build (builds only what is missing)');
  const built = spawnSync(process.execPath, ['stack/cluster.mjs', 'build'], { cwd: REPO, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('node stack/cluster.mjs build failed');
  return kubectl;
}
