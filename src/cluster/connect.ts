import type { KubeConfig } from '@kubernetes/client-node';
import type { AksAccess, AksCluster } from '../azure/aks.js';
import type { AzurePlan } from '../azure/azure.js';
import type { Platform } from '../platform.js';
import { kubeConfigFrom } from './kube.js';

/** A kubeconfig (path or content), or an AKS cluster whose credentials come through ARM: the cluster stage's input. */
export type ClusterSource = { readonly kubeconfig: string } | { readonly aks: AksCluster };

export interface ClusterAccess {
  readonly config: KubeConfig;
  /** What ARM says of the AKS KEDA add-on; undefined for a cluster not reached through ARM. */
  readonly kedaAddon?: boolean;
  /** For AKS clusters: turn the KEDA add-on on. */
  readonly enableKedaAddon?: () => Promise<void>;
  /** For AKS clusters: the federated credentials of the app's managed identities, checked through ARM. */
  readonly planFederation?: AksAccess['planFederation'];
}

/** The in-memory kubeconfig: as given, or fetched from AKS with the Azure identity. */
export async function connectCluster(
  source: ClusterSource,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<ClusterAccess> {
  if ('kubeconfig' in source) return { config: kubeConfigFrom(source.kubeconfig, platform) };
  const session = await (azure as AzurePlan).session();
  // The ARM client loads only for an AKS cluster.
  const { aksAccess } = await import('../azure/aks.js');
  const access = await aksAccess(session.credential, session.cloud, source.aks, platform);
  platform.info(`AKS: credentials of ${source.aks.clusterName}${access.kedaAddon ? ' (KEDA add-on enabled)' : ''}`);
  return {
    config: access.kubeConfig,
    kedaAddon: access.kedaAddon,
    enableKedaAddon: access.enableKedaAddon,
    planFederation: access.planFederation,
  };
}
