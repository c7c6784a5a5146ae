import { createHash } from 'node:crypto';
import type {
  KubernetesObject,
  V1Container,
  V1Deployment,
  V1Namespace,
  V1Probe,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1Service,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import type { FunctionApp, FunctionDefinition } from '../discovery/model.js';
import type { RenderOptions } from '../inputs/resolve.js';
import { type AuthPlan, type ScalerPlan, planTrigger } from './triggers.js';

/**
 * Render: a pure function from the app, the options and the image to the
 * ordered Kubernetes objects that run it (DESIGN.md §4). No I/O; warnings are
 * returned, not printed.
 */

export type KubeObject = KubernetesObject & { apiVersion: string; kind: string; metadata: { name: string } };

export interface Rendered {
  readonly objects: readonly KubeObject[];
  readonly warnings: readonly string[];
}

export const MANAGED_BY = 'aks-functions-deploy';
export const ANNOTATION_PREFIX = 'aks-functions-deploy';
/** Functions images serve HTTP (functions, admin and health) on port 80. */
const HOST_PORT = 80;

export function keysSecretName(name: string): string {
  return `func-keys-kube-secret-${name}`;
}

export function appLabels(name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

export function render(app: FunctionApp, options: RenderOptions): Rendered {
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const { name, namespace } = options;

  const httpFunctions: FunctionDefinition[] = [];
  const eventFunctions: FunctionDefinition[] = [];
  const scalers: ScalerPlan[] = [];
  // By their JSON: one comparison per function, however many triggers there are already.
  const scalerKeys = new Set<string>();
  let alwaysOn = false;
  for (const fn of app.functions) {
    const plan = planTrigger(fn, app.settings, app.host, warn);
    if (plan.part === 'http') {
      httpFunctions.push(fn);
      if (plan.warning) warn(plan.warning);
      continue;
    }
    eventFunctions.push(fn);
    if ('alwaysOn' in plan) {
      warn(plan.alwaysOn);
      alwaysOn = true;
    } else {
      // Functions on the same source share one KEDA trigger.
      const key = JSON.stringify(plan.scaler);
      if (!scalerKeys.has(key)) scalers.push(plan.scaler);
      scalerKeys.add(key);
    }
  }

  const metadata = (objectName: string, component?: string) => ({
    name: objectName,
    namespace,
    labels: { ...appLabels(name), ...(component ? { 'app.kubernetes.io/component': component } : {}) },
  });
  const settings = app.settings.values;
  const generatesSettings = options.secretName === undefined && Object.keys(settings).length > 0;
  const settingsSecretName = options.secretName ?? (generatesSettings ? name : undefined);

  const pod: PodInputs = {
    app: name,
    image: options.image,
    envFrom: [
      ...(settingsSecretName ? [{ secretRef: { name: settingsSecretName } }] : []),
      ...(options.configMapName ? [{ configMapRef: { name: options.configMapName } }] : []),
    ],
    // envFrom does not roll pods when a Secret changes; this annotation does, and only then.
    annotations: generatesSettings
      ? { [`${ANNOTATION_PREFIX}/settings-hash`]: hash(sortedEntries(settings)).slice(0, 16) }
      : {},
    pullSecret: options.scaling.pullSecret,
  };

  const namespaces: V1Namespace[] = [];
  const secrets: V1Secret[] = [];
  const rbac: KubeObject[] = [];
  const services: V1Service[] = [];
  const deployments: V1Deployment[] = [];
  const triggerAuthentications: KubeObject[] = [];
  const scaledObjects: KubeObject[] = [];

  // Shared by every app in the namespace, so it carries no app's name; never pruned.
  if (namespace !== 'default') {
    namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
    });
  }
  if (generatesSettings) {
    secrets.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: metadata(name, 'settings'),
      type: 'Opaque',
      data: base64Values(settings),
    });
  }

  if (eventFunctions.length > 0) {
    const minReplicas = alwaysOn ? Math.max(1, options.scaling.minReplicas) : options.scaling.minReplicas;
    const deployment = functionDeployment(pod, name, 'events', eventFunctions, metadata(name, 'events'));
    if (scalers.length === 0) {
      // Nothing for KEDA to watch: a plain Deployment that always runs.
      deployment.spec = { replicas: minReplicas, ...deployment.spec } as V1Deployment['spec'];
    } else {
      const triggers = scalers.map((scaler) => {
        const trigger: Record<string, unknown> = { type: scaler.type, metadata: scaler.metadata };
        if (scaler.auth) {
          const auth = triggerAuthentication(scaler.auth, name, metadata);
          if (!triggerAuthentications.some((known) => known.metadata.name === auth.object.metadata.name)) {
            triggerAuthentications.push(auth.object);
            if (auth.secret) secrets.push(auth.secret);
          }
          trigger.authenticationRef = { name: auth.object.metadata.name };
        }
        return trigger;
      });
      const { maxReplicas, pollingIntervalSeconds, cooldownSeconds } = options.scaling;
      scaledObjects.push({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: metadata(name, 'events'),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicaCount: minReplicas,
          ...(maxReplicas !== undefined ? { maxReplicaCount: maxReplicas } : {}),
          ...(pollingIntervalSeconds !== undefined ? { pollingInterval: pollingIntervalSeconds } : {}),
          ...(cooldownSeconds !== undefined ? { cooldownPeriod: cooldownSeconds } : {}),
          triggers,
        },
      } as KubeObject);
    }
    deployments.push(deployment);
  }

  if (httpFunctions.length > 0) {
    const httpName = `${name}-http`;
    const keysName = keysSecretName(name);
    const keysManager = `${name}-function-keys`;
    // The host creates and rotates the keys itself; we only make the Secret exist
    // (so it belongs to the app) and let the host's service account manage it.
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: metadata(keysName, 'function-keys'), type: 'Opaque' });
    rbac.push(
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: metadata(keysManager, 'function-keys'),
      } satisfies V1ServiceAccount as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: metadata(keysManager, 'function-keys'),
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            resourceNames: [keysName],
            verbs: ['get', 'list', 'watch', 'update', 'patch'],
          },
        ],
      } satisfies V1Role as KubeObject,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: metadata(keysManager, 'function-keys'),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: keysManager },
        subjects: [{ kind: 'ServiceAccount', name: keysManager, namespace }],
      } satisfies V1RoleBinding as KubeObject,
    );
    services.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(httpName, 'http'),
      spec: {
        type: options.scaling.serviceType,
        selector: podSelector(name, 'http'),
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    });
    const deployment = functionDeployment(pod, httpName, 'http', httpFunctions, metadata(httpName, 'http'), {
      serviceAccount: keysManager,
      env: [
        { name: 'AzureWebJobsSecretStorageType', value: 'kubernetes' },
        { name: 'AzureWebJobsKubernetesSecretName', value: `secrets/${keysName}` },
      ],
    });
    deployment.spec = {
      replicas: options.scaling.httpReplicas,
      ...deployment.spec,
      // Keep serving while a new version starts.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    } as V1Deployment['spec'];
    deployments.push(deployment);
  }

  const objects = [
    ...namespaces,
    ...secrets,
    ...rbac,
    ...services,
    ...deployments,
    ...triggerAuthentications,
    ...scaledObjects,
  ];
  return { objects: objects as KubeObject[], warnings };
}

