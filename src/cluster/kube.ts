import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { readUserFile } from '../files.js';

/**
 * The kubeconfig input: a path, or the file's content itself as a CI secret
 * holds it (YAML, JSON or base64). The value is secret: errors never quote it.
 */
export function kubeConfigFrom(input: string): KubeConfig {
  const config = new KubeConfig();
  // A path: read as any user file, so a FIFO or /dev/zero is an error and not a hang.
  const content = existsSync(input) ? readUserFile(input, input).toString('utf8') : kubeconfigContent(input);
  if (content === undefined)
    throw new UserError(`input 'kubeconfig': neither an existing file nor kubeconfig content (YAML, JSON or base64)`);
  try {
    config.loadFromString(content);
  } catch {
    throw new UserError(`input 'kubeconfig': not a valid kubeconfig`);
  }
  if (!config.getCurrentCluster()) throw new UserError(`input 'kubeconfig': its current context names no cluster`);
  return config;
}

function kubeconfigContent(input: string): string | undefined {
  const looksLikeConfig = (text: string) => /(^|[\n{,])\s*"?(clusters|apiVersion)"?\s*:/.test(text);
  if (looksLikeConfig(input)) return input;
  const decoded = Buffer.from(input.trim(), 'base64').toString('utf8');
  return looksLikeConfig(decoded) ? decoded : undefined;
}

/** A connection's kubeconfig at the context it names, as content. */
export function kubeconfigWithContext(
  content: string,
  context: string | undefined,
  skipTlsVerify: boolean,
  input: string,
): string {
  const config = new KubeConfig();
  try {
    config.loadFromString(content);
  } catch {
    throw new UserError(`input '${input}': the service connection's kubeconfig is not valid`);
  }
  if (context) {
    if (!config.getContextObject(context))
      throw new UserError(`input '${input}': the service connection's kubeconfig has no context ${context}`);
    config.setCurrentContext(context);
  }
  if (skipTlsVerify) config.clusters = config.clusters.map((cluster) => ({ ...cluster, skipTLSVerify: true }));
  return config.exportConfig();
}

/**
 * A kubeconfig for a service account: its token and the cluster's CA, base64 as a Secret holds them (or as they are).
 */
export function kubeconfigFromServiceAccount(
  server: string,
  token: string,
  certificate: string | undefined,
  skipTlsVerify: boolean,
): string {
  const config = new KubeConfig();
  const caData =
    certificate === undefined
      ? undefined
      : certificate.includes('-----BEGIN')
        ? Buffer.from(certificate, 'utf8').toString('base64')
        : certificate.replace(/\s+/g, '');
  config.loadFromOptions({
    clusters: [{ name: 'cluster', server, caData, skipTLSVerify: skipTlsVerify }],
    users: [{ name: 'service-account', token: decodedIfBase64(token) }],
    contexts: [{ name: 'service-account', cluster: 'cluster', user: 'service-account' }],
    currentContext: 'service-account',
  });
  return config.exportConfig();
}

/** The values of credential-like flags of an exec plugin (kubelogin's `--client-secret X`, `--token=X`). */
function secretArguments(args: readonly string[]): string[] {
  const flag = /^--?[\w-]*(?:secret|token|password)[\w-]*$/i;
  return args.flatMap((arg, index) => {
    const [name, ...value] = arg.split('=');
    if (value.length > 0 && flag.test(name as string)) return [value.join('=')];
    return flag.test(arg) && args[index + 1] !== undefined ? [args[index + 1] as string] : [];
  });
}

/** A token pasted as it is (a JWT) is printable already; the Secret's base64 form decodes to one. */
export function decodedIfBase64(value: string): string {
  const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
  return /^[\x21-\x7e]+$/.test(decoded) &&
    Buffer.from(decoded, 'utf8').toString('base64').replace(/=+$/, '') === value.trim().replace(/=+$/, '')
    ? decoded
    : value.trim();
}

/** The credentials in kubeconfig content, to be masked: not the whole file, whose common lines would blank the log. */
export function kubeconfigSecrets(content: string): string[] {
  const config = new KubeConfig();
  try {
    config.loadFromString(content);
  } catch {
    return [content];
  }
  return config.users
    .flatMap((user) => [
      user.token,
      user.password,
      user.keyData,
      ...Object.entries((user.authProvider?.config ?? {}) as Record<string, unknown>).flatMap(([key, value]) =>
        /token|secret/i.test(key) && typeof value === 'string' ? [value] : [],
      ),
      ...(user.exec?.env ?? []).map((variable: { value: string }) => variable.value),
      ...secretArguments(user.exec?.args ?? []),
    ])
    .filter((value): value is string => typeof value === 'string' && value !== '');
}
