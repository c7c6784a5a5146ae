import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { removedOnExit, runTempDir } from '../cleanup.js';
import { knownCloud } from '../azure/clouds.js';
import { UserError } from '../errors.js';
import { isDockerHub, isRegistryHost, REGISTRY_HOST } from './reference.js';

const ACR_NAME = /^[a-zA-Z0-9]{5,50}$/;

/** `myacr` → `myacr.azurecr.io` (for the cloud); a login server (`host.domain`, `host:port`) stays as given. */
export function loginServer(registry: string, cloud: string): string {
  if (!isRegistryHost(registry)) {
    const suffix = knownCloud(cloud)?.acrSuffix;
    if (!ACR_NAME.test(registry))
      throw new UserError(
        `input 'registry': '${registry}' is neither an ACR name (5-50 letters and digits) nor a login server ` +
          `(host.domain or host:port)`,
      );
    if (suffix === undefined)
      throw new UserError(
        `input 'registry': give the login server of the registry (host.domain), not the name '${registry}', ` +
          `for the custom cloud`,
      );
    return `${registry.toLowerCase()}.${suffix}`;
  }
  if (!REGISTRY_HOST.test(registry))
    throw new UserError(
      `input 'registry': '${registry}' is not a registry login server (host.domain or host:port, no scheme or path)`,
    );
  return registry.toLowerCase();
}

export interface RegistryCredentials {
  readonly username: string;
  readonly password: string;
}

/** A per-run Docker config that holds the registry login; `remove` deletes it. */
export interface DockerConfig {
  /** For DOCKER_CONFIG. */
  readonly dir: string;
  remove(): void;
}

/** The `auth` value of a Docker config: base64 of user:password (a secret too). */
export function basicAuth(credentials: RegistryCredentials): string {
  return Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64');
}

/** What Docker's own config holds besides logins, so the build behaves as it would without ours. */
const SHARED_ENTRIES = ['cli-plugins', 'buildx', 'contexts'];

/**
 * Docker reads credentials from DOCKER_CONFIG/config.json. Ours is a copy of
 * the user's config with this registry's login added, in a private per-run
 * folder: the user's ~/.docker is never written, and cleanup removes the
 * credential with certainty.
 */
export function writeDockerConfig(server: string, credentials: RegistryCredentials): DockerConfig {
  const own = process.env.DOCKER_CONFIG || join(homedir(), '.docker');
  const existing = readConfig(join(own, 'config.json'));
  // A credential store would be asked instead of the entry we write; helpers for other registries stay.
  const config: Record<string, unknown> = {
    ...existing,
    auths: { ...(existing.auths as object), [authsKey(server)]: { auth: basicAuth(credentials) } },
  };
  delete config.credsStore;
  const credHelpers = { ...(existing.credHelpers as Record<string, string> | undefined) };
  delete credHelpers[server];
  config.credHelpers = credHelpers;

  const dir = mkdtempSync(join(runTempDir(), 'aks-functions-deploy-docker-'));
  const remove = removedOnExit(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  for (const entry of SHARED_ENTRIES) {
    if (existsSync(join(own, entry))) symlinkSync(join(own, entry), join(dir, entry));
  }
  return { dir, remove };
}

/** Docker Hub's logins live under its v1 index URL. */
function authsKey(server: string): string {
  return isDockerHub(server) ? 'https://index.docker.io/v1/' : server;
}

function readConfig(file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    // No config, or one Docker itself could not read: start from nothing.
    return {};
  }
}
