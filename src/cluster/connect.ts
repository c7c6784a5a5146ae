import type { KubeConfig } from '@kubernetes/client-node';
import type { AksAccess, AksCluster } from '../azure/aks.js';
import type { AzurePlan } from '../azure/azure.js';
import type { RunCommand } from '../azure/run-command.js';
import type { Platform } from '../platform.js';
import { kubeConfigFrom } from './kube.js';

/** A kubeconfig (path or content), or an AKS cluster whose credentials come through ARM: the cluster stage's input. */
export type ClusterSource = { readonly kubeconfig: string } | { readonly aks: AksCluster };

/** What ARM offers of an AKS cluster besides its API server. */
interface ArmClusterAccess {
  /** What ARM says of the AKS KEDA add-on; undefined for a cluster not reached through ARM. */
  readonly kedaAddon?: boolean;
  /** For AKS clusters: turn the KEDA add-on on. */
  readonly enableKedaAddon?: () => Promise<void>;
  /** For AKS clusters: the federated credentials of the app's managed identities, checked through ARM. */
  readonly planFederation?: AksAccess['planFederation'];
}

export interface ClusterAccess extends ArmClusterAccess {
  readonly config: KubeConfig;
}

/** A private AKS cluster whose API server this runner cannot reach: reached through AKS run command. */
export interface RunCommandAccess extends ArmClusterAccess {
  readonly runCommand: RunCommand;
}

/**
 * The in-memory kubeconfig: as given, or fetched from AKS with the Azure identity; for a private AKS cluster whose
 * API server cannot be reached from here (private-cluster), its run command instead.
 */
export async function connectCluster(
  source: ClusterSource,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<ClusterAccess | RunCommandAccess> {
  if ('kubeconfig' in source) return { config: kubeConfigFrom(source.kubeconfig, platform) };
  const session = await (azure as AzurePlan).session();
  // The ARM client loads only for an AKS cluster.
  const { aksAccess } = await import('../azure/aks.js');
  const access = await aksAccess(session.credential, session.cloud, source.aks, platform);
  const arm = {
    kedaAddon: access.kedaAddon,
    enableKedaAddon: access.enableKedaAddon,
    planFederation: access.planFederation,
  };
  if (access.kubeConfig === undefined) return { ...arm, runCommand: access.runCommand as RunCommand };
  platform.info(`AKS: credentials of ${source.aks.clusterName}${access.kedaAddon ? ' (KEDA add-on enabled)' : ''}`);
  return { ...arm, config: access.kubeConfig };
}

/** The API server itself: delete and remove-keda never take the run-command path (their inputs cannot ask for it). */
export async function connectDirectly(
  source: ClusterSource,
  azure: AzurePlan | undefined,
  platform: Platform,
): Promise<ClusterAccess> {
  return (await connectCluster(source, azure, platform)) as ClusterAccess;
}
