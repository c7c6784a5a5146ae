import type { V1Deployment, V1Role, V1RoleBinding, V1Service, V1ServiceAccount } from '@kubernetes/client-node';
import type { FunctionDefinition } from '../discovery/model.js';
import { componentSelector, keysSecretName } from '../inventory/labels.js';
import { identityAnnotations } from './identity.js';
import { type KedaObjects, kedaObjects } from './keda-objects.js';
import type { ObjectFactory } from './objects.js';
import type { KubeObject, RenderOptions } from './options.js';
import type { ScalerPlan } from './plans.js';
import { functionDeployment, type PodInputs } from './workloads.js';

/**
 * The HTTP functions: a Deployment behind a Service, at a fixed replica count or
 * scaled by KEDA on `scaler` (never below one replica), and the keys Secret with
 * the service account that lets the host manage it.
 */
export function httpPart(
  functions: readonly FunctionDefinition[],
  pod: PodInputs,
  options: RenderOptions,
  make: ObjectFactory,
  scaler?: ScalerPlan,
): KedaObjects & { rbac: KubeObject[]; services: V1Service[]; deployments: V1Deployment[] } {
  const { name, namespace } = options;
  const httpName = `${name}-http`;
  const keysName = keysSecretName(name);
  const keysManager = `${name}-function-keys`;
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: make(httpName, 'http'),
    spec: {
      type: options.scaling.serviceType,
      selector: componentSelector(name, 'http'),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  const deployment = functionDeployment(pod, httpName, 'http', functions, make(httpName, 'http'), {
    serviceAccount: keysManager,
    env: [
      { name: 'AzureWebJobsSecretStorageType', value: 'kubernetes' },
      { name: 'AzureWebJobsKubernetesSecretName', value: `secrets/${keysName}` },
    ],
  });
  const { httpReplicas, httpPrometheus, pollingIntervalSeconds } = options.scaling;
  deployment.spec = {
    // Scaled, its count belongs to KEDA's HPA, and a redeploy must not reset it.
    ...(scaler ? {} : { replicas: httpReplicas }),
    ...deployment.spec,
    // Keep serving while a new version starts.
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
  } as V1Deployment['spec'];
  const keda: KedaObjects = scaler
    ? kedaObjects(
        name,
        {
          name: httpName,
          component: 'http',
          container: httpName,
          minReplicas: httpReplicas,
          maxReplicas: httpPrometheus?.maxReplicas,
          pollingIntervalSeconds,
          scaleDownStabilizationSeconds: httpPrometheus?.scaleDownStabilizationSeconds,
        },
        [scaler],
        make,
        pod.workloadIdentity,
      )
    : { secrets: [], triggerAuthentications: [], scaledObjects: [] };
  return {
    ...keda,
    // The host creates and rotates the keys itself; we only make the Secret exist
    // (so it belongs to the app) and let the host's service account manage it.
    secrets: [
      { apiVersion: 'v1', kind: 'Secret', metadata: make(keysName, 'function-keys'), type: 'Opaque' },
      ...keda.secrets,
    ],
    rbac: keysRbac(keysManager, keysName, namespace, make, pod),
    services: [service],
    deployments: [deployment],
  };
}

/** A service account that may read and write the keys Secret, and nothing else; with the app's identity, if any. */
function keysRbac(
  keysManager: string,
  keysName: string,
  namespace: string,
  make: ObjectFactory,
  pod: PodInputs,
): KubeObject[] {
  const identity = pod.workloadIdentity ? { annotations: identityAnnotations(pod.workloadIdentity) } : {};
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { ...make(keysManager, 'function-keys'), ...identity },
    } satisfies V1ServiceAccount,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: make(keysManager, 'function-keys'),
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          resourceNames: [keysName],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
      ],
    } satisfies V1Role,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: make(keysManager, 'function-keys'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: keysManager },
      subjects: [{ kind: 'ServiceAccount', name: keysManager, namespace }],
    } satisfies V1RoleBinding,
  ] as KubeObject[];
}
