import { AppObjectsApi } from '../inventory/client.js';
import { takeAppLease } from '../apply/lease.js';
import { type AzureOptions, planAzure } from '../azure/azure.js';
import { type ClusterSource, connectDirectly } from '../cluster/connect.js';
import { isNamespaceTerminating, isNotFound } from '../cluster/status.js';
import { foreignObjects, listManaged, ownedBy, removeObjects } from '../inventory/inventory.js';
import { keysSecretName, objectKey } from '../inventory/labels.js';
import type { Platform } from '../platform.js';

/** The `delete` command: the app's objects, out of the cluster. */

export interface DeleteCommandOptions {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: ClusterSource;
  readonly azure: AzureOptions;
}

/** How long a delete waits for a deploy of the app under way. */
const DELETE_WAIT_MS = 10 * 60 * 1000;

/**
 * Removes exactly this app's objects: what carries its labels, and its keys Secret when the cluster says it is
 * the app's (the host may rewrite its labels).
 */
export async function deleteApp(options: DeleteCommandOptions, platform: Platform): Promise<string[]> {
  const { name, namespace } = options;
  const azure = 'aks' in options.cluster ? planAzure(options.azure, platform) : undefined;
  const { config } = await connectDirectly(options.cluster, azure, platform);
  // Not in the middle of a deploy of the app. No namespace, or one being deleted: no deploy to guard against.
  const deadline = Date.now() + DELETE_WAIT_MS;
  const lease = await takeAppLease(config, namespace, name, 'if-permitted', deadline, platform.run, platform).catch(
    (error: unknown) => {
      if (isNotFound(error) || isNamespaceTerminating(error)) return undefined;
      throw error;
    },
  );
  try {
    const client = AppObjectsApi.forConfig(config);
    const owned = [...ownedBy((await listManaged(client, namespace)).objects, name).keys()];
    const keys = { apiVersion: 'v1', kind: 'Secret', metadata: { name: keysSecretName(name) } };
    if (!owned.includes(objectKey(keys))) {
      const [foreign] = await foreignObjects(client, namespace, [keys], name);
      if (foreign) platform.warning(`left ${foreign.key} in place: it ${foreign.why}`);
      else owned.push(objectKey(keys));
    }
    const deleted: string[] = [];
    await removeObjects(client, namespace, owned, false, (kind, object, existed) => {
      if (!existed) return;
      deleted.push(`${kind}/${object}`);
      platform.info(`deleted ${kind}/${object}`);
    });
    return deleted;
  } finally {
    await lease?.release();
  }
}
