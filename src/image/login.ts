import { acrCredentials } from '../azure/acr.js';
import type { AzurePlan } from '../azure/azure.js';
import { knownCloud } from '../azure/clouds.js';
import { mask, type Platform } from '../platform.js';
import { parseImageReference } from '../registry/reference.js';
import { basicAuth, type RegistryCredentials } from '../registry/registry.js';
import type { ImageOptions } from './plan.js';
import { unresolvedRegistry } from './registry-hints.js';

/**
 * Whether the registry login is the Azure identity's ACR token (else the user
 * name and password given, or Docker's own login).
 */
export function logsInWithAzure(options: ImageOptions, cloud: string): boolean {
  if (options.build === 'acr') return true;
  if (options.credentials || options.login === 'docker') return false;
  if (options.login === 'azure') return true;
  // auto: an Azure token goes only to the cloud's own registries, never to another host.
  const server = options.build === 'none' ? (parseImageReference(options.image)?.host ?? 'docker.io') : options.server;
  const acrSuffix = knownCloud(cloud)?.acrSuffix;
  return acrSuffix !== undefined && server.endsWith(`.${acrSuffix}`);
}

/**
 * The registry login: as given, or an ACR refresh token for the Azure identity; masked either way. A login server
 * that does not resolve is an error that says which login server the registry has (`subscriptionId`: where ARM is
 * asked).
 */
export async function registryLogin(
  server: string,
  given: RegistryCredentials | undefined,
  azure: AzurePlan | undefined,
  platform: Platform,
  subscriptionId?: string,
): Promise<RegistryCredentials | undefined> {
  let credentials = given;
  if (credentials === undefined && azure !== undefined) {
    // Before the exchange, whose HTTP retries would spend half a minute on a name that does not resolve.
    const unresolved = await unresolvedRegistry(server, azure, subscriptionId);
    if (unresolved) throw unresolved;
    const session = await azure.session();
    credentials = await acrCredentials(session.credential, session.cloud, server, session.tenantId, platform);
    platform.info(`registry: logged into ${server} with the Azure identity`);
  }
  if (credentials) {
    mask(platform, credentials.password);
    mask(platform, basicAuth(credentials));
  }
  return credentials;
}