interface PodInputs {
  readonly app: string;
  readonly image: string;
  readonly envFrom: V1Container['envFrom'];
  readonly annotations: Record<string, string>;
  readonly pullSecret?: string;
}

function podSelector(app: string, component: string): Record<string, string> {
  return { 'app.kubernetes.io/instance': app, 'app.kubernetes.io/component': component };
}

function functionDeployment(
  pod: PodInputs,
  deploymentName: string,
  component: 'events' | 'http',
  functions: readonly FunctionDefinition[],
  objectMetadata: V1Deployment['metadata'],
  http?: { serviceAccount: string; env: NonNullable<V1Container['env']> },
): V1Deployment {
  const probe = (periodSeconds: number, failureThreshold: number): V1Probe => ({
    // Anonymous and served by the host itself, so it answers whatever the functions do.
    httpGet: { path: '/admin/host/ping', port: 'http' },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 5,
  });
  const container: V1Container = {
    name: deploymentName,
    image: pod.image,
    ports: [{ name: 'http', containerPort: HOST_PORT, protocol: 'TCP' }],
    env: [
      // Each Deployment's host loads exactly its own functions.
      ...functions.map((fn, index) => ({ name: `AzureFunctionsJobHost__functions__${index}`, value: fn.name })),
      ...(http?.env ?? []),
    ],
    ...(pod.envFrom && pod.envFrom.length > 0 ? { envFrom: pod.envFrom } : {}),
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
    // The host and its language worker can take a while to start.
    startupProbe: probe(2, 60),
    readinessProbe: probe(10, 3),
    livenessProbe: probe(20, 3),
    securityContext: { allowPrivilegeEscalation: false },
  };
  const labels = { ...(objectMetadata?.labels ?? {}), ...podSelector(pod.app, component) };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMetadata,
    spec: {
      selector: { matchLabels: podSelector(pod.app, component) },
      template: {
        metadata: { labels, ...(Object.keys(pod.annotations).length > 0 ? { annotations: pod.annotations } : {}) },
        spec: {
          containers: [container],
          ...(http ? { serviceAccountName: http.serviceAccount } : { automountServiceAccountToken: false }),
          ...(pod.pullSecret ? { imagePullSecrets: [{ name: pod.pullSecret }] } : {}),
        },
      },
    },
  };
}

function triggerAuthentication(
  auth: AuthPlan,
  app: string,
  metadata: (name: string, component?: string) => { name: string; namespace: string; labels: Record<string, string> },
): { object: KubeObject; secret?: V1Secret } {
  // Named by content, so the same need maps to the same object on every render;
  // literal values stay out of the hash, which anyone may read in the name.
  const shape = { ...auth, literals: Object.keys(auth.literals ?? {}) };
  const objectName = `${app}-${auth.purpose}-${hash(shape).slice(0, 8)}`;
  const literals = Object.entries(auth.literals ?? {});
  const secret: V1Secret | undefined =
    literals.length > 0
      ? {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: metadata(objectName, 'trigger-auth'),
          type: 'Opaque',
          data: base64Values(Object.fromEntries(literals)),
        }
      : undefined;
  const object = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: metadata(objectName, 'trigger-auth'),
    spec: {
      ...(auth.podIdentity ? { podIdentity: auth.podIdentity } : {}),
      ...(auth.env ? { env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: app })) } : {}),
      ...(secret
        ? { secretTargetRef: literals.map(([parameter]) => ({ parameter, name: objectName, key: parameter })) }
        : {}),
    },
  };
  return { object, ...(secret ? { secret } : {}) };
}

function base64Values(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    sortedEntries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
}

function sortedEntries(values: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
