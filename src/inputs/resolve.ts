import { UserError } from '../errors.js';
import type { ClusterSource } from '../cluster/connect.js';
import type { DeleteCommandOptions } from '../commands/delete.js';
import type { DeployCommandOptions } from '../commands/deploy.js';
import type { RemoveKedaCommandOptions } from '../commands/remove-keda.js';
import type { RenderCommandOptions } from '../commands/render.js';
import type { LeasePolicy } from '../apply/lease.js';
import type { KedaMode, KedaPolicy } from '../keda/keda.js';
import { KEDA_MANIFEST_SHA256 } from '../keda/releases.js';
import { resolveAppObjects, resolveAppSource, resolveRenderOptions } from './app.js';
import { checkAppName, checkLabel } from './checks.js';
import { resolveAzure, resolveCluster } from './cluster.js';
import { notThroughRunCommand } from '../azure/run-command.js';
import { resolveFederation } from './identity.js';
import { resolveImage } from './image.js';
import { InputValues, type RawInputs, shownInputValues } from './values.js';

/**
 * Raw inputs to each command's options: every input is checked here, before
 * anything reads a file or talks to the world.
 */

export type { RawInputs } from './values.js';

/** The `render` command: every input checked before any file is read. */
export function resolveRenderCommand(raw: RawInputs): RenderCommandOptions {
  const values = new InputValues('render', raw);
  return {
    render: resolveRenderOptions(values, values.required('image')),
    app: resolveAppSource(values),
    manifestsOutput: values.string('manifests-output'),
    showSecrets: values.boolean('show-secrets'),
    shownInputs: shownInputValues(raw),
  };
}

/** The `deploy` command (and the Action and the task): every input checked before anything runs. */
export function resolveDeployCommand(raw: RawInputs): DeployCommandOptions {
  const values = new InputValues('deploy', raw);
  const image = resolveImage(values);
  const dryRun = values.boolean('dry-run');
  const cluster = resolveCluster(values, !dryRun);
  const timeoutSeconds = positiveSeconds(values, 'timeout');
  const keda = resolveKeda(values, cluster !== undefined && 'aks' in cluster);
  const rollbackOnFailure = values.boolean('rollback-on-failure');
  // Refused before the image is built; with private-cluster: auto only ARM tells, so the deploy refuses it then.
  if (cluster !== undefined && 'aks' in cluster && cluster.aks.privateCluster === 'true') {
    const refusal = notThroughRunCommand({ dryRun, rollbackOnFailure });
    if (refusal) throw refusal;
  }
  return {
    render: resolveAppObjects(values),
    image,
    app: resolveAppSource(values),
    manifestsOutput: values.string('manifests-output'),
    showSecrets: values.boolean('show-secrets'),
    shownInputs: shownInputValues(raw),
    dryRun,
    cluster,
    azure: resolveAzure(values),
    keda,
    federation: resolveFederation(values),
    apply: {
      prune: values.boolean('prune'),
      forceConflicts: values.boolean('force-conflicts'),
      lease: values.required('deploy-lease') as LeasePolicy,
    },
    rollout: {
      wait: values.boolean('wait'),
      timeoutSeconds,
      rollbackOnFailure,
      allowScalerErrors: values.boolean('allow-scaler-errors'),
      verifyIdleVersion: values.boolean('verify-idle-version'),
    },
  };
}

function resolveKeda(values: InputValues, onAks: boolean): KedaPolicy {
  const mode = values.required('keda') as KedaMode;
  if (mode === 'addon' && !onAks) {
    throw new UserError(`input 'keda': addon needs an AKS cluster given by resource-group and cluster-name`);
  }
  // KEDA's install manifest puts everything in 'keda'; detection finds KEDA in any namespace.
  if (values.required('keda-namespace') !== 'keda') {
    throw new UserError(`input 'keda-namespace': KEDA's install manifest installs into 'keda' only`);
  }
  const version = values.required('keda-version');
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new UserError(`input 'keda-version': '${version}' is not a version like 2.20.2`);
  }
  const manifestSha256 = kedaManifestSha256(values);
  const manifestUrl = values.string('keda-manifest-url');
  if (mode !== 'skip' && KEDA_MANIFEST_SHA256[version] === undefined) {
    // Nothing is downloaded unless asked: a version the step does not carry needs a copy and its hash.
    const missing = [
      manifestUrl === undefined ? "'keda-manifest-url' (a copy of its install manifest)" : undefined,
      manifestSha256 === undefined ? "'keda-manifest-sha256'" : undefined,
    ].filter((input) => input !== undefined);
    if (missing.length > 0) {
      const known = Object.keys(KEDA_MANIFEST_SHA256).join(' or ');
      throw new UserError(
        `input 'keda-version': this step carries the manifests of KEDA ${known} only; for KEDA ${version} ` +
          `give input ${missing.join(' and ')}, or use ${known}`,
      );
    }
  }
  return { mode, version, manifestUrl, manifestSha256 };
}

function kedaManifestSha256(values: InputValues): string | undefined {
  const manifestSha256 = values.string('keda-manifest-sha256')?.toLowerCase();
  if (manifestSha256 !== undefined && !/^[a-f0-9]{64}$/.test(manifestSha256)) {
    throw new UserError(`input 'keda-manifest-sha256': '${manifestSha256}' is not a SHA-256 (64 hex digits)`);
  }
  return manifestSha256;
}

/** A duration input with a default, which must leave time to do anything. */
function positiveSeconds(values: InputValues, name: string): number {
  const seconds = values.seconds(name) as number;
  if (seconds === 0) throw new UserError(`input '${name}': must be at least 1 second`);
  return seconds;
}

export function resolveDeleteCommand(raw: RawInputs): DeleteCommandOptions {
  const values = new InputValues('delete', raw);
  return {
    name: checkAppName(values.required('name')),
    namespace: checkLabel('namespace', values.required('namespace')) as string,
    cluster: resolveCluster(values, true) as ClusterSource,
    azure: resolveAzure(values),
  };
}

/** The `remove-keda` command (the CLI only): every input checked before the cluster is reached. */
export function resolveRemoveKedaCommand(raw: RawInputs): RemoveKedaCommandOptions {
  const values = new InputValues('remove-keda', raw);
  return {
    cluster: resolveCluster(values, true) as ClusterSource,
    azure: resolveAzure(values),
    keda: {
      force: values.boolean('force'),
      timeoutSeconds: positiveSeconds(values, 'removal-timeout'),
      manifestUrl: values.string('keda-manifest-url'),
      manifestSha256: kedaManifestSha256(values),
    },
  };
}
