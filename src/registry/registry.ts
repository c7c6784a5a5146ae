import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** ACR login servers per cloud: a registry given by name (`myacr`) lives here. */
const ACR_SUFFIX: Readonly<Record<string, string>> = {
  AzureCloud: 'azurecr.io',
  AzureChinaCloud: 'azurecr.cn',
  AzureUSGovernment: 'azurecr.us',
};

const REGISTRY_HOST = /^[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d{1,5})?$/;
const ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;

/** `myacr` → `myacr.azurecr.io` (for the cloud); a login server (`host.domain`, `host:port`) stays as given. */
export function loginServer(registry: string, cloud: string): string {
  if (!registry.includes('.') && !registry.includes(':') && registry !== 'localhost') {
    const suffix = ACR_SUFFIX[cloud];
    if (!ACR_NAME.test(registry)) throw new UserError(`input 'registry': '${registry}' is neither an ACR name (5-50 letters and digits) nor a login server (host.domain or host:port)`);
    if (suffix === undefined) throw new UserError(`input 'registry': give the login server of the registry (host.domain), not the name '${registry}', for the custom cloud`);
    return `${registry.toLowerCase()}.${suffix}`;
  }
  if (!REGISTRY_HOST.test(registry)) throw new UserError(`input 'registry': '${registry}' is not a registry login server (host.domain or host:port, no scheme or path)`);
  return registry.toLowerCase();
}

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** A per-run Docker config that holds one registry login; `remove` deletes it. */
export interface DockerConfig {
  /** For DOCKER_CONFIG. */
  readonly dir: string;
  remove(): void;
}

/**
 * Docker reads credentials from DOCKER_CONFIG/config.json. Writing our own in
 * a private temp dir keeps the runner's ~/.docker untouched and lets cleanup
 * remove the credential with certainty.
 */
export function writeDockerConfig(server: string, credentials: RegistryCredentials): DockerConfig {
  const dir = mkdtempSync(join(tmpdir(), 'aks-functions-deploy-docker-'));
  const auth = Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [server]: { auth } } }), { mode: 0o600 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
