import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/inventory/labels.ts
var MANAGED_BY = "aks-functions-deploy";
var FIELD_MANAGER = "aks-functions-deploy";
var ANNOTATION_PREFIX = "aks-functions-deploy";
var DEPLOYED_IMAGE_ANNOTATION = `${ANNOTATION_PREFIX}/image`;
var SETTINGS_HASH_KEY_ANNOTATION = `${ANNOTATION_PREFIX}/settings-hash-key`;
var VERIFIED_TEMPLATE_ANNOTATION = `${ANNOTATION_PREFIX}/verified-template`;
var WORKLOAD_IDENTITY_USE_LABEL = "azure.workload.identity/use";
var REVISION_ANNOTATION = "deployment.kubernetes.io/revision";
var INSTANCE = "app.kubernetes.io/instance";
var MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
var COMPONENT = "app.kubernetes.io/component";
var OWNED_KINDS = [
  { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", plural: "scaledobjects" },
  { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", plural: "triggerauthentications" },
  { apiVersion: "apps/v1", kind: "Deployment", plural: "deployments" },
  { apiVersion: "v1", kind: "Service", plural: "services" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", plural: "rolebindings" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", plural: "roles" },
  { apiVersion: "v1", kind: "ServiceAccount", plural: "serviceaccounts" },
  { apiVersion: "v1", kind: "ConfigMap", plural: "configmaps" },
  { apiVersion: "v1", kind: "Secret", plural: "secrets" }
];
var KEYS_SECRET_PREFIX = "func-keys-kube-secret-";
function keysSecretName(app) {
  return `${KEYS_SECRET_PREFIX}${app}`;
}
function appLabels(app) {
  return { "app.kubernetes.io/name": app, [INSTANCE]: app, [MANAGED_BY_LABEL]: MANAGED_BY };
}
function componentSelector(app, component) {
  return { [INSTANCE]: app, [COMPONENT]: component };
}
var MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
function instanceSelector(app) {
  return `${INSTANCE}=${app}`;
}
function instanceOf(labels) {
  return labels?.[INSTANCE];
}
function deployRecordAnnotations(image, run) {
  return {
    [DEPLOYED_IMAGE_ANNOTATION]: image,
    ...run.commit ? { [`${ANNOTATION_PREFIX}/commit`]: run.commit } : {},
    ...run.url ? { [`${ANNOTATION_PREFIX}/run`]: run.url } : {}
  };
}
function objectKey(object) {
  return `${object.kind}/${object.metadata?.name}`;
}

export {
  MANAGED_BY,
  FIELD_MANAGER,
  ANNOTATION_PREFIX,
  DEPLOYED_IMAGE_ANNOTATION,
  SETTINGS_HASH_KEY_ANNOTATION,
  VERIFIED_TEMPLATE_ANNOTATION,
  WORKLOAD_IDENTITY_USE_LABEL,
  REVISION_ANNOTATION,
  OWNED_KINDS,
  KEYS_SECRET_PREFIX,
  keysSecretName,
  appLabels,
  componentSelector,
  MANAGED_SELECTOR,
  instanceSelector,
  instanceOf,
  deployRecordAnnotations,
  objectKey
};
