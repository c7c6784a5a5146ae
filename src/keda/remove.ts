/** Removing a KEDA this product installed: exactly the objects of its manifest, after everything KEDA manages. */
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type KubernetesObjectApi,
  makeInformer,
  type V1CustomResourceDefinition,
  type V1Namespace,
} from '@kubernetes/client-node';
import { apiStatus } from '../cluster/status.js';
import { describeFailure, UserError } from '../errors.js';
import { AppObjectsApi } from '../inventory/client.js';
import type { Log } from '../platform.js';
import { untilInformed } from '../wait/informers.js';
import { kedaManager } from './installed-by.js';
import { findKeda, type KedaFound } from './keda.js';
import { loadManifest } from './manifest.js';
import { KEDA_MANIFEST_SHA256 } from './releases.js';
import {
  type CustomKind,
  type Deletion,
  fewOf,
  type ListedObject,
  notFromManifest,
  refusals,
  type RemovalPlan,
  removalPlan,
  SCALING_KINDS,
  shownObject,
} from './removal-plan.js';
import { checkKedaOnly, deleteLeftByKeda, deleteListed, presentObjects, unlessNotFound } from './remove-objects.js';

/** The KEDA removal's inputs. */
export interface KedaRemovalPolicy {
  /** Delete every ScaledObject and ScaledJob first instead of refusing while one exists. */
  readonly force: boolean;
  /** One deadline for the whole removal. */
  readonly timeoutSeconds: number;
  /** The manifest KEDA was installed from, for a version the product does not carry. */
  readonly manifestUrl?: string;
  readonly manifestSha256?: string;
}

export interface KedaRemovalOptions extends KedaRemovalPolicy {
  /** What ARM says of the AKS KEDA add-on; undefined for a cluster not reached through ARM. */
  readonly addonEnabled?: boolean;
  /** The AKS cluster, to name in the add-on's `az aks update`. */
  readonly aksCluster?: { readonly resourceGroup: string; readonly clusterName: string };
}

export type KedaRemovalOutcome =
  { readonly action: 'absent' } | { readonly action: 'removed'; readonly version: string };

/** Where every KEDA manifest installs KEDA (the only namespace deploy's keda-namespace accepts). */
const MANIFEST_NAMESPACE = 'keda';
const SCALED_OBJECT_CRD = 'scaledobjects.keda.sh';

/**
 * Removes the KEDA this product installed from KEDA's manifest: KEDA's own objects in every namespace first (refused
 * while one scales something, unless forced), while its operator still runs their finalizers; then the manifest's
 * objects, in removalPlan's order; then waits until its CRDs and its namespace are gone.
 */
