import { type AzureOptions, planAzure } from '../azure/azure.js';
import { type ClusterSource, connectDirectly } from '../cluster/connect.js';
import { type KedaRemovalOutcome, type KedaRemovalPolicy, uninstallKeda } from '../keda/remove.js';
import type { Platform } from '../platform.js';

/** The `remove-keda` command: the KEDA this product installed, out of the cluster (`func kubernetes remove`). */

export interface RemoveKedaCommandOptions {
  readonly cluster: ClusterSource;
  readonly azure: AzureOptions;
  readonly keda: KedaRemovalPolicy;
}

export async function removeKeda(options: RemoveKedaCommandOptions, platform: Platform): Promise<KedaRemovalOutcome> {
  const { cluster } = options;
  const azure = 'aks' in cluster ? planAzure(options.azure, platform) : undefined;
  // Through ARM, AKS says whether its add-on runs KEDA: that one is AKS's to remove.
  const access = await connectDirectly(cluster, azure, platform);
  return uninstallKeda(
    access.config,
    { ...options.keda, addonEnabled: access.kedaAddon, aksCluster: 'aks' in cluster ? cluster.aks : undefined },
    platform,
  );
}
