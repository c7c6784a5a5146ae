import type { TokenCredential } from '@azure/core-auth';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { mask, type Platform } from '../platform.js';
import { armFailure } from './arm-errors.js';
import type { AzureCloud } from './clouds.js';

/** The multi-tenant Entra ID application that Entra-integrated AKS clusters accept tokens for. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

export interface AksCluster {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly admin: boolean;
}

export interface AksAccess {
  readonly kubeConfig: KubeConfig;
  /** The AKS-managed KEDA add-on is enabled: never install a second KEDA. */
  readonly kedaAddon: boolean;
  /** Turns the add-on on through ARM and returns when AKS reports the change done. */
  enableKedaAddon(): Promise<void>;
}

/**
 * The cluster's kubeconfig through ARM, as `az aks get-credentials` gets it,
 * held in memory only. For an Entra ID cluster the kubeconfig would run
 * kubelogin; instead, the same credential gets a token for the AKS server
 * application and the kubeconfig carries it.
 */
export async function aksAccess(credential: TokenCredential, cloud: AzureCloud, cluster: AksCluster, platform: Platform): Promise<AksAccess> {
  const client = new ContainerServiceClient(credential, cluster.subscriptionId, { endpoint: cloud.armEndpoint, credentials: { scopes: [cloud.armScope] } });
  const where = `AKS cluster ${cluster.clusterName} in resource group ${cluster.resourceGroup}`;
  const managed = await client.managedClusters.get(cluster.resourceGroup, cluster.clusterName).catch((error: unknown) => {
    throw armFailure(error, `read ${where}`, 'Azure Kubernetes Service Cluster User Role');
  });
  if (cluster.admin && managed.disableLocalAccounts) {
    throw new UserError(`input 'admin': ${where} has local accounts disabled, so it has no admin credentials; use its Entra ID user credentials (admin: false)`);
  }
  const results = await (cluster.admin
    ? client.managedClusters.listClusterAdminCredentials(cluster.resourceGroup, cluster.clusterName)
    : client.managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.clusterName)
  ).catch((error: unknown) => {
    throw armFailure(error, `get the ${cluster.admin ? 'admin' : 'user'} credentials of ${where}`, cluster.admin ? 'Azure Kubernetes Service Cluster Admin Role' : 'Azure Kubernetes Service Cluster User Role');
  });
  const value = results.kubeconfigs?.[0]?.value;
  if (!value) throw new UserError(`Azure returned no kubeconfig for ${where}`);
  const text = Buffer.from(value).toString('utf8');
  mask(platform, text);

  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(text);
  for (const user of kubeConfig.users) {
    // Only Entra ID users run an exec plugin (kubelogin); certificate users are used as they are.
    if (user.exec) {
      const token = await credential.getToken(`${AKS_SERVER_APP_ID}/.default`);
      if (!token) throw new UserError(`Azure sign-in returned no token for ${where}`);
      Object.assign(user, { exec: undefined, token: token.token });
    }
  }
  return {
    kubeConfig,
    kedaAddon: managed.workloadAutoScalerProfile?.keda?.enabled === true,
    enableKedaAddon: async () => {
      // AKS takes the whole cluster on PUT: the one read above, with the add-on switched on.
      const wanted = { ...managed, workloadAutoScalerProfile: { ...managed.workloadAutoScalerProfile, keda: { enabled: true } } };
      await client.managedClusters.createOrUpdate(cluster.resourceGroup, cluster.clusterName, wanted).catch((error: unknown) => {
        throw armFailure(error, `enable the KEDA add-on of ${where}`, 'Azure Kubernetes Service Contributor Role');
      });
    },
  };
}
