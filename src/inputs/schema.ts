/**
 * The one declarative input schema. The CLI parser, action.yml, task.json and
 * the README tables are all derived from (and tested against) this list, so an
 * input is added here and nowhere else.
 */

import { APP_INPUTS, OUTPUT_INPUTS, SCALING_INPUTS, SETTINGS_INPUTS } from './schema/app.js';
import { AZURE_INPUTS, CLUSTER_INPUTS, KEDA_INPUTS, ROLLOUT_INPUTS } from './schema/cluster.js';
import { IMAGE_INPUTS, REGISTRY_INPUTS } from './schema/image.js';
import { WORKLOAD_IDENTITY_INPUTS } from './schema/identity.js';
import type { InputSpec } from './schema/spec.js';

export type { Command, InputGroup, InputKind, InputSpec } from './schema/spec.js';

/** In the order the README, action.yml and task.json list them. */
export const INPUTS: readonly InputSpec[] = [
  ...APP_INPUTS,
  ...IMAGE_INPUTS,
  ...REGISTRY_INPUTS,
  ...AZURE_INPUTS,
  ...WORKLOAD_IDENTITY_INPUTS,
  ...CLUSTER_INPUTS,
  ...SETTINGS_INPUTS,
  ...SCALING_INPUTS,
  ...KEDA_INPUTS,
  ...ROLLOUT_INPUTS,
  ...OUTPUT_INPUTS,
];

/** `app-path` → `appPath`, the spelling of task.json. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
