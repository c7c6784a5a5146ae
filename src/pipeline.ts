import { writeFileSync } from 'node:fs';
import { CoreV1Api, type KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import { type AppliedObject, applyObjects, appSelector, OWNED_KINDS } from './apply/apply.js';
import { kubeConfigFrom } from './cluster/kube.js';
import { isNotFound, withRetries } from './cluster/status.js';
import { discoverApp } from './discovery/discover.js';
import { UserError } from './errors.js';
import type { DeleteCommandOptions, DeployCommandOptions, RenderCommandOptions } from './inputs/resolve.js';
import { ensureKeda } from './keda/keda.js';
import { mask, type Platform } from './platform.js';
import { redactSecrets, toYaml } from './render/manifest.js';
import { ANNOTATION_PREFIX, type KubeObject, keysSecretName, render } from './render/render.js';
import { rollBack } from './wait/rollback.js';
import { type RolloutReport, RolloutFailure, waitForRollout } from './wait/rollout.js';

/**
 * The product sentence, top to bottom: discover and render the app, get the
 * cluster, ensure KEDA, apply, wait for the rollout to be healthy, report.
 */

export interface RenderResult {
  readonly objects: readonly KubeObject[];
  /** The YAML as the user asked to see it: Secret values redacted unless show-secrets. */
  readonly manifests: string;
}

/** discover → render → write: the `render` command and every dry run. */
export function renderApp(options: RenderCommandOptions, platform: Platform): RenderResult {
  const settingsFromExistingObjects = options.render.secretName !== undefined || options.render.configMapName !== undefined;
  const discovery = discoverApp(options.app, settingsFromExistingObjects);
  // Shown values are base64 in a Secret: mask that form too.
  for (const value of Object.values(discovery.app.settings.values)) {
    mask(platform, value);
    mask(platform, Buffer.from(value, 'utf8').toString('base64'));
  }
  for (const warning of discovery.warnings) platform.warning(warning);

  const rendered = render(discovery.app, options.render);
  for (const warning of rendered.warnings) platform.warning(warning);

  const manifests = toYaml(options.showSecrets ? rendered.objects : redactSecrets(rendered.objects));
  if (options.manifestsOutput !== undefined) {
    try {
      writeFileSync(options.manifestsOutput, manifests, { mode: options.showSecrets ? 0o600 : 0o644 });
    } catch (error) {
      throw new UserError(`input 'manifests-output': cannot write ${options.manifestsOutput} (${(error as NodeJS.ErrnoException).code})`);
    }
  }
  return { objects: rendered.objects, manifests };
}

export interface DeployResult extends RenderResult {
  readonly applied: readonly AppliedObject[];
  readonly kedaVersion?: string;
  readonly rollout?: RolloutReport;
}

export async function deployApp(options: DeployCommandOptions, platform: Platform): Promise<DeployResult> {
  const rendered = renderApp(options, platform);
  platform.setOutput('manifests', rendered.manifests);
  platform.setOutput('image', options.render.image);
  if (options.kubeconfig === undefined) {
    platform.info(`dry run: rendered ${rendered.objects.length} objects, no cluster given`);
    return { ...rendered, applied: [] };
  }
  const config = kubeConfigFrom(options.kubeconfig);
  const { name, namespace } = options.render;

  const needsKeda = rendered.objects.some((object) => object.kind === 'ScaledObject' || object.kind === 'TriggerAuthentication');
  const keda =
    needsKeda && !options.dryRun
      ? await ensureKeda(config, { ...options.keda, timeoutSeconds: options.rollout.timeoutSeconds }, (message) => platform.info(message))
      : undefined;
  if (keda?.version) platform.setOutput('keda-version', keda.version);

  const applied = await applyObjects(clientsFor(config), rendered.objects, {
    app: name,
    namespace,
    force: options.rollout.forceConflicts,
    prune: options.rollout.prune,
    dryRun: options.dryRun,
    annotations: deployRecord(options, platform),
  });
  for (const object of applied) platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
  if (applied.every((object) => object.action === 'unchanged')) platform.info('nothing changed: the cluster already runs this version');
  const deployments = rendered.objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
  platform.setOutput('deployments', JSON.stringify(deployments));
  if (options.dryRun || !options.rollout.wait) return { ...rendered, applied, kedaVersion: keda?.version };

  let rollout: RolloutReport;
  try {
    rollout = await waitForRollout(
      config,
      {
        app: name,
        namespace,
        deployments,
        scaledObjects: Object.fromEntries(
          rendered.objects
            .filter((object) => object.kind === 'ScaledObject')
            .map((object) => [object.metadata.name, (object as { spec?: { triggers?: { type: string }[] } }).spec?.triggers?.map((trigger) => trigger.type) ?? []]),
        ),
        loadBalancers: rendered.objects
          .filter((object) => object.kind === 'Service' && (object as { spec?: { type?: string } }).spec?.type === 'LoadBalancer')
          .map((object) => object.metadata.name),
      },
      options.rollout.timeoutSeconds,
    );
  } catch (error) {
    if (!(error instanceof RolloutFailure) || !options.rollout.rollbackOnFailure) throw error;
    const undone = await rollBack(config, namespace, rendered.objects);
    throw new RolloutFailure(`${error.message}; rollback-on-failure: ${undone.join('; ')} (other objects keep the new version)`);
  }
  platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
  platform.setOutput('rollout-seconds', rollout.seconds.toFixed(1));
  const address = Object.values(rollout.addresses)[0];
  if (address) platform.setOutput('service-ip', address);
  return { ...rendered, applied, kedaVersion: keda?.version, rollout };
}

/** Removes exactly this app's objects: what carries its labels, and its keys Secret (the host may rewrite its labels). */
export async function deleteApp(options: DeleteCommandOptions, platform: Platform): Promise<string[]> {
  const config = kubeConfigFrom(options.kubeconfig);
  const { objects } = clientsFor(config);
  const deleted: string[] = [];
  for (const { apiVersion, kind } of OWNED_KINDS) {
    let names: string[];
    try {
      const list = await withRetries(() => objects.list(apiVersion, kind, options.namespace, undefined, undefined, undefined, undefined, appSelector(options.name)));
      names = list.items.map((item) => item.metadata?.name ?? '');
    } catch (error) {
      if (isNotFound(error)) continue;
      throw error;
    }
    if (kind === 'Secret' && !names.includes(keysSecretName(options.name))) names.push(keysSecretName(options.name));
    for (const name of names) {
      try {
        await withRetries(() => objects.delete({ apiVersion, kind, metadata: { name, namespace: options.namespace } }, undefined, undefined, undefined, undefined, 'Background'));
        deleted.push(`${kind}/${name}`);
        platform.info(`deleted ${kind}/${name}`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }
  return deleted;
}

function clientsFor(config: KubeConfig) {
  return { objects: KubernetesObjectApi.makeApiClient(config), core: config.makeApiClient(CoreV1Api) };
}

function deployRecord(options: DeployCommandOptions, platform: Platform): Record<string, string> {
  return {
    [`${ANNOTATION_PREFIX}/image`]: options.render.image,
    ...(platform.run.commit ? { [`${ANNOTATION_PREFIX}/commit`]: platform.run.commit } : {}),
    ...(platform.run.url ? { [`${ANNOTATION_PREFIX}/run`]: platform.run.url } : {}),
  };
}
