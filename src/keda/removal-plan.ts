/**
 * What removing KEDA deletes and in what order, read from the manifest it was installed from, and what the command
 * says when it will not remove it. Pure: remove.ts reads the cluster and acts on it.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { FIELD_MANAGER } from '../inventory/labels.js';

/** An object of KEDA's manifest, as the manifest names it. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
}

/** A kind one of KEDA's CRDs defines: KEDA's operator finalizes every object of it, so they go while it runs. */
export interface CustomKind {
  readonly kind: string;
  readonly group: string;
  /** The version the CRD stores. */
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/** One object to delete, and how its dependents go with it. */
export interface Deletion {
  readonly object: ManifestObject;
  readonly propagation: 'Foreground' | 'Background';
}

export interface RemovalPlan {
  /** The KEDA version the manifest installs, by its operator's version label. */
  readonly version?: string;
  /** Where the manifest puts KEDA. */
  readonly namespace: string;
  /** What KEDA's CRDs define: what scales (ScaledObject, ScaledJob) first. */
  readonly customKinds: readonly CustomKind[];
  /** The manifest's objects, in the order they are deleted. */
  readonly deletions: readonly Deletion[];
  /** The CRDs' names: gone only once every object of their kinds is. */
  readonly crds: readonly string[];
}

/** The kinds whose objects scale something: while one exists, KEDA is in use. */
export const SCALING_KINDS = ['ScaledObject', 'ScaledJob'];
const VERSION_LABEL = 'app.kubernetes.io/version';

/**
 * First the routes into KEDA (its APIService and admission webhooks), so that no request reaches a KEDA that is
 * going: an APIService whose server is gone fails discovery for every client and stalls the deletion of every
 * namespace (the namespace controller needs every API group to answer). Then KEDA's programs and what lives beside
 * them, its CRDs, its cluster-wide RBAC, and its namespace last: it goes with whatever KEDA made in it.
 */
function rank(object: ManifestObject): number {
  switch (object.kind) {
    case 'APIService':
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      return 0;
    case 'Deployment':
      return 1;
    case 'CustomResourceDefinition':
      return 3;
    case 'Namespace':
      return 5;
    default:
      return object.metadata.namespace === undefined ? 4 : 2;
  }
}

/** The plan of KEDA's removal from the objects of the manifest it was installed from. */
export function removalPlan(objects: readonly KubernetesObject[]): RemovalPlan {
  const manifest = objects.filter(
    (object): object is ManifestObject => object.apiVersion !== undefined && object.kind !== undefined,
  );
  const crds = manifest.filter((object) => object.kind === 'CustomResourceDefinition');
  const namespace = manifest.find((object) => object.kind === 'Namespace')?.metadata.name;
  if (namespace === undefined) throw new Error('a KEDA manifest without its Namespace');
  const operator = manifest.find((object) => object.kind === 'Deployment' && object.metadata.name === 'keda-operator');
  // ScaledObject, ScaledJob, then the rest.
  const scalingFirst = (kind: CustomKind) => {
    const index = SCALING_KINDS.indexOf(kind.kind);
    return index < 0 ? SCALING_KINDS.length : index;
  };
  return {
    version: operator?.metadata.labels?.[VERSION_LABEL],
    namespace,
    customKinds: crds.map(customKind).sort((a, b) => scalingFirst(a) - scalingFirst(b)),
    deletions: manifest
      .map((object, index) => ({ object, index }))
      .sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index)
      .map(({ object }) => ({
        object,
        // Its pods first: the Deployment is gone only once KEDA's programs are.
        propagation: object.kind === 'Deployment' ? 'Foreground' : 'Background',
      })),
    crds: crds.map((crd) => crd.metadata.name),
  };
}

function customKind(crd: ManifestObject): CustomKind {
  const spec = (
    crd as unknown as {
      spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: CrdVersion[] };
    }
  ).spec;
  const stored = spec.versions.find((version) => version.storage) ?? spec.versions[0];
  return {
    kind: spec.names.kind,
    group: spec.group,
    version: stored?.name ?? 'v1alpha1',
    plural: spec.names.plural,
    namespaced: spec.scope === 'Namespaced',
  };
}

interface CrdVersion {
  readonly name: string;
  readonly storage?: boolean;
}

/** An object as a listing gives it. */
export interface ListedObject {
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly deletionTimestamp?: unknown;
  };
}

/** `Kind/name`, or `Kind namespace/name` for a namespaced object. */
export function shownObject(object: ListedObject): string {
  const { name, namespace } = object.metadata ?? {};
  return namespace === undefined ? `${object.kind}/${name}` : `${object.kind} ${namespace}/${name}`;
}

/** The first few of a list, then how many more: `a, b, c and 4 more`. */
export function fewOf(items: readonly string[], few = 5): string {
  if (items.length <= few) return items.join(', ');
  return `${items.slice(0, few).join(', ')} and ${items.length - few} more`;
}

