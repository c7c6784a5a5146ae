import type { V1Namespace } from '@kubernetes/client-node';
import type { FunctionApp } from '../discovery/model.js';
import { MANAGED_BY } from '../inventory/labels.js';
import { eventPart } from './event-part.js';
import { httpPart } from './http-part.js';
import { appIdentity } from './identity.js';
import { prometheusScaler } from './http-scaling.js';
import { objectFactory, settingsSecret } from './objects.js';
import type { AppParts, KubeObject, Rendered, RenderOptions } from './options.js';
import { planTrigger } from './triggers.js';
import { placeOnVirtualNodes } from './virtual-nodes.js';
import type { PodInputs } from './workloads.js';

export type {
  AppParts,
  KubeObject,
  PrometheusScaling,
  Rendered,
  RenderOptions,
  ScalingOptions,
  ServiceType,
  VirtualNodes,
} from './options.js';

/**
 * Render: a pure function from the app, the options and the image to the
 * ordered Kubernetes objects that run it (DESIGN.md §4). No I/O; warnings are
 * returned, not printed. Given no settings-hash key, it makes a random one.
 */
export function render(app: FunctionApp, options: RenderOptions): Rendered {
  const warnings: string[] = [];
  const parts = splitFunctions(app, (message) => warnings.push(message));
  const make = objectFactory(options.name, options.namespace);
  const settings = settingsSecret(app.settings.values, options, make);
  const pod: PodInputs = {
    app: options.name,
    image: options.image,
    envFrom: [
      ...(settings.secretName ? [{ secretRef: { name: settings.secretName } }] : []),
      ...(options.configMapName ? [{ configMapRef: { name: options.configMapName } }] : []),
    ],
    annotations: settings.podAnnotations,
    pullSecret: options.scaling.pullSecret,
    workloadIdentity: appIdentity(app.settings, options.workloadIdentity, (message) => warnings.push(message)),
  };
  // Shared by every app in the namespace, so it carries no app's name; never pruned.
  const namespaces: V1Namespace[] =
    options.namespace === 'default'
      ? []
      : [
          {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name: options.namespace, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
          },
        ];
  const events = parts.events.length > 0 ? eventPart(parts, pod, options, make) : undefined;
  const { httpPrometheus } = options.scaling;
  if (httpPrometheus && parts.http.length === 0)
    warnings.push('http-scaler: prometheus, but the app has no HTTP functions: there is no HTTP Deployment to scale');
  const httpScaler =
    httpPrometheus && parts.http.length > 0
      ? prometheusScaler(httpPrometheus, app.settings, (message) => warnings.push(message))
      : undefined;
  const http = parts.http.length > 0 ? httpPart(parts.http, pod, options, make, httpScaler) : undefined;
  const placed = placeOnVirtualNodes(events?.deployments ?? [], http?.deployments ?? [], options.scaling);
  warnings.push(...placed.warnings);
  const objects = [
    ...namespaces,
    ...settings.objects,
    ...(events?.secrets ?? []),
    ...(http?.secrets ?? []),
    ...(events?.serviceAccounts ?? []),
    ...(http?.rbac ?? []),
    ...(http?.services ?? []),
    ...placed.deployments,
    ...(events?.triggerAuthentications ?? []),
    ...(http?.triggerAuthentications ?? []),
    ...(events?.scaledObjects ?? []),
    ...(http?.scaledObjects ?? []),
  ];
  return { objects: objects as KubeObject[], warnings };
}

/** Each function to the part that runs it; functions on the same source share one KEDA trigger. */
function splitFunctions(app: FunctionApp, warn: (message: string) => void): AppParts {
  const parts: AppParts = { http: [], events: [], scalers: [], alwaysOn: false };
  let alwaysOn = false;
  // By their JSON: one comparison per function, however many triggers there are already.
  const scalerKeys = new Set<string>();
  for (const fn of app.functions) {
    const plan = planTrigger(fn, app.settings, app.host, warn);
    if (plan.part === 'http') {
      parts.http.push(fn);
      if (plan.warning) warn(plan.warning);
      continue;
    }
    parts.events.push(fn);
    if ('alwaysOn' in plan) {
      warn(plan.alwaysOn);
      alwaysOn = true;
    } else {
      const key = JSON.stringify(plan.scaler);
      if (!scalerKeys.has(key)) parts.scalers.push(plan.scaler);
      scalerKeys.add(key);
    }
  }
  return { ...parts, alwaysOn };
}
