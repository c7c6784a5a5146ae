import yaml from 'js-yaml';
import { SETTINGS_HASH_KEY_ANNOTATION } from '../inventory/labels.js';
import type { KubeObject } from './options.js';

/** Stands in for every Secret value in output the user did not ask to see. */
export const SECRET_PLACEHOLDER = '<redacted: use --show-secrets>';

/** A copy with each Secret's values, and its settings-hash key, replaced by the placeholder (the keys stay). */
export function redactSecrets(objects: readonly KubeObject[]): KubeObject[] {
  return objects.map((object) => {
    if (object.kind !== 'Secret') return object;
    const secret = object as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
    const hide = (values?: Record<string, string>) =>
      values && Object.fromEntries(Object.keys(values).map((key) => [key, SECRET_PLACEHOLDER]));
    const annotations = secret.metadata.annotations;
    return {
      ...secret,
      ...(annotations?.[SETTINGS_HASH_KEY_ANNOTATION] !== undefined
        ? {
            metadata: {
              ...secret.metadata,
              annotations: { ...annotations, [SETTINGS_HASH_KEY_ANNOTATION]: SECRET_PLACEHOLDER },
            },
          }
        : {}),
      ...(secret.data ? { data: hide(secret.data) } : {}),
      ...(secret.stringData ? { stringData: hide(secret.stringData) } : {}),
    };
  });
}

/** Multi-document YAML, one document an object, in apply order. */
export function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((object) => yaml.dump(object, { noRefs: true, lineWidth: -1 })).join('---\n');
}
