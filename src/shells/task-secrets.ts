import { decodedIfBase64, kubeconfigSecrets } from '../cluster/kube.js';
import { camelCase, INPUTS, type InputSpec } from '../inputs/schema.js';
import { shownInputValues } from '../inputs/values.js';

/*
 * Read from the environment before azure-pipelines-task-lib loads: it moves
 * INPUT_* and ENDPOINT_AUTH_* into its vault and debug-logs each value as it
 * is read, so they must be masked before the first getInput or
 * getEndpointAuthorizationParameter. Import this first.
 */

const fromEnvironment = (input: InputSpec) => process.env[`INPUT_${camelCase(input.name).toUpperCase()}`];

/** The secret inputs. */
export const secretInputs: readonly { input: InputSpec; value: string }[] = INPUTS.filter(
  (input) => input.secret,
).flatMap((input) => {
  const value = fromEnvironment(input);
  return value ? [{ input, value }] : [];
});

/** The values of the inputs that are not secret: a setting equal to one is not masked. */
export const shownInputs: ReadonlySet<string> = shownInputValues(
  Object.fromEntries(INPUTS.map((input) => [input.name, fromEnvironment(input)])),
);

/**
 * The credentials of the service connections: passwords, keys, tokens (also as the token decoded), a kubeconfig's
 * credentials.
 */
export const connectionSecrets: readonly string[] = Object.entries(process.env).flatMap(([key, value]) => {
  const parameter =
    /^ENDPOINT_AUTH_PARAMETER_.+_(PASSWORD|SERVICEPRINCIPALKEY|SERVICEPRINCIPALCERTIFICATE|APITOKEN|ACCESSTOKEN|KUBECONFIG)$/.exec(
      key,
    )?.[1];
  if (!parameter || !value) return [];
  if (parameter === 'KUBECONFIG') return kubeconfigSecrets(value);
  if (parameter === 'APITOKEN') return [value, decodedIfBase64(value)];
  return [value];
});
