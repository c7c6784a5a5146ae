import { type AzureOptions, planAzure } from '../azure/azure.js';
import type { ClusterSource } from '../cluster/connect.js';
import type { AppSource } from '../discovery/discover.js';
import { describeFailure } from '../errors.js';
import { obtainImage } from '../image/image.js';
import { logsInWithAzure } from '../image/login.js';
import { type ImageOptions, planImage } from '../image/plan.js';
import { SETTINGS_HASH_KEY_ANNOTATION } from '../inventory/labels.js';
import type { Platform } from '../platform.js';
import { appIdentity } from '../render/identity.js';
import { render, type RenderOptions } from '../render/render.js';
import { type DeployRecord, type DeployResult, publishDeploy, stage, timed } from '../report/record.js';
import type { ClusterStagesOptions } from './deploy-cluster.js';
import { appSummary, checkManifestsOutput, discoverStage, renderStage, writeManifests } from './render.js';

/**
 * The product sentence, top to bottom: discover and render the app, sign in,
 * get the image and the cluster (with KEDA), apply, wait for a healthy
 * rollout, report. Each stage writes into the deploy record; publishDeploy
 * publishes it.
 */

export interface DeployCommandOptions extends ClusterStagesOptions {
  readonly app: AppSource;
  /** The image comes from the image stage. */
  readonly render: Omit<RenderOptions, 'image'>;
  readonly image: ImageOptions;
  readonly manifestsOutput?: string;
  /** The values of the inputs that are not secret: a setting equal to one is not masked. */
  readonly shownInputs: ReadonlySet<string>;
  /** Absent: render only, no cluster to deploy to. */
  readonly cluster?: ClusterSource;
  readonly azure: AzureOptions;
}

export function deployApp(options: DeployCommandOptions, platform: Platform): Promise<DeployResult> {
  return publishDeploy(platform, (record) => deployStages(options, platform, record));
}

async function deployStages(
  options: DeployCommandOptions,
  platform: Platform,
  record: DeployRecord,
): Promise<DeployResult> {
  // Everything checkable is checked before the first change: the app renders, the build can start, the identity is
  // complete.
  const { app, planned, objects } = await stage(record, platform, 'Discover and render the app', async () => {
    checkManifestsOutput(options.manifestsOutput);
    const app = await discoverStage(options, platform);
    const planned = await planImage(options.image, platform.run.commit, options.dryRun || !options.cluster);
    for (const warning of planned.warnings) platform.warning(warning);
    const objects = renderStage(app, { ...options.render, image: planned.reference }, platform);
    for (const line of appSummary(app, objects)) platform.info(line);
    return { app, planned, objects };
  });
  record.manifestsHaveSecrets = options.showSecrets;
  if (options.cluster === undefined) {
    const manifests = (record.manifests = writeManifests(objects, options));
    record.image = planned.reference;
    platform.info(`dry run: rendered ${objects.length} objects, no cluster given`);
    return { objects, manifests, image: planned.reference, applied: [] };
  }
  const cluster = options.cluster;
  record.timed = true;
  const registryAzure = logsInWithAzure(options.image, options.azure.cloud);
  const azure = 'aks' in cluster || registryAzure ? planAzure(options.azure, platform) : undefined;
  // Sign in before anything starts: a wrong identity or cloud is known before a build or the cluster changes.
  if (azure) await stage(record, platform, 'Sign in to Azure', () => timed(record, 'signIn', () => azure.session()));

  // The cluster's half (client-node, KEDA, apply, wait) loads only for a deploy that reaches a cluster.
  const clusterStages = await import('./deploy-cluster.js');
  // A kubeconfig is read before anything is built: a bad one stops the deploy with nothing changed. (AKS credentials
  // come through ARM while the image builds.)
  const connected = 'kubeconfig' in cluster ? await clusterStages.connectDirectly(cluster, azure, platform) : undefined;
  // The warnings were shown when it rendered.
  const identity = appIdentity(app.settings, options.render.workloadIdentity, () => undefined);
  const needs = {
    objects,
    identity: identity ? { clientIds: identity.clientIds, objects } : undefined,
    keda: objects.some((object) => ['ScaledObject', 'TriggerAuthentication'].includes(object.kind)),
    settingsHashKey: objects.some(
      (object) => object.metadata.annotations?.[SETTINGS_HASH_KEY_ANNOTATION] !== undefined,
    ),
  };
  // The build never waits for the cluster, nor the cluster for the build: one heading for both, as their lines
  // interleave.
  const [image, prepared] = await stage(record, platform, 'Build the image and prepare the cluster', () =>
    bothSettled(
      platform,
      timed(record, 'image', () => obtainImage(planned, registryAzure ? azure : undefined, platform)),
      timed(record, 'cluster', () =>
        clusterStages.prepareCluster(connected ?? cluster, azure, options, needs, platform),
      ),
    ),
  );
  Object.assign(record, { image: image.image, digest: image.digest, kedaVersion: prepared.kedaVersion });
  // Same app, same options, only the image and the settings-hash key may differ: the warnings were shown already.
  // The first render could not know the cluster's key; what is applied must carry it.
  const { settingsHashKey } = prepared;
  const final =
    image.image === planned.reference && settingsHashKey === undefined
      ? objects
      : render(app, { ...options.render, image: image.image, settingsHashKey }).objects;
  record.manifests = writeManifests(final, options);
  return clusterStages.applyAndWait(prepared, app, final, options, platform, record);
}

/**
 * Both results once both have finished, so a failure never leaves the other
 * half running unseen. When both fail, the second reason is not lost: it is
 * shown as a warning, and the first becomes the error.
 */
async function bothSettled<A, B>(platform: Platform, first: Promise<A>, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (
    a.status === 'rejected' &&
    b.status === 'rejected' &&
    describeFailure(a.reason).message !== describeFailure(b.reason).message
  ) {
    platform.warning(`also failed: ${describeFailure(b.reason).message}`);
  }
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
