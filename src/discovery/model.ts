/** The function app as discovery found it: what render works from. */

/** One entry of a function's `bindings`, as function.json spells it. */
export type Binding = Readonly<Record<string, unknown>> & { readonly type: string };

export interface FunctionDefinition {
  readonly name: string;
  /** The file it came from, relative to the app root, for messages. */
  readonly source: string;
  readonly trigger: Binding;
  readonly bindings: readonly Binding[];
}

export interface DurableStorage {
  readonly type: string;
  readonly connectionStringName?: string;
  readonly maxConcurrentOrchestrators?: number;
  readonly maxConcurrentActivities?: number;
}

export interface HostSettings {
  /** host.json `extensions.http.routePrefix` (default `api`). */
  readonly routePrefix: string;
  readonly durableStorage?: DurableStorage;
}

export interface AppSettings {
  readonly values: Readonly<Record<string, string>>;
  /**
   * True when every setting the container sees is in `values`; false when an
   * existing Secret or ConfigMap may add more, so a missing setting is not a
   * mistake we can see.
   */
  readonly complete: boolean;
}

export interface FunctionApp {
  readonly root: string;
  readonly host: HostSettings;
  readonly functions: readonly FunctionDefinition[];
  readonly settings: AppSettings;
}

/** A binding property, looked up case-insensitively as the Functions host does. */
export function property(binding: Binding, key: string): unknown {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(binding)) {
    if (name.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A string binding property; '' when absent or not a string. */
export function stringProperty(binding: Binding, key: string): string {
  const value = property(binding, key);
  return typeof value === 'string' ? value.trim() : '';
}

/** The names the Functions host reads as settings (`__` nests). */
const SETTING_KEY = /^[-._a-zA-Z0-9]+$/;

export function isValidSettingKey(key: string): boolean {
  return SETTING_KEY.test(key);
}
