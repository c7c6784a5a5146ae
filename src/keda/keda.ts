import {
  ApiextensionsV1Api,
  ApiregistrationV1Api,
  AppsV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  type V1APIService,
  type V1CustomResourceDefinition,
  type V1Deployment,
} from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import { apiStatus, isNotFound, withRetries } from '../cluster/status.js';
import { FIELD_MANAGER, WORKLOAD_IDENTITY_USE_LABEL } from '../inventory/labels.js';
import { untilInformed } from '../wait/informers.js';
import { kedaManager } from './installed-by.js';
import { loadManifest } from './manifest.js';
import { labelOperatorPods } from './workload-identity.js';

/**
 * The oldest KEDA whose scalers understand everything render generates (azure-workload identity, checkpointStrategy,
 * FromEnv fields).
 */
export const MINIMUM_KEDA = '2.12.0';
export const KEDA_CRDS = ['scaledobjects.keda.sh', 'triggerauthentications.keda.sh'];

export interface KedaFound {
  readonly version: string;
  readonly namespace: string;
  /** Who manages it: we may only upgrade what was installed from KEDA's manifest. */
  readonly installedBy: 'manifest' | 'helm' | 'aks-addon';
  /** What says so: ARM, or the markers Helm and AKS leave on KEDA's objects. */
  readonly evidence: string;
  /** The Helm release, when Helm's annotations name it. */
  readonly helmRelease?: { readonly name: string; readonly namespace?: string };
  /** Its operator's pods as their Deployment's template makes them. */
  readonly operator: {
    /** The service account they run as (Helm's serviceAccount.operator.name may rename it). */
    readonly serviceAccount: string;
    /** Labelled for the workload identity webhook. */
    readonly workloadIdentity: boolean;
  };
}

export type KedaMode = 'auto' | 'install' | 'addon' | 'skip';

/** What the user asked of KEDA: the KEDA stage's inputs. */
export interface KedaPolicy {
  readonly mode: KedaMode;
  readonly version: string;
  /** A mirror's copy of the manifest (http(s) URL or path); absent: the manifest the product carries. */
  readonly manifestUrl?: string;
  /** Expected SHA-256 of the manifest; absent: KEDA_MANIFEST_SHA256[version]. */
  readonly manifestSha256?: string;
}

export interface KedaOptions extends KedaPolicy {
  /**
   * What ARM says of the cluster's KEDA add-on (workloadAutoScalerProfile.keda.enabled); undefined when the cluster
   * is not reached through ARM, and only KEDA's own objects can tell.
   */
  readonly addonEnabled?: boolean;
  readonly timeoutSeconds: number;
}

export interface KedaOutcome {
  readonly version?: string;
  readonly action: 'present' | 'installed' | 'upgraded' | 'skipped';
}

/** The external metrics API every HPA KEDA makes reads: KEDA registers it for its metrics server. */
export const METRICS_APISERVICE = 'v1beta1.external.metrics.k8s.io';

/**
 * KEDA as the cluster has it, wherever and however it was installed. Where it runs is what the cluster-scoped
 * APIService that KEDA registers says (only a cluster admin writes one), never the first Deployment that happens to
 * be named keda-operator: any tenant can create one of those in their own namespace.
 */
export async function findKeda(config: KubeConfig, addonEnabled?: boolean): Promise<KedaFound | undefined> {
  const apiextensions = config.makeApiClient(ApiextensionsV1Api);
  try {
    let crd: V1CustomResourceDefinition;
    try {
      crd = await withRetries(() => apiextensions.readCustomResourceDefinition({ name: KEDA_CRDS[0] as string }));
      if (crd.metadata?.deletionTimestamp) {
        throw kedaBeingDeleted();
      }
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const namespace = await kedaNamespace(config);
    if (namespace === undefined) return undefined;
    let operator: V1Deployment;
    try {
      // Every install method (manifest, Helm, the AKS add-on) names the operator keda-operator.
      operator = await withRetries(() =>
        config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'keda-operator', namespace }),
      );
    } catch (error) {
      // The CRDs and the APIService without the operator: an install that stopped halfway.
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return describeKeda(operator, crd, namespace, addonEnabled);
  } catch (error) {
    if (apiStatus(error)?.code === 403) {
      throw new UserError(
        `checking for KEDA needs read access to CRDs, APIServices and KEDA's Deployments, which this identity ` +
          `lacks: grant it, or set keda: skip when KEDA is known to be installed`,
      );
    }
    throw error;
  }
}

