import { UserError } from '../errors.js';
import type { PrometheusScaling } from '../render/render.js';
import { prometheusAddressProblem, prometheusAuthModes } from '../render/http-scaling.js';
import { parseKeyValueLines } from './checks.js';
import type { InputValues } from './values.js';

/** The inputs only http-scaler prometheus reads. */
const PROMETHEUS_INPUTS = [
  'http-max-replicas',
  'http-prometheus-server-address',
  'http-prometheus-query',
  'http-prometheus-threshold',
  'http-prometheus-auth',
  'http-scale-down-stabilization',
];

/** A ScaledObject's maxReplicaCount when it gives none. */
const KEDA_MAX_REPLICAS = 100;

/** KEDA parses the threshold as a float (Go's ParseFloat); hexadecimal, Inf and NaN are no threshold. */
const DECIMAL = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * How the HTTP Deployment scales beyond its fixed count: undefined for http-scaler fixed. What can be checked without
 * the app settings is checked here; `%Setting%` references are resolved (and checked again) by render.
 */
export function resolveHttpPrometheus(values: InputValues, httpReplicas: number): PrometheusScaling | undefined {
  if (values.required('http-scaler') !== 'prometheus') {
    const stray = PROMETHEUS_INPUTS.find((name) => values.string(name) !== undefined);
    if (stray) throw new UserError(`input '${stray}' applies only with http-scaler: prometheus`);
    return undefined;
  }
  const required = (name: string, what: string) => {
    const value = values.string(name);
    if (value === undefined) throw new UserError(`input '${name}' is required with http-scaler: prometheus (${what})`);
    return value;
  };
  const serverAddress = required('http-prometheus-server-address', 'the Prometheus server KEDA queries');
  // Resolved by render when it refers to app settings; the address is never quoted: it may hold credentials.
  const problem = serverAddress.includes('%') ? undefined : prometheusAddressProblem(serverAddress);
  if (problem) throw new UserError(`input 'http-prometheus-server-address' ${problem}`);
  const query = required('http-prometheus-query', 'the PromQL query whose value scales the HTTP Deployment');
  const threshold = required('http-prometheus-threshold', "how much of the query's value one replica handles");
  if (!DECIMAL.test(threshold) || !(Number(threshold) > 0) || !Number.isFinite(Number(threshold)))
    throw new UserError(
      `input 'http-prometheus-threshold': '${threshold}' is not a number above 0 (how much of the query's value ` +
        `one replica handles, such as 100 or 0.5)`,
    );
  const maxReplicas = values.integer('http-max-replicas');
  if ((maxReplicas ?? KEDA_MAX_REPLICAS) < httpReplicas)
    throw new UserError(
      `input 'http-replicas' (${httpReplicas}), the fewest replicas KEDA keeps, is more than ` +
        (maxReplicas !== undefined
          ? `input 'http-max-replicas' (${maxReplicas})`
          : `KEDA's default maximum (${KEDA_MAX_REPLICAS}): give http-max-replicas`),
    );
  const auth = parseKeyValueLines('http-prometheus-auth', values.string('http-prometheus-auth'));
  prometheusAuthModes(auth);
  return {
    serverAddress,
    query,
    threshold,
    ...(maxReplicas !== undefined ? { maxReplicas } : {}),
    ...(values.string('http-scale-down-stabilization') !== undefined
      ? { scaleDownStabilizationSeconds: values.seconds('http-scale-down-stabilization') }
      : {}),
    auth: { ...auth },
  };
}
