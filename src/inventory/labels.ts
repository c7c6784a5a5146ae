/**
 * The app's footprint in a cluster, as names and labels: how every object of
 * an app is marked, found and told apart from another app's. Pure: render
 * writes these, apply, delete and the rollout watcher read them.
 */

export const MANAGED_BY = 'aks-functions-deploy';
/** One field manager for every object, so ownership stays with us across runs. */
export const FIELD_MANAGER = 'aks-functions-deploy';
export const ANNOTATION_PREFIX = 'aks-functions-deploy';
/** The image a deploy recorded on its workloads: another one there means another deploy replaced it. */
export const DEPLOYED_IMAGE_ANNOTATION = `${ANNOTATION_PREFIX}/image`;
/** On the generated settings Secret: the key of the pods' settings-hash, kept with what it hashes. A secret. */
export const SETTINGS_HASH_KEY_ANNOTATION = `${ANNOTATION_PREFIX}/settings-hash-key`;
/** On a Deployment KEDA scales: the pod-template-hash of the last version a pod of was seen ready. */
export const VERIFIED_TEMPLATE_ANNOTATION = `${ANNOTATION_PREFIX}/verified-template`;
/** On a pod: the azure-workload-identity webhook gives it its service account's Azure identity. */
export const WORKLOAD_IDENTITY_USE_LABEL = 'azure.workload.identity/use';
/** Set by the Deployment controller on a Deployment and its ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

const INSTANCE = 'app.kubernetes.io/instance';
const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const COMPONENT = 'app.kubernetes.io/component';

/**
 * The kinds an app can own: what prune and delete look through, in the order they remove them. Every one is
 * namespaced; `plural` is its resource name in the API's paths (KEDA's are its CRDs' names).
 */
export const OWNED_KINDS: readonly { readonly apiVersion: string; readonly kind: string; readonly plural: string }[] = [
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', plural: 'triggerauthentications' },
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments' },
  { apiVersion: 'v1', kind: 'Service', plural: 'services' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', plural: 'rolebindings' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', plural: 'roles' },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts' },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
];

/** How the Functions host names the Secret it keeps an app's HTTP function keys in. */
export const KEYS_SECRET_PREFIX = 'func-keys-kube-secret-';

/** The Secret the Functions host keeps the HTTP functions' keys in. */
export function keysSecretName(app: string): string {
  return `${KEYS_SECRET_PREFIX}${app}`;
}

export function appLabels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, [INSTANCE]: app, [MANAGED_BY_LABEL]: MANAGED_BY };
}

/** The pods of one part of the app (events or http). */
export function componentSelector(app: string, component: string): Record<string, string> {
  return { [INSTANCE]: app, [COMPONENT]: component };
}

/** Everything this product manages, whichever app. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;

/** What belongs to the app, pods included (they carry the template's labels, not managed-by). */
export function instanceSelector(app: string): string {
  return `${INSTANCE}=${app}`;
}

/** The app an object we manage belongs to, by its labels. */
export function instanceOf(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  return labels?.[INSTANCE];
}

/** The deploy record on the workloads: the image, and the commit and run when the CI system says. */
export function deployRecordAnnotations(image: string, run: { commit?: string; url?: string }): Record<string, string> {
  return {
    [DEPLOYED_IMAGE_ANNOTATION]: image,
    ...(run.commit ? { [`${ANNOTATION_PREFIX}/commit`]: run.commit } : {}),
    ...(run.url ? { [`${ANNOTATION_PREFIX}/run`]: run.url } : {}),
  };
}

/** `Kind/name`: how objects are keyed throughout. */
export function objectKey(object: { kind?: string; metadata?: { name?: string } }): string {
  return `${object.kind}/${object.metadata?.name}`;
}