/**
 * The namespace KEDA's metrics server runs in, from the APIService that routes the external metrics API to it;
 * undefined when nothing serves that API (KEDA's CRDs left behind, or an install that stopped halfway).
 */
async function kedaNamespace(config: KubeConfig): Promise<string | undefined> {
  let service: { name?: string; namespace?: string } | undefined;
  try {
    const registered = await withRetries(() =>
      config.makeApiClient(ApiregistrationV1Api).readAPIService({ name: METRICS_APISERVICE }),
    );
    service = registered.spec?.service;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  if (!service?.namespace) return undefined;
  // KEDA's manifest names it keda-metrics-apiserver, its Helm chart keda-operator-metrics-apiserver.
  if (!service.name?.startsWith('keda-')) {
    throw otherMetricsAdapter(service);
  }
  return service.namespace;
}

/** KEDA's ScaledObject CRD is being deleted: nothing of KEDA is to be applied or used. */
export function kedaBeingDeleted(): UserError {
  return new UserError(
    `KEDA is being uninstalled (its ScaledObject CRD is being deleted): wait until it is gone, then deploy again`,
  );
}

/** The external metrics API is served by another adapter than KEDA's metrics server. */
export function otherMetricsAdapter(service: { name?: string; namespace?: string }): UserError {
  return new UserError(
    `KEDA's CRDs are installed, but the external metrics API (APIService ${METRICS_APISERVICE}) is served by ` +
      `${service.namespace}/${service.name ?? ''}, not by KEDA: KEDA cannot scale anything while another metrics ` +
      `adapter holds that API`,
  );
}

export function describeKeda(
  operator: V1Deployment,
  crd: Pick<V1CustomResourceDefinition, 'metadata'>,
  namespace: string,
  addonEnabled: boolean | undefined,
): KedaFound {
  const labels = operator.metadata?.labels ?? {};
  const image = operator.spec?.template.spec?.containers[0]?.image ?? '';
  const version = (labels['app.kubernetes.io/version'] ?? image.split(':').pop() ?? '').replace(/^v/, '');
  const pods = operator.spec?.template;
  return {
    version,
    namespace,
    ...kedaManager([operator.metadata ?? {}, crd.metadata ?? {}], addonEnabled),
    operator: {
      // A pod that names no service account runs as its namespace's default one (the ServiceAccount admission
      // controller); serviceAccount is serviceAccountName's deprecated spelling.
      serviceAccount: pods?.spec?.serviceAccountName || pods?.spec?.serviceAccount || 'default',
      workloadIdentity: pods?.metadata?.labels?.[WORKLOAD_IDENTITY_USE_LABEL] === 'true',
    },
  };
}

/** KEDA present in a version render's scalers can use: installed or upgraded when the mode says so. */
export async function ensureKeda(config: KubeConfig, options: KedaOptions, log: Log): Promise<KedaOutcome> {
  if (options.mode === 'skip') return { action: 'skipped' };
  const found = await findKeda(config, options.addonEnabled);
  const plan = await planKeda(found, options, log);
  if (plan.action === 'addon') return useAddon(config, found, options, log);
  if (plan.action === 'present') return plan;
  await applyManifest(config, plan.objects);
  await waitForKeda(config, options.timeoutSeconds);
  return { version: options.version, action: plan.action };
}

/** What KEDA needs, by what is found: the add-on's, kept as it is, or the manifest's objects to apply. */
export type KedaPlan =
  | { readonly action: 'addon' }
  | { readonly action: 'present'; readonly version: string }
  | { readonly action: 'installed' | 'upgraded'; readonly objects: KubernetesObject[] };

/** Whether KEDA is to be installed or upgraded (and with which objects), refused, or used as found. */
export async function planKeda(found: KedaFound | undefined, options: KedaOptions, log: Log): Promise<KedaPlan> {
  if (options.addonEnabled === true || found?.installedBy === 'aks-addon') return { action: 'addon' };
  if (options.mode === 'addon') {
    throw new UserError(
      `input 'keda': addon, but the AKS KEDA add-on is not enabled on this cluster: enable it (az aks update ` +
        `--enable-keda), or use keda: auto`,
    );
  }
  if (found && (options.mode === 'auto' || compareVersions(found.version, options.version) >= 0)) {
    if (compareVersions(found.version, MINIMUM_KEDA) < 0) {
      throw new UserError(
        `KEDA ${found.version} in namespace ${found.namespace} is older than ${MINIMUM_KEDA}, which the ` +
          `generated scalers need: upgrade it (keda: install)`,
      );
    }
    log.info(`KEDA ${found.version} is present in namespace ${found.namespace} (${found.evidence})`);
    return { version: found.version, action: 'present' };
  }
  if (found?.installedBy === 'helm') {
    throw new UserError(
      `KEDA ${found.version} in namespace ${found.namespace} was installed by Helm (${found.evidence}): upgrade it ` +
        `with Helm, or use keda: auto; a manifest applied over a Helm release would fight it`,
    );
  }
  const manifest = await loadManifest(options);
  log.info(
    `${found ? `upgrading KEDA ${found.version} to` : 'installing KEDA'} ${options.version} from ${manifest.source}`,
  );
  return { action: found ? 'upgraded' : 'installed', objects: labelOperatorPods(manifest.objects) };
}

/**
 * The AKS add-on's KEDA: Azure's to manage, so never installed over nor upgraded, whatever the mode; its version
 * follows the cluster's Kubernetes version.
 */
async function useAddon(
  config: KubeConfig,
  found: KedaFound | undefined,
  options: KedaOptions,
  log: Log,
): Promise<KedaOutcome> {
  if (!found) {
    // Just enabled: AKS installs it in its own time.
    log.info('waiting for the AKS KEDA add-on to be ready');
    await waitForKeda(config, options.timeoutSeconds);
    return { version: (await findKeda(config, options.addonEnabled))?.version, action: 'present' };
  }
  if (compareVersions(found.version, MINIMUM_KEDA) < 0) {
    throw new UserError(
      `the AKS KEDA add-on runs KEDA ${found.version}, older than ${MINIMUM_KEDA}, which the generated ` +
        `scalers need: upgrade the cluster's Kubernetes version`,
    );
  }
  if (options.mode === 'install' && compareVersions(found.version, options.version) < 0) {
    log.warning(
      `keda: install asks for KEDA ${options.version}, but the cluster runs the AKS add-on's KEDA ` +
        `${found.version}, which only AKS upgrades (with the cluster's Kubernetes version): using it as it is`,
    );
  }
  log.info(`KEDA ${found.version} is the AKS add-on (${found.evidence}): Azure manages it`);
  return { version: found.version, action: 'present' };
}

async function applyManifest(config: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const client = KubernetesObjectApi.makeApiClient(config);
  // Definitions and the namespace before what lives in them.
  const rank = (object: KubernetesObject) =>
    object.kind === 'CustomResourceDefinition' ? 0 : object.kind === 'Namespace' ? 1 : 2;
  for (const object of [...objects].sort((a, b) => rank(a) - rank(b))) {
    await withRetries(() =>
      client.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    );
  }
}

/**
 * Until the CRDs are established and the operator in the namespace KEDA's APIService names is available, by
 * watching all three.
 */
async function waitForKeda(config: KubeConfig, timeoutSeconds: number): Promise<void> {
  const apiextensions = config.makeApiClient(ApiextensionsV1Api);
  const apiregistration = config.makeApiClient(ApiregistrationV1Api);
  const apps = config.makeApiClient(AppsV1Api);
  const crds = makeInformer<V1CustomResourceDefinition>(
    config,
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    () => apiextensions.listCustomResourceDefinition(),
  );
  const apiServices = makeInformer<V1APIService>(config, '/apis/apiregistration.k8s.io/v1/apiservices', () =>
    apiregistration.listAPIService(),
  );
  const operators = makeInformer<V1Deployment>(config, '/apis/apps/v1/deployments', () =>
    apps.listDeploymentForAllNamespaces(),
  );
  const ready = () => {
    const established = KEDA_CRDS.every((name) =>
      crds.get(name)?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'),
    );
    const namespace = apiServices.get(METRICS_APISERVICE)?.spec?.service?.namespace;
    const operator = namespace === undefined ? undefined : operators.get('keda-operator', namespace);
    return established === true && operator !== undefined && isRolledOut(operator);
  };
  await untilInformed(
    [crds, apiServices, operators] as never[],
    ready,
    timeoutSeconds,
    () => new UserError(`KEDA did not become ready within ${timeoutSeconds}s`),
  );
}

/** Available, and on its newest version: an upgrade is not done while the old pods still answer. */
export function isRolledOut(deployment: V1Deployment): boolean {
  const status = deployment.status ?? {};
  const desired = deployment.spec?.replicas ?? 1;
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired
  );
}

/** Dotted version numbers compared numerically: 2.9 < 2.10. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) =>
    version
      .replace(/^v/, '')
      .split(/[.-]/)
      .map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
