/** What an input is: the shape every part of the schema is written in. */

export type Command = 'render' | 'deploy' | 'delete' | 'remove-keda';

export type InputKind =
  | 'string'
  | 'path'
  | 'text' // multi-line text (YAML or KEY=VALUE lines)
  | 'boolean'
  | 'integer'
  | 'duration'
  | 'enum';

export type InputGroup =
  'app' | 'image' | 'registry' | 'azure' | 'cluster' | 'settings' | 'scaling' | 'keda' | 'rollout' | 'output';

export interface InputSpec {
  /** kebab-case: action.yml and the CLI; task.json uses the camelCase form. */
  readonly name: string;
  readonly description: string;
  readonly kind: InputKind;
  readonly group: InputGroup;
  readonly commands: readonly Command[];
  readonly default?: string;
  readonly values?: readonly string[];
  /** Masked by the shells and never echoed in errors or logs. */
  readonly secret?: boolean;
  /** Required by these commands. */
  readonly requiredBy?: readonly Command[];
  /** Another CLI spelling, e.g. `--output` for `manifests-output` on render. */
  readonly cliAlias?: string;
  /** A service connection of this type: only the Azure Pipelines task has it, not action.yml or the CLI. */
  readonly serviceConnection?: 'AzureRM' | 'dockerregistry' | 'kubernetes';
  /** task.json's visibleRule (camelCase names): when the classic editor shows the input. */
  readonly visibleRule?: string;
}

/** The commands about one app. */
export const APP: readonly Command[] = ['render', 'deploy', 'delete'];
export const BUILD: readonly Command[] = ['render', 'deploy'];
export const DEPLOY: readonly Command[] = ['deploy'];
/** The commands that reach a cluster. */
export const CLUSTER: readonly Command[] = ['deploy', 'delete', 'remove-keda'];
/** The commands that read KEDA's install manifest. */
export const KEDA_MANIFEST: readonly Command[] = ['deploy', 'remove-keda'];
export const REMOVE_KEDA: readonly Command[] = ['remove-keda'];
