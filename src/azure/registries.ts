import { ContainerRegistryManagementClient, type Registry } from '@azure/arm-containerregistry';
import type { AzureSession } from './azure.js';

/** The ARM client for container registries; loaded only by the runs that ask ARM about a registry. */
export function registryClient(session: AzureSession, subscriptionId: string): ContainerRegistryManagementClient {
  // arm-containerregistry asks for `<endpoint>/.default` unless told the ARM scope (stack/azure/README.md).
  return new ContainerRegistryManagementClient(session.credential, subscriptionId, {
    endpoint: session.cloud.armEndpoint,
    credentialScopes: [session.cloud.armScope],
  });
}

/** The first registry in the subscription that `matches`, as ARM lists them (the SDK's api-version, 2025-11-01). */
export async function findRegistry(
  client: ContainerRegistryManagementClient,
  matches: (registry: Registry) => boolean,
): Promise<Registry | undefined> {
  for await (const registry of client.registries.list()) {
    if (matches(registry)) return registry;
  }
  return undefined;
}