export async function uninstallKeda(
  config: KubeConfig,
  options: KedaRemovalOptions,
  log: Log,
): Promise<KedaRemovalOutcome> {
  const installed = await forbiddenAsUserError(() => installedKeda(config, options));
  if (installed === undefined) {
    log.info('no KEDA installed by aks-functions-deploy in this cluster: nothing to remove');
    return { action: 'absent' };
  }
  const client = AppObjectsApi.forConfig(config);
  const { plan, present, source } = await forbiddenAsUserError(() => ourKeda(client, installed, options));
  const { version } = installed;
  // One being deleted already is on its way out: the removal waits for it.
  const scaling = (
    await forbiddenAsUserError(() =>
      listCustom(
        config,
        plan.customKinds.filter((kind) => SCALING_KINDS.includes(kind.kind)),
      ),
    )
  ).filter((object) => object.metadata?.deletionTimestamp === undefined);
  if (scaling.length > 0 && !options.force) throw new UserError(refusals.inUse(scaling, version));
  await forbiddenAsUserError(() => checkKedaOnly(config, plan));
  log.info(`removing KEDA ${version} from namespace ${plan.namespace}, as installed from ${source}`);
  const started = Date.now();
  const deadline: Deadline = { at: started + options.timeoutSeconds * 1000, seconds: options.timeoutSeconds };
  // Its failure leaves KEDA itself as it was, and says so.
  await removeCustomResources(config, plan, deadline, log);
  try {
    await deleteListed(client, plan.deletions, present, log);
    log.info(`waiting until KEDA's CRDs and namespace ${plan.namespace} are gone`);
    await untilRemoved(config, plan, deadline);
  } catch (error) {
    throw await withWhatIsLeft(error, client, plan, log);
  }
  log.info(`KEDA ${version} removed in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return { action: 'removed', version };
}

/**
 * The KEDA version the cluster has, refusing a KEDA that AKS or Helm manages or that runs outside the manifest's
 * namespace. Found as keda.ts finds it (the operator where KEDA's APIService says); when nothing runs, what an install
 * or a removal that stopped halfway left, by its first and last objects (the ScaledObject CRD, the namespace).
 */
async function installedKeda(
  config: KubeConfig,
  options: KedaRemovalOptions,
): Promise<Pick<KedaFound, 'version' | 'namespace'> | undefined> {
  if (options.addonEnabled === true)
    throw new UserError(refusals.addon('ARM: the add-on is enabled', options.aksCluster));
  const crd = await unlessNotFound(() =>
    config.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: SCALED_OBJECT_CRD }),
  );
  // A CRD being deleted: a removal under way, or one that stopped while waiting for it.
  const found = crd && !crd.metadata?.deletionTimestamp ? await findKeda(config) : undefined;
  if (found) {
    refuseManagedElsewhere(found, options);
    if (found.namespace !== MANIFEST_NAMESPACE)
      throw new UserError(refusals.otherNamespace(found.version, found.namespace, MANIFEST_NAMESPACE));
    return found;
  }
  const namespace = await unlessNotFound(() =>
    config.makeApiClient(CoreV1Api).readNamespace({ name: MANIFEST_NAMESPACE }),
  );
  const left = [crd, namespace].find(
    (object): object is V1CustomResourceDefinition | V1Namespace =>
      object?.metadata?.labels?.['app.kubernetes.io/part-of'] === 'keda-operator',
  );
  if (left === undefined) return undefined;
  const version = left.metadata?.labels?.['app.kubernetes.io/version'] ?? '';
  refuseManagedElsewhere(
    { version, namespace: MANIFEST_NAMESPACE, ...kedaManager([left.metadata ?? {}], undefined) },
    options,
  );
  return { version, namespace: MANIFEST_NAMESPACE };
}

function refuseManagedElsewhere(
  found: Pick<KedaFound, 'version' | 'namespace' | 'installedBy' | 'evidence' | 'helmRelease'>,
  options: KedaRemovalOptions,
): void {
  if (found.installedBy === 'aks-addon') {
    throw new UserError(
      options.addonEnabled === false
        ? refusals.addonGoing(found.evidence)
        : refusals.addon(found.evidence, options.aksCluster),
    );
  }
  if (found.installedBy === 'helm') throw new UserError(refusals.helm(found, found.helmRelease));
}

/**
 * The manifest of the installed version, its plan, and which of its objects the cluster has: refused unless every
 * one of them is this product's, applied from that manifest.
 */
async function ourKeda(
  client: KubernetesObjectApi,
  installed: Pick<KedaFound, 'version' | 'namespace'>,
  options: KedaRemovalPolicy,
): Promise<{ plan: RemovalPlan; present: ReadonlyMap<Deletion, KubernetesObject>; source: string }> {
  const { version, namespace } = installed;
  if (KEDA_MANIFEST_SHA256[version] === undefined && (!options.manifestUrl || !options.manifestSha256))
    throw new UserError(refusals.notCarried(version, namespace, Object.keys(KEDA_MANIFEST_SHA256)));
  const manifest = await loadManifest({ mode: 'install', version, ...options });
  const plan = removalPlan(manifest.objects);
  if (plan.version !== version) throw new UserError(refusals.otherManifest(manifest.source, plan.version, version));
  if (plan.namespace !== namespace) throw new UserError(refusals.otherNamespace(version, namespace, plan.namespace));
  const present = await presentObjects(client, plan.deletions);
  const managedElsewhere = kedaManager(
    [...present.values()].map((object) => object.metadata ?? {}),
    undefined,
  );
  if (managedElsewhere.installedBy !== 'manifest')
    refuseManagedElsewhere({ version, namespace, ...managedElsewhere }, options);
  const foreign = [...present].flatMap(([{ object }, found]) => {
    const why = notFromManifest(object, found);
    return why === undefined ? [] : [`${shownObject(object)} ${why}`];
  });
  if (foreign.length > 0) throw new UserError(refusals.notOurs(version, namespace, foreign));
  return { plan, present, source: manifest.source };
}

/** Every object of the given KEDA kinds in the cluster, in the kinds' order; none of a kind whose CRD is gone. */
async function listCustom(config: KubeConfig, kinds: readonly CustomKind[]): Promise<ListedObject[]> {
  const custom = config.makeApiClient(CustomObjectsApi);
  const lists = await Promise.all(
    kinds.map(async ({ group, version, plural, kind }) => {
      const items = await unlessNotFound(
        async () =>
          ((await custom.listClusterCustomObject({ group, version, plural })) as KubernetesListObject<KubernetesObject>)
            .items,
      );
      return (items ?? []).map((item) => ({ ...item, kind }));
    }),
  );
  return lists.flat();
}

/**
 * Deletes every object of KEDA's kinds, in every namespace, and waits until KEDA's operator has finalized them:
 * it stops their scaling, and a ScaledObject that asks for it gets its target's replicas back; then what they owned
 * (HPAs, Jobs). Once the operator is gone nothing would finalize them, and the CRDs could never go.
 */
async function removeCustomResources(
  config: KubeConfig,
  plan: RemovalPlan,
  deadline: Deadline,
  log: Log,
): Promise<void> {
  const objects = await listCustom(config, plan.customKinds);
  if (objects.length > 0) await deleteUntilFinalized(config, plan, objects, deadline, log);
  // None is left unless one was made meanwhile: what KEDA made for the others goes.
  const living = await listCustom(
    config,
    plan.customKinds.filter((kind) => SCALING_KINDS.includes(kind.kind)),
  );
  await deleteLeftByKeda(config, new Set(living.map((object) => object.metadata?.uid as string)), log);
}

/** Deletes KEDA's objects and waits until its operator has finalized them. */
async function deleteUntilFinalized(
  config: KubeConfig,
  plan: RemovalPlan,
  objects: readonly ListedObject[],
  deadline: Deadline,
  log: Log,
): Promise<void> {
  const custom = config.makeApiClient(CustomObjectsApi);
  const kindOf = new Map(plan.customKinds.map((kind) => [kind.kind, kind]));
  for (const object of objects.filter(({ metadata }) => metadata?.deletionTimestamp === undefined)) {
    const { group, version, plural } = kindOf.get(object.kind as string) as CustomKind;
    const { name, namespace } = object.metadata as { name: string; namespace?: string };
    // Not in the foreground, which would wait on a garbage collector that may not map KEDA's kinds: what they owned is
    // seen to below.
    const propagationPolicy = 'Background';
    await unlessNotFound(() =>
      namespace === undefined
        ? custom.deleteClusterCustomObject({ group, version, plural, name, propagationPolicy })
        : custom.deleteNamespacedCustomObject({ group, version, plural, namespace, name, propagationPolicy }),
    );
    log.info(`deleted ${shownObject(object)}`);
  }
  log.info(`waiting for KEDA's operator to finalize ${objects.length} object${objects.length === 1 ? '' : 's'}`);
  const kinds = plan.customKinds.filter((kind) => objects.some((object) => object.kind === kind.kind));
  const informers = new Map(
    kinds.map(({ kind, group, version, plural }) => [
      kind,
      makeInformer(config, `/apis/${group}/${version}/${plural}`, () =>
        custom.listClusterCustomObject({ group, version, plural }),
      ),
    ]),
  );
  const remaining = () =>
    objects.filter(({ kind, metadata }) =>
      informers.get(kind as string)?.get(metadata?.name as string, metadata?.namespace),
    );
  await untilInformed(
    [...informers.values()],
    () => remaining().length === 0,
    secondsLeft(deadline),
    () =>
      new UserError(
        `KEDA's operator did not finalize ${fewOf(remaining().map(shownObject))} (finalizer.keda.sh) within the ` +
          `${deadline.seconds}s of --timeout: check that it runs in namespace ${plan.namespace}, then run ` +
          `remove-keda again; KEDA itself is untouched`,
      ),
  );
}

/** Until the manifest's CRDs and its namespace are gone: all else goes at once, or with the namespace. */
async function untilRemoved(config: KubeConfig, plan: RemovalPlan, deadline: Deadline): Promise<void> {
  const apiextensions = config.makeApiClient(ApiextensionsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const crds = makeInformer(config, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', () =>
    apiextensions.listCustomResourceDefinition(),
  );
  const namespaces = makeInformer(config, '/api/v1/namespaces', () => core.listNamespace());
  await untilInformed(
    [crds, namespaces] as never[],
    () => plan.crds.every((name) => crds.get(name) === undefined) && namespaces.get(plan.namespace) === undefined,
    secondsLeft(deadline),
    () =>
      new UserError(
        `KEDA's CRDs and namespace were deleted, but are not gone within the ${deadline.seconds}s of --timeout`,
      ),
  );
}

/** A failure once KEDA's own objects began to go, with what of them is left: the next run takes it from there. */
async function withWhatIsLeft(
  error: unknown,
  client: KubernetesObjectApi,
  plan: RemovalPlan,
  log: Log,
): Promise<unknown> {
  const failure = describeFailure(error);
  const left = await presentObjects(client, plan.deletions).then(
    (present) => [...present.keys()].map(({ object }) => shownObject(object)),
    () => undefined,
  );
  const what =
    left === undefined
      ? 'what is left could not be read'
      : left.length === 0
        ? 'nothing of its manifest is left'
        : `left: ${fewOf(left)}`;
  if (!failure.expected) {
    log.warning(`KEDA's removal stopped: ${what}`);
    return error;
  }
  return new UserError(`${failure.message}; ${what}; run remove-keda again to finish`);
}

/** When the removal must be done by, and the --timeout that set it. */
interface Deadline {
  readonly at: number;
  readonly seconds: number;
}

function secondsLeft(deadline: Deadline): number {
  return Math.max(1, Math.ceil((deadline.at - Date.now()) / 1000));
}

/** KEDA is cluster-wide: an identity that may not read or delete all of it cannot remove it. */
async function forbiddenAsUserError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const status = apiStatus(error);
    if (status?.code !== 403) throw error;
    throw new UserError(
      `removing KEDA needs a cluster admin (its CRDs, APIService, webhooks, cluster roles and every namespace's ` +
        `ScaledObjects): the Kubernetes API answered 403: ${status.message ?? status.reason ?? ''}`,
    );
  }
}
