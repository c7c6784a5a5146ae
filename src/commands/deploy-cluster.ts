import { CoreV1Api, type KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { AppObjectsApi } from '../inventory/client.js';
import { type AppliedObject, applyObjects, type ApplyOptions } from '../apply/apply.js';
import { type DeployLease, requireLeasePermission, takeAppLease } from '../apply/lease.js';
import type { AzurePlan } from '../azure/azure.js';
import { type ClusterAccess, type ClusterSource, connectCluster, type RunCommandAccess } from '../cluster/connect.js';

export { connectDirectly } from '../cluster/connect.js';
import { apiStatus, isNotFound, withRetries } from '../cluster/status.js';
import type { FunctionApp } from '../discovery/model.js';
import { describeFailure, UserError } from '../errors.js';
import {
  appLabels,
  deployRecordAnnotations,
  keysSecretName,
  SETTINGS_HASH_KEY_ANNOTATION,
} from '../inventory/labels.js';
import { ensureKeda, findKeda } from '../keda/keda.js';
import { kedaOperatorWarning, OPERATOR } from '../keda/workload-identity.js';
import type { FederationPlan, FederationPolicy } from '../azure/federation.js';
import { federationNeeds } from '../azure/federation-needs.js';
import { mask, type Platform } from '../platform.js';
import { isSettingsHashKey, newSettingsHashKey } from '../render/objects.js';
import type { KubeObject } from '../render/render.js';
import { readEndpoints } from '../report/endpoints.js';
import { type DeployRecord, type DeployResult, stage, timed } from '../report/record.js';
import type { RolloutReport } from '../wait/rollout.js';
import { rolloutTargets, watchRollout } from '../wait/watch.js';
import type { ApplyPolicy } from '../apply/apply.js';
import type { KedaPolicy } from '../keda/keda.js';
import type { RolloutOptions } from '../wait/watch.js';
import type { PreparedPrivateCluster } from './deploy-private.js';

/**
 * The deploy's cluster half: connect and make sure of KEDA, apply, wait for
 * the rollout, read where the app answers. Loaded (with client-node) only by
 * a deploy that reaches a cluster.
 */

/** What the cluster half reads of the deploy command's options. */
export interface ClusterStagesOptions {
  readonly render: { readonly name: string; readonly namespace: string };
  readonly showSecrets: boolean;
  /** Server-side dry run: nothing is built, and the cluster keeps nothing. */
  readonly dryRun: boolean;
  readonly keda: KedaPolicy;
  /** Whether the deploy creates the federated credentials its managed identities lack, or only warns of them. */
  readonly federation: FederationPolicy;
  readonly apply: ApplyPolicy;
  readonly rollout: RolloutOptions;
}

export interface PreparedDirectCluster {
  readonly config: KubeConfig;
  readonly kedaVersion?: string;
  /** The settings-hash key to render with, when the app has a generated settings Secret. */
  readonly settingsHashKey?: string;
  /** The federated credentials the app's identities lack: checked, created only once the apply's checks pass. */
  readonly federation?: FederationPlan;
}

/** The API server directly, or a private cluster through AKS run command. */
export type PreparedCluster = PreparedDirectCluster | PreparedPrivateCluster;

/** What the rendered app needs of the cluster. */
export interface ClusterNeeds {
  /** What will be applied (with the planned image): a private cluster's state is read for these. */
  readonly objects: readonly KubeObject[];
  readonly keda: boolean;
  /** The app has a generated settings Secret, whose settings-hash key the cluster may already hold. */
  readonly settingsHashKey: boolean;
  /** The app's managed identities (workload identity), and the rendered objects that name them. */
  readonly identity?: { readonly clientIds: readonly string[]; readonly objects: readonly KubeObject[] };
}

/**
 * Connects to the cluster, plans the federated credentials (reading only), then makes sure of KEDA: the AKS add-on
 * enabled when asked for, else KEDA found or installed. Reads the settings-hash key the app's settings Secret carries.
 */
export async function prepareCluster(
  cluster: ClusterSource | ClusterAccess,
  azure: AzurePlan | undefined,
  options: Pick<ClusterStagesOptions, 'keda' | 'dryRun' | 'rollout' | 'render' | 'federation'>,
  needs: ClusterNeeds,
  platform: Platform,
): Promise<PreparedCluster> {
  const access: ClusterAccess | RunCommandAccess =
    'config' in cluster ? cluster : await connectCluster(cluster, azure, platform);
  // The run-command path (and its module) only for a private cluster this runner cannot reach.
  if ('runCommand' in access)
    return (await import('./deploy-private.js')).preparePrivateCluster(access, options, needs, platform);
  const { name, namespace } = options.render;
  // Checked before KEDA or anything in the cluster changes; the credentials are written only after the apply's checks.
  const federation = needs.identity ? await planAppFederation(access, options, needs.identity, platform) : undefined;
  if (federation?.missing && options.dryRun && options.federation.mode === 'ensure')
    platform.info(`dry run: ${federation.missing} federated credentials would be created`);
  // The key and KEDA at once, and both finished before either's failure is reported: an install of KEDA is never
  // left running unseen.
  const [key, keda] = await Promise.allSettled([
    needs.settingsHashKey
      ? clusterSettingsHashKey(access.config.makeApiClient(CoreV1Api), name, namespace)
      : Promise.resolve(undefined),
    ensureKedaFor(access, options, needs.keda, platform),
  ]);
  if (key.status === 'rejected') throw key.reason;
  if (keda.status === 'rejected') throw keda.reason;
  if (key.value !== undefined) mask(platform, key.value);
  if (needs.identity && needs.keda && options.keda.mode !== 'skip') {
    const warning = kedaOperatorWarning(await findKeda(access.config, access.kedaAddon), needs.identity.objects);
    if (warning) platform.warning(warning);
  }
  return { config: access.config, kedaVersion: keda.value, settingsHashKey: key.value, federation };
}

/**
 * The federated credentials the app's identities need on the cluster's OIDC issuer: its service accounts, and KEDA's
 * operator as it runs (its Deployment's service account, where KEDA's APIService says) or will (the add-on's or
 * KEDA's manifest's keda-operator, in kube-system or keda). Only AKS clusters are reached through ARM; for a
 * kubeconfig they are the user's to make.
 */
async function planAppFederation(
  access: ClusterAccess,
  options: Pick<ClusterStagesOptions, 'keda' | 'federation'>,
  identity: NonNullable<ClusterNeeds['identity']>,
  platform: Platform,
): Promise<FederationPlan | undefined> {
  if (!access.planFederation) {
    platform.warning(
      `the cluster is given by kubeconfig, so the federated credentials of managed identity ` +
        `${identity.clientIds.join(', ')} are not checked: each needs one for the app's service accounts on the ` +
        `cluster's OIDC issuer (and KEDA's operator for its scalers)`,
    );
    return undefined;
  }
  const found = await findKeda(access.config, access.kedaAddon);
  const kedaOperator = found
    ? { namespace: found.namespace, serviceAccount: found.operator.serviceAccount }
    : {
        namespace: access.kedaAddon || options.keda.mode === 'addon' ? 'kube-system' : 'keda',
        serviceAccount: OPERATOR,
      };
  const needs = federationNeeds(identity.objects, identity.clientIds, kedaOperator);
  return access.planFederation(needs, options.federation, platform);
}

/** The AKS add-on enabled when asked for, else KEDA found or installed; the version found, if any. */
async function ensureKedaFor(
  access: ClusterAccess,
  options: Pick<ClusterStagesOptions, 'keda' | 'dryRun' | 'rollout'>,
  needsKeda: boolean,
  platform: Platform,
): Promise<string | undefined> {
  let addonEnabled = access.kedaAddon;
  if (options.keda.mode === 'addon' && !addonEnabled && !options.dryRun && access.enableKedaAddon) {
    platform.info('AKS: enabling the KEDA add-on');
    await access.enableKedaAddon();
    addonEnabled = true;
  }
  if (!needsKeda || options.dryRun) return undefined;
  const kedaOptions = { ...options.keda, timeoutSeconds: options.rollout.timeoutSeconds, addonEnabled };
  return (await ensureKeda(access.config, kedaOptions, platform)).version;
}

/**
 * The settings-hash key of the app's settings Secret in the cluster, so unchanged settings keep their hash and
 * roll no pod; a new key when there is none, or when the Secret is not labelled as the app's (a key another
 * party chose is not trusted).
 */
export async function clusterSettingsHashKey(
  core: Pick<CoreV1Api, 'readNamespacedSecret'>,
  app: string,
  namespace: string,
): Promise<string> {
  let secret: V1Secret | undefined;
  try {
    secret = await withRetries(() => core.readNamespacedSecret({ name: app, namespace }));
  } catch (error) {
    if (apiStatus(error)?.code === 403)
      throw new UserError(
        `reading Secret/${app} in namespace ${namespace} (its settings-hash key) is forbidden: grant this identity ` +
          'get on secrets there',
      );
    if (!isNotFound(error)) throw error;
  }
  const labels = secret?.metadata?.labels ?? {};
  const owned = Object.entries(appLabels(app)).every(([label, value]) => labels[label] === value);
  const key = secret?.metadata?.annotations?.[SETTINGS_HASH_KEY_ANNOTATION];
  return owned && isSettingsHashKey(key) ? key : newSettingsHashKey();
}

/** Apply, then wait for the rollout, holding the app's deploy Lease from the first object to the end of the wait. */
export async function applyAndWait(
  prepared: PreparedCluster,
  app: FunctionApp,
  objects: readonly KubeObject[],
  options: ClusterStagesOptions,
  platform: Platform,
  record: DeployRecord,
): Promise<DeployResult> {
  if ('access' in prepared)
    return (await import('./deploy-private.js')).applyAndWaitPrivate(prepared, objects, options, platform, record);
  const { config, federation } = prepared;
  const { name, namespace } = options.render;
  let lease: DeployLease | undefined;
  const takeLease = async () => {
    if (options.dryRun) return;
    const deadline = Date.now() + options.rollout.timeoutSeconds * 1000;
    lease = await takeAppLease(config, namespace, name, options.apply.lease, deadline, platform.run, platform);
    record.leaseHeld = lease !== undefined;
  };
  try {
    const applied = await stage(record, platform, 'Apply', async () => {
      if (options.apply.lease === 'required' && !options.dryRun) await requireLeasePermission(config, namespace);
      // The federated credentials are the deploy's first change outside the cluster: made once every check passed.
      const beforeChanges = options.dryRun ? undefined : federation?.create;
      return timed(record, 'apply', () =>
        applyStage(config, objects, options, { takeLease, beforeChanges }, platform, record),
      );
    });
    record.deployments = objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
    const image = record.image as string;
    const result = { objects, manifests: record.manifests as string, image, applied, kedaVersion: record.kedaVersion };
    if (options.dryRun || !options.rollout.wait) return result;

    // Awaited here, so the lease is held until the wait is over.
    return await stage(record, platform, 'Wait for the rollout', async () => {
      const targets = rolloutTargets(name, namespace, objects, image);
      const rollout = await timed(record, 'rollout', () => watchRollout(config, objects, targets, options.rollout));
      for (const warning of rollout.warnings) platform.warning(warning);
      for (const proof of rollout.proofs) {
        if (proof.how === 'verification pod ready' && proof.why !== undefined)
          platform.warning(`Deployment/${proof.deployment}: its new version is proven, but its ${proof.why}`);
        else if (proof.how === 'verification pod ready')
          platform.info(
            `Deployment/${proof.deployment}: its new version, which KEDA keeps at zero replicas, became ready in a ` +
              `verification pod that took no event (${proof.seconds?.toFixed(1)}s); the pod is removed`,
          );
        if (proof.how === 'not proven')
          platform.warning(
            `Deployment/${proof.deployment}: its new version, which KEDA keeps at zero replicas, is not proven to ` +
              `start (it will first run on the first event): ${proof.why}`,
          );
      }
      platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
      record.rollout = rollout;
      await reportEndpoints(config, app, objects, options, rollout, platform, record);
      return { ...result, rollout, serviceIp: record.serviceIp, functionUrls: record.functionUrls };
    });
  } finally {
    await lease?.release();
  }
}

async function applyStage(
  config: KubeConfig,
  objects: readonly KubeObject[],
  options: ClusterStagesOptions,
  hooks: Pick<ApplyOptions, 'takeLease' | 'beforeChanges'>,
  platform: Platform,
  record: DeployRecord,
): Promise<AppliedObject[]> {
  const clients = { objects: AppObjectsApi.forConfig(config), core: config.makeApiClient(CoreV1Api) };
  const applied = await applyObjects(clients, objects, {
    ...options.apply,
    app: options.render.name,
    namespace: options.render.namespace,
    dryRun: options.dryRun,
    annotations: deployRecordAnnotations(record.image as string, platform.run),
    ...hooks,
    onApplied: (object) => {
      record.applied.push(object);
      platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
    },
  });
  if (applied.every((object) => object.action === 'unchanged'))
    platform.info('nothing changed: the cluster already runs this version');
  return applied;
}

/**
 * The service address and function URLs of a healthy app, into the record;
 * keys only with show-secrets, and masked before anything can print them. A
 * report that cannot be made must not turn the deploy into a failure.
 */
async function reportEndpoints(
  config: KubeConfig,
  app: FunctionApp,
  objects: readonly KubeObject[],
  options: ClusterStagesOptions,
  rollout: RolloutReport,
  platform: Platform,
  record: DeployRecord,
): Promise<void> {
  const service = objects.find((object) => object.kind === 'Service')?.metadata.name;
  if (service === undefined) return;
  const { name, namespace } = options.render;
  try {
    const endpoints = await readEndpoints(config.makeApiClient(CoreV1Api), {
      app,
      namespace,
      service,
      loadBalancerAddress: rollout.addresses[service],
      keysSecret: keysSecretName(name),
      includeKeys: options.showSecrets,
    });
    const { urls, keysUsed, missingKeys } = endpoints.functionUrls;
    // URLs carry keys URL-encoded: mask that spelling too.
    for (const key of keysUsed) [key, encodeURIComponent(key)].forEach((form) => mask(platform, form));
    Object.assign(record, {
      serviceIp: endpoints.serviceIp,
      functionUrls: urls,
      functionUrlsHaveKeys: keysUsed.length > 0,
    });
    if (missingKeys.length > 0 && options.showSecrets) {
      const why =
        endpoints.keysUnreadable ??
        `the Functions host has not written its keys to Secret ${keysSecretName(name)} yet (it does on first start)`;
      platform.info(`no key in the URLs of ${missingKeys.join(', ')}: ${why}`);
    }
  } catch (error) {
    platform.warning(
      `deployed, but the service address and function URLs could not be read: ${describeFailure(error).message}`,
    );
  }
}
