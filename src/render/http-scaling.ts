import { UserError } from '../errors.js';
import type { AppSettings } from '../discovery/model.js';
import type { PrometheusScaling } from './options.js';
import type { AuthPlan, ScalerPlan } from './plans.js';
import { inlineSettings, settingReference } from './trigger-context.js';

/**
 * The HTTP Deployment's scaler: KEDA's `prometheus` trigger (kedacore/keda pkg/scalers/prometheus_scaler.go, and the
 * authentication it shares with other scalers in pkg/scalers/authentication/authentication_types.go, KEDA 2.20).
 */

/** An app-setting reference in the address or the query: a setting's name between `%`, so PromQL's `a % b` stays. */
const SETTING_REFERENCE = /%([-._a-zA-Z0-9]+)%/g;

/** KEDA's authentication parameters for the scaler, by the `authModes` entry each belongs to (`ca` to none). */
const AUTH_PARAMETERS: Readonly<Record<string, string | undefined>> = {
  bearerToken: 'bearer',
  username: 'basic',
  password: 'basic',
  customAuthHeader: 'custom',
  customAuthValue: 'custom',
  cert: 'tls',
  key: 'tls',
  ca: undefined,
};
/** Not parameters of the scaler: the TriggerAuthentication's pod identity, for Azure Monitor's managed Prometheus. */
const POD_IDENTITY = 'podIdentity';
const IDENTITY_ID = 'identityId';
const AUTH_INPUT = 'http-prometheus-auth';

/** Why KEDA could not query this address, if it could not; undefined when it is fine. */
export function prometheusAddressProblem(address: string): string | undefined {
  if (!URL.canParse(address)) return 'is not a URL (http://host:port)';
  const url = new URL(address);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an http:// or https:// URL';
  if (url.username !== '' || url.password !== '')
    return (
      'holds credentials, which would be written in clear into the ScaledObject: give them in ' +
      `${AUTH_INPUT} (username, password)`
    );
  if (url.search !== '' || url.hash !== '') return 'has a query or a fragment: KEDA appends /api/v1/query?… to it';
  return undefined;
}

/**
 * The `authModes` the parameters ask for, in KEDA's spelling; a set KEDA would refuse is an error here, as the
 * TypedConfig and Validate of its authentication Config would refuse it only once deployed.
 */
export function prometheusAuthModes(auth: Readonly<Record<string, string>>): string[] {
  const given = Object.keys(auth);
  const unknown = given.filter(
    (parameter) =>
      !Object.hasOwn(AUTH_PARAMETERS, parameter) && parameter !== POD_IDENTITY && parameter !== IDENTITY_ID,
  );
  // Any line may be a secret: parameters are listed as KEDA names them, the given ones never quoted.
  if (unknown.length > 0)
    throw authError(
      `a parameter is not one of KEDA's for the Prometheus scaler (${[...Object.keys(AUTH_PARAMETERS), POD_IDENTITY, IDENTITY_ID].join(', ')})`,
    );
  const modes = [...new Set(given.map((parameter) => AUTH_PARAMETERS[parameter]).filter((mode) => mode !== undefined))];
  if (POD_IDENTITY in auth) {
    if (auth[POD_IDENTITY] !== 'azure-workload')
      throw authError(`${POD_IDENTITY} must be azure-workload (the AKS workload identity of KEDA's operator)`);
    if (modes.length > 0)
      throw authError(`${POD_IDENTITY} cannot be combined with other authentication (KEDA refuses it)`);
  } else if (IDENTITY_ID in auth) {
    throw authError(`${IDENTITY_ID} needs ${POD_IDENTITY}=azure-workload`);
  }
  const needs: [string, string[]][] = [
    ['basic', ['username']],
    ['custom', ['customAuthHeader', 'customAuthValue']],
    ['tls', ['cert', 'key']],
  ];
  for (const [mode, parameters] of needs)
    if (modes.includes(mode) && !parameters.every((parameter) => parameter in auth))
      throw authError(`${mode} authentication needs ${parameters.join(' and ')}`);
  if (modes.includes('bearer') && modes.includes('basic'))
    throw authError('bearerToken and username/password cannot be combined: KEDA takes one of bearer and basic');
  return modes;
}

function authError(what: string): UserError {
  return new UserError(`input '${AUTH_INPUT}': ${what}`);
}

/** The `prometheus` trigger for the HTTP Deployment, its `%Setting%` references resolved or pointed at the pod's env. */
export function prometheusScaler(
  scaling: PrometheusScaling,
  settings: AppSettings,
  warn: (message: string) => void,
): ScalerPlan {
  const inline = (input: string, value: string, what: string) =>
    inlineSettings(settings.values, value, {
      where: `input '${input}'`,
      instead: () => `use an app setting that holds only the ${what}`,
      pattern: SETTING_REFERENCE,
    });
  const address = inline('http-prometheus-server-address', scaling.serverAddress, 'address');
  const problem = prometheusAddressProblem(address);
  if (problem !== undefined)
    throw new UserError(`input 'http-prometheus-server-address', with its app settings resolved, ${problem}`);
  const modes = prometheusAuthModes(scaling.auth);
  const metadata = {
    // KEDA appends /api/v1/query to it.
    serverAddress: address.replace(/\/+$/, ''),
    query: inline('http-prometheus-query', scaling.query, 'query'),
    threshold: scaling.threshold,
    ...(modes.length > 0 ? { authModes: modes.join(',') } : {}),
  };
  const auth = prometheusAuth(scaling.auth, settings, warn);
  return { type: 'prometheus', metadata, ...(auth ? { auth } : {}) };
}

function prometheusAuth(
  parameters: Readonly<Record<string, string>>,
  settings: AppSettings,
  warn: (message: string) => void,
): AuthPlan | undefined {
  const { [POD_IDENTITY]: provider, [IDENTITY_ID]: identityId, ...rest } = parameters;
  if (provider !== undefined)
    return {
      purpose: 'prometheus',
      podIdentity: { provider: 'azure-workload', ...(identityId !== undefined ? { identityId } : {}) },
      // A CA may still come with it.
      ...prometheusCredentials(rest, settings, warn),
    };
  const credentials = prometheusCredentials(rest, settings, warn);
  return Object.keys(credentials).length > 0 ? { purpose: 'prometheus', ...credentials } : undefined;
}

/** `%Setting%` values read by KEDA from the pod's environment; any other value kept in the TriggerAuthentication's Secret. */
function prometheusCredentials(
  parameters: Readonly<Record<string, string>>,
  settings: AppSettings,
  warn: (message: string) => void,
): Pick<AuthPlan, 'env' | 'literals'> {
  const env: { parameter: string; name: string }[] = [];
  const literals: Record<string, string> = {};
  for (const [parameter, value] of Object.entries(parameters)) {
    const setting = settingReference(value);
    if (setting === undefined) {
      literals[parameter] = value;
      continue;
    }
    if (settings.complete && settings.values[setting] === undefined)
      warn(
        `input '${AUTH_INPUT}': ${parameter} reads app setting '${setting}', which is not in the app settings: KEDA ` +
          `will not be able to authenticate to Prometheus`,
      );
    env.push({ parameter, name: setting });
  }
  return { ...(env.length > 0 ? { env } : {}), ...(Object.keys(literals).length > 0 ? { literals } : {}) };
}
