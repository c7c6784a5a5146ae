import type { V1Container, V1Deployment, V1Probe } from '@kubernetes/client-node';
import type { FunctionDefinition } from '../discovery/model.js';
import { componentSelector, WORKLOAD_IDENTITY_USE_LABEL } from '../inventory/labels.js';
import type { AppIdentity } from './identity.js';

/** Functions images serve HTTP (functions, admin and health) on port 80. */
const HOST_PORT = 80;

/** What both Deployments' pods share. */
export interface PodInputs {
  readonly app: string;
  readonly image: string;
  readonly envFrom: V1Container['envFrom'];
  readonly annotations: Record<string, string>;
  readonly pullSecret?: string;
  /** The app's managed identities: its pods run as annotated service accounts, labelled for the webhook. */
  readonly workloadIdentity?: AppIdentity;
}

/** What the HTTP part's pods have besides: the keys' service account and where the host keeps the keys. */
export interface HttpPod {
  readonly serviceAccount: string;
  readonly env: NonNullable<V1Container['env']>;
}

/** A Deployment running the Functions host with exactly `functions`. */
export function functionDeployment(
  pod: PodInputs,
  deploymentName: string,
  component: 'events' | 'http',
  functions: readonly FunctionDefinition[],
  objectMetadata: V1Deployment['metadata'],
  http?: HttpPod,
): V1Deployment {
  const labels = {
    ...(objectMetadata?.labels ?? {}),
    ...componentSelector(pod.app, component),
    ...(pod.workloadIdentity ? { [WORKLOAD_IDENTITY_USE_LABEL]: 'true' } : {}),
  };
  // The event pods need no Kubernetes API token: with an identity they run as the app's own account all the same.
  const account = http
    ? { serviceAccountName: http.serviceAccount }
    : { ...(pod.workloadIdentity ? { serviceAccountName: pod.app } : {}), automountServiceAccountToken: false };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMetadata,
    spec: {
      selector: { matchLabels: componentSelector(pod.app, component) },
      template: {
        metadata: { labels, ...(Object.keys(pod.annotations).length > 0 ? { annotations: pod.annotations } : {}) },
        spec: {
          containers: [hostContainer(pod, deploymentName, functions, http)],
          ...account,
          ...(pod.pullSecret ? { imagePullSecrets: [{ name: pod.pullSecret }] } : {}),
        },
      },
    },
  };
}

function hostContainer(
  pod: PodInputs,
  name: string,
  functions: readonly FunctionDefinition[],
  http: HttpPod | undefined,
): V1Container {
  const probe = (periodSeconds: number, failureThreshold: number): V1Probe => ({
    // Anonymous and served by the host itself, so it answers whatever the functions do.
    httpGet: { path: '/admin/host/ping', port: 'http' },
    periodSeconds,
    failureThreshold,
    timeoutSeconds: 5,
  });
  return {
    name,
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
}
