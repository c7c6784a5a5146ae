import { UserError } from '../errors.js';
import { type AppSettings, type FunctionDefinition, type HostSettings, stringProperty } from '../discovery/model.js';
import type { AuthPlan } from './plans.js';
import { hasSecretName, isSecretSetting } from './secret-values.js';

/**
 * What a trigger's mapping reads: the function, the app settings and
 * host.json, with the `%Setting%` and connection rules of the Functions host.
 */

export interface Context {
  readonly fn: FunctionDefinition;
  readonly settings: AppSettings;
  readonly host: HostSettings;
  readonly warn: (message: string) => void;
}

export function describe(fn: FunctionDefinition): string {
  return `${fn.source}: function '${fn.name}' (${fn.trigger.type})`;
}

/** `%Name%` → `Name`; anything else → undefined. */
export function settingReference(value: string): string | undefined {
  return /^%([^%]+)%$/.exec(value)?.[1];
}

/**
 * Replaces `%Name%` with the setting's value now: for fields KEDA cannot read from the environment. The value lands in
 * clear in ScaledObject metadata, so a secret setting is refused (named, never quoted).
 * `fromEnv`: the field can be read from the environment when written as `%Setting%` alone.
 */
export function resolved(context: Context, key: string, value: string, fromEnv = false): string {
  const { fn } = context;
  return inlineSettings(context.settings.values, value, {
    where: `${fn.source}: function '${fn.name}': "${key}"`,
    instead: (name) =>
      fromEnv
        ? `write "${key}" as '%${name}%' alone, so KEDA reads it from the pod's environment (${key}FromEnv)`
        : `KEDA takes "${key}" only from there, so use an app setting that holds only the ${key}`,
    file: fn.source,
  });
}

/** Where a `%Setting%` reference stands, and what to do instead of inlining a secret one. */
export interface SettingReferences {
  /** The field's owner, for the message: `input 'x'`, or the function and its property. */
  readonly where: string;
  readonly instead: (setting: string) => string;
  readonly file?: string;
  /** What counts as a reference; default: any text between two `%`. */
  readonly pattern?: RegExp;
}

/** `value` with each `%Name%` replaced by the app setting's value; a missing or secret setting is an error. */
export function inlineSettings(
  settings: Readonly<Record<string, string>>,
  value: string,
  references: SettingReferences,
): string {
  const { where, instead, file, pattern = /%([^%]+)%/g } = references;
  return value.replace(pattern, (_, name: string) => {
    const setting = settings[name];
    if (setting === undefined) {
      throw new UserError(
        `${where} refers to app setting '${name}', which is not in the app settings (settings-file or app-settings)`,
        file,
      );
    }
    if (isSecretSetting(name, setting)) {
      throw new UserError(
        `${where} refers to app setting '${name}', whose ` +
          `${hasSecretName(name) ? 'name says it holds' : 'value looks like'} a secret (a key, token, password or ` +
          `connection string) and would be written in clear into the ScaledObject: ${instead(name)}`,
        file,
      );
    }
    return setting;
  });
}

/** A property the trigger cannot do without, as written (`%Setting%` kept). */
export function present(context: Context, key: string): string {
  const value = stringProperty(context.fn.trigger, key);
  if (value === '') {
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': ${context.fn.trigger.type} needs "${key}"`,
      context.fn.source,
    );
  }
  return value;
}

export function required(context: Context, key: string): string {
  return resolved(context, key, present(context, key));
}

/** Warns when KEDA will look for a setting in the container's environment that the given settings lack. */
export function expectSetting(context: Context, name: string): void {
  if (context.settings.complete && context.settings.values[name] === undefined) {
    context.warn(
      `${context.fn.source}: function '${context.fn.name}' needs app setting '${name}', which is not in the ` +
        `app settings: KEDA will not be able to read the event source`,
    );
  }
}

/**
 * A field KEDA can read either from metadata or from the container's
 * environment (`<key>FromEnv`): `%Setting%` points it at the environment.
 */
export function valueOrEnv(context: Context, key: string, value: string): Record<string, string> {
  const setting = settingReference(value);
  if (setting === undefined) return { [key]: resolved(context, key, value, true) };
  expectSetting(context, setting);
  return { [`${key}FromEnv`]: setting };
}

export interface Connection {
  readonly setting: string;
  /** `<setting>__<suffix>` values (suffix lower-cased) of an identity-based connection. */
  readonly identity?: Readonly<Record<string, string>>;
}

/**
 * The app setting a `connection` property names, found as the host finds it:
 * `AzureWebJobs<name>` first, then `<name>`, in any case; then the
 * `<name>__…` section of an identity-based connection. Empty means the
 * trigger's default. The setting's own spelling is what KEDA must read.
 */
export function connection(context: Context, given: string, defaultSetting: string): Connection {
  const name = settingReference(given) ?? (given || defaultSetting);
  const keys = Object.keys(context.settings.values);
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const key = keys.find((existing) => existing.toLowerCase() === candidate.toLowerCase());
    if (key !== undefined) return { setting: key };
  }
  for (const candidate of [`AzureWebJobs${name}`, name]) {
    const prefix = `${candidate}__`.toLowerCase();
    const identity = Object.fromEntries(
      Object.entries(context.settings.values)
        .filter(([key]) => key.toLowerCase().startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length).toLowerCase(), value]),
    );
    if (Object.keys(identity).length > 0) return { setting: candidate, identity };
  }
  expectSetting(context, name);
  return { setting: name };
}

export function workloadIdentity(identity: Readonly<Record<string, string>>): AuthPlan {
  const identityId = identity.clientid;
  return {
    purpose: 'workload-identity',
    podIdentity: { provider: 'azure-workload', ...(identityId ? { identityId } : {}) },
  };
}

export function identityValue(context: Context, conn: Connection, what: string, ...suffixes: string[]): string {
  for (const suffix of suffixes) {
    const value = conn.identity?.[suffix.toLowerCase()];
    if (value) return value;
  }
  throw new UserError(
    `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' is identity-based but ${suffixes.map((s) => `${conn.setting}__${s}`).join(' or ')} is not set (KEDA needs the ${what})`,
    context.fn.source,
  );
}

/** The first DNS label of a host name or URL: the account or namespace name. */
export function firstLabel(context: Context, conn: Connection, value: string): string {
  const isUrl = /^[a-z]+:\/\//i.test(value);
  const host = isUrl && URL.canParse(value) ? new URL(value).hostname : isUrl ? '' : value;
  const label = host.split('.')[0] ?? '';
  if (label === '')
    throw new UserError(
      `${context.fn.source}: function '${context.fn.name}': connection '${conn.setting}' names no host (a ` +
        `malformed URL in its identity settings)`,
      context.fn.source,
    );
  return label;
}

export function storageAccount(context: Context, conn: Connection, service: 'queue' | 'blob'): Record<string, string> {
  const name =
    conn.identity?.accountname ??
    firstLabel(context, conn, identityValue(context, conn, 'storage account', 'accountName', `${service}ServiceUri`));
  return { accountName: name };
}
