import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { V1ObjectMeta, V1Secret } from '@kubernetes/client-node';
import { ANNOTATION_PREFIX, appLabels, SETTINGS_HASH_KEY_ANNOTATION } from '../inventory/labels.js';
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
  options: Pick<RenderOptions, 'name' | 'secretName' | 'settingsHashKey'>,
  make: ObjectFactory,
): { objects: KubeObject[]; secretName?: string; podAnnotations: Record<string, string> } {
  const generates = options.secretName === undefined && Object.keys(settings).length > 0;
  if (!generates) return { objects: [], secretName: options.secretName, podAnnotations: {} };
  // Without the cluster's key (an offline render) the hash differs from run to run: only a deploy keeps it.
  const key = options.settingsHashKey ?? newSettingsHashKey();
  const secret: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { ...make(options.name, 'settings'), annotations: { [SETTINGS_HASH_KEY_ANNOTATION]: key } },
    type: 'Opaque',
    data: base64Values(settings),
  };
  // Keyed, so that whoever reads the Deployments cannot try values against it.
  const settingsHash = createHmac('sha256', Buffer.from(key, 'base64'))
    .update(JSON.stringify(sortedEntries(settings)))
    .digest('hex');
  return {
    objects: [secret as KubeObject],
    secretName: options.name,
    // envFrom does not roll pods when a Secret changes; this annotation does, and only then.
    podAnnotations: { [`${ANNOTATION_PREFIX}/settings-hash`]: settingsHash.slice(0, 16) },
  };
}

export function newSettingsHashKey(): string {
  return randomBytes(32).toString('base64');
}

/** What newSettingsHashKey makes: anything else found in the cluster is not used as a key. */
export function isSettingsHashKey(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9+/]{43}=$/.test(value);
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
