import { createHash } from 'node:crypto';
import type { V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { ANNOTATION_PREFIX, appLabels } from '../inventory/labels.js';
import type { KubeObject, RenderOptions } from './options.js';

/** What every rendered object of the app has: its name, the namespace and the app's labels. */
export type ObjectFactory = (
  name: string,
  component?: string,
) => V1ObjectMeta & { name: string; namespace: string; labels: Record<string, string> };

export function objectFactory(app: string, namespace: string): ObjectFactory {
  return (name, component) => ({
    name,
    namespace,
    labels: { ...appLabels(app), ...(component ? { 'app.kubernetes.io/component': component } : {}) },
  });
}

/** The app settings as a generated Secret, unless the user names an existing one. */
export function settingsSecret(
  settings: Readonly<Record<string, string>>,
  options: Pick<RenderOptions, 'name' | 'secretName'>,
  make: ObjectFactory,
): { objects: KubeObject[]; secretName?: string; podAnnotations: Record<string, string> } {
  const generates = options.secretName === undefined && Object.keys(settings).length > 0;
  if (!generates) return { objects: [], secretName: options.secretName, podAnnotations: {} };
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: make(options.name, 'settings'),
    type: 'Opaque',
    data: base64Values(settings),
  };
  return {
    objects: [secret as KubeObject],
    secretName: options.name,
    // envFrom does not roll pods when a Secret changes; this annotation does, and only then.
    podAnnotations: { [`${ANNOTATION_PREFIX}/settings-hash`]: hash(sortedEntries(settings)).slice(0, 16) },
  };
}

export function base64Values(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    sortedEntries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
}

function sortedEntries(values: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