/**
 * Why the cluster's object is not the one this product applied from the manifest, or undefined when it is: applied
 * by this product's field manager, and carrying the manifest's labels (its version label aside: an object may be
 * one upgrade behind).
 */
export function notFromManifest(
  expected: ManifestObject,
  found: { readonly metadata?: { readonly labels?: Record<string, string>; readonly managedFields?: unknown[] } },
): string | undefined {
  const managers = ((found.metadata?.managedFields ?? []) as { manager?: string; operation?: string }[])
    .filter((entry) => entry.operation === 'Apply')
    .map((entry) => entry.manager);
  if (!managers.includes(FIELD_MANAGER)) return 'was not applied by aks-functions-deploy';
  const labels = found.metadata?.labels ?? {};
  const missing = Object.entries(expected.metadata.labels ?? {}).find(
    ([key, value]) => key !== VERSION_LABEL && labels[key] !== value,
  );
  return missing ? `lacks the manifest's label ${missing[0]}: ${missing[1]}` : undefined;
}

/** Refusals: each says why, and how KEDA is removed instead. */
export const refusals = {
  inUse(scaling: readonly ListedObject[], version: string): string {
    const counts = SCALING_KINDS.map((kind) => {
      const count = scaling.filter((object) => object.kind === kind).length;
      return count === 0 ? undefined : `${count} ${kind}${count === 1 ? '' : 's'}`;
    }).filter((count) => count !== undefined);
    return (
      `KEDA ${version} is in use: ${counts.join(' and ')} in the cluster (${fewOf(scaling.map(shownObject))}); ` +
      `delete them first (aks-functions-deploy delete --name APP for an app this product deployed), or give ` +
      `--force to have KEDA remove them before it goes (what they scaled keeps the replicas KEDA last gave it)`
    );
  },
  addon(evidence: string, cluster: { resourceGroup: string; clusterName: string } | undefined): string {
    const { resourceGroup, clusterName } = cluster ?? { resourceGroup: '<resource-group>', clusterName: '<cluster>' };
    return (
      `KEDA in this cluster is the AKS add-on's (${evidence}): AKS manages it; turn the add-on off instead: az aks ` +
      `update --resource-group ${resourceGroup} --name ${clusterName} --disable-keda (or set the managed cluster's ` +
      `workloadAutoScalerProfile.keda.enabled to false through ARM)`
    );
  },
  addonGoing(evidence: string): string {
    return (
      `KEDA in this cluster is the AKS add-on's (${evidence}), and ARM says the add-on is disabled: AKS is removing ` +
      `it; nothing to remove here`
    );
  },
  helm(
    found: { version: string; namespace: string; evidence: string },
    release: { name: string; namespace?: string } | undefined,
  ): string {
    const uninstall = release
      ? `helm uninstall ${release.name} -n ${release.namespace ?? found.namespace}`
      : `helm uninstall <release> -n ${found.namespace} (helm list -n ${found.namespace} names the release)`;
    return (
      `KEDA ${found.version} in namespace ${found.namespace} was installed by Helm (${found.evidence}): remove it ` +
      `with Helm: delete its ScaledObjects and ScaledJobs first, then ${uninstall}`
    );
  },
  otherNamespace(version: string, namespace: string, manifestNamespace: string): string {
    return (
      `KEDA ${version} runs in namespace ${namespace}, but its manifest installs into ${manifestNamespace}: this ` +
      `product did not install it; remove it the way it was installed`
    );
  },
  notOurs(version: string, namespace: string, foreign: readonly string[]): string {
    return (
      `KEDA ${version} in namespace ${namespace} was not installed by aks-functions-deploy (${fewOf(foreign)}): ` +
      `remove it the way it was installed (kubectl delete -f with the manifest it was applied from)`
    );
  },
  notCarried(version: string, namespace: string, carried: readonly string[]): string {
    return (
      `KEDA ${version} in namespace ${namespace} is a version this product does not carry (it carries ` +
      `${carried.join(' and ')}): give --keda-manifest-url (a copy of the manifest it was installed from) and ` +
      `--keda-manifest-sha256, as its install did`
    );
  },
  otherManifest(shown: string, manifestVersion: string | undefined, version: string): string {
    return (
      `input 'keda-manifest-url': ${shown} installs KEDA ${manifestVersion ?? '(no version label)'}, but the ` +
      `cluster runs KEDA ${version}: give the manifest it was installed from`
    );
  },
  notKedaOnly(namespace: string, workloads: readonly string[]): string {
    return (
      `namespace ${namespace} holds ${fewOf(workloads)}, which KEDA's manifest did not create; removing KEDA ` +
      `deletes its namespace: move or delete them first`
    );
  },
};
