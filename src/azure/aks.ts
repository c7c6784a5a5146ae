import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { KubeConfig } from '@kubernetes/client-node';
import net from 'node:net';
import { UserError } from '../errors.js';
import { type Log, mask, type Platform } from '../platform.js';
import { armFailure, CLUSTER_TARGET } from './arm-errors.js';
import type { AzureCloud } from './clouds.js';
import type { ClusterFederation, FederationPlan, FederationPolicy } from './federation.js';
import type { FederationNeed } from './federation-needs.js';
import { aksRunCommand, type RunCommand } from './run-command.js';

/** The multi-tenant Entra ID application that Entra-integrated AKS clusters accept tokens for. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** Marks the kubeconfig users whose Entra ID token this process supplies. */
const ENTRA_PROVIDER = 'aks-functions-deploy-entra';
/** Tokens are renewed this long before they expire, so no request goes out with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

/** How the API server is reached: auto (directly unless private and unreachable), always run command, or directly. */
export type PrivateClusterPolicy = 'auto' | 'true' | 'false';

export interface AksCluster {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly admin: boolean;
  /** Absent: directly. */
  readonly privateCluster?: PrivateClusterPolicy;
}

/** How long a TCP connect to a private cluster's API server may take before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 5000;

export interface AksAccess {
  /** The API server directly; undefined when it is reached through run command only. */
  readonly kubeConfig?: KubeConfig;
  /** The API server through AKS run command (a private cluster whose API server cannot be reached from here). */
  readonly runCommand?: RunCommand;
  /** The AKS-managed KEDA add-on is enabled: never install a second KEDA. */
  readonly kedaAddon: boolean;
  /** Turns the add-on on through ARM and returns when AKS reports the change done. */
  enableKedaAddon(): Promise<void>;
  /** Reads and checks the federated credentials the app's identities need on this cluster's OIDC issuer. */
  planFederation(needs: readonly FederationNeed[], policy: FederationPolicy, log: Log): Promise<FederationPlan>;
}

/**
 * The cluster's kubeconfig through ARM, as `az aks get-credentials` gets it,
 * held in memory only. For an Entra ID cluster the kubeconfig would run
 * kubelogin; instead, the same credential gets a token for the AKS server
 * application and the kubeconfig carries it.
 */
export async function aksAccess(
  credential: TokenCredential,
  cloud: AzureCloud,
  cluster: AksCluster,
  platform: Platform,
): Promise<AksAccess> {
  const client = new ContainerServiceClient(credential, cluster.subscriptionId, {
    endpoint: cloud.armEndpoint,
    credentials: { scopes: [cloud.armScope] },
  });
  const where = `AKS cluster ${cluster.clusterName} in resource group ${cluster.resourceGroup}`;
  const managed = await client.managedClusters
    .get(cluster.resourceGroup, cluster.clusterName)
    .catch((error: unknown) => {
      throw armFailure(error, `read ${where}`, {
        role: 'Azure Kubernetes Service Cluster User Role',
        ...CLUSTER_TARGET,
      });
    });
  if (cluster.admin && managed.disableLocalAccounts) {
    throw new UserError(
      `input 'admin': ${where} has local accounts disabled, so it has no admin credentials; use its Entra ID ` +
        `user credentials (admin: false)`,
    );
  }
  const isPrivate = managed.apiServerAccessProfile?.enablePrivateCluster === true;
  const policy = cluster.privateCluster ?? 'false';
  const kubeConfig =
    policy === 'true' ? undefined : await reachableKubeConfig(client, cluster, where, policy === 'auto' && isPrivate);
  if (kubeConfig) await adoptUsers(kubeConfig, credential, where, platform);
  else
    platform.info(
      `AKS: ${where} is ${isPrivate ? 'private' : 'public'}; ` +
        (policy === 'true'
          ? 'reaching it through AKS run command (private-cluster: true)'
          : 'its API server cannot be reached from here, so it is reached through AKS run command'),
    );
  // An Entra ID cluster takes the identity's token for its server application with each command.
  const clusterToken = managed.aadProfile
    ? refreshingToken(credential, `${AKS_SERVER_APP_ID}/.default`, where)
    : undefined;
  return {
    kubeConfig,
    runCommand: kubeConfig ? undefined : aksRunCommand(client, cluster, clusterToken, platform),
    kedaAddon: managed.workloadAutoScalerProfile?.keda?.enabled === true,
    enableKedaAddon: () => enableKedaAddon(client, cluster, managed, where, platform),
    planFederation: async (needs, policy, log) => {
      const federation: ClusterFederation = {
        issuerUrl: managed.oidcIssuerProfile?.enabled ? managed.oidcIssuerProfile.issuerURL : undefined,
        workloadIdentity: managed.securityProfile?.workloadIdentity?.enabled === true,
      };
      // The managed identity client loads only for an app with an identity.
      const { planFederation } = await import('./federation.js');
      return planFederation(credential, cloud, cluster, federation, needs, policy, log);
    },
  };
}

/**
 * The cluster's kubeconfig, unless `probe` and its API server does not answer a TCP connect from here (a private
 * cluster's address resolves only inside its network): then undefined, and the cluster is reached through run command.
 */
async function reachableKubeConfig(
  client: ContainerServiceClient,
  cluster: AksCluster,
  where: string,
  probe: boolean,
): Promise<KubeConfig | undefined> {
  const kubeConfig = await clusterKubeConfig(client, cluster, where);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!probe || server === undefined) return kubeConfig;
  return (await answers(new URL(server))) ? kubeConfig : undefined;
}

/** Whether the address accepts a TCP connection within PROBE_TIMEOUT_MS. */
export function answers(url: URL): Promise<boolean> {
  const port = Number(url.port || (url.protocol === 'http:' ? 80 : 443));
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, timeout: PROBE_TIMEOUT_MS });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** The cluster's admin or user kubeconfig, as ARM hands it out. */
async function clusterKubeConfig(
  client: ContainerServiceClient,
  cluster: AksCluster,
  where: string,
): Promise<KubeConfig> {
  const results = await (
    cluster.admin
      ? client.managedClusters.listClusterAdminCredentials(cluster.resourceGroup, cluster.clusterName)
      : client.managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.clusterName, {
          format: 'exec',
        })
  ).catch((error: unknown) => {
    throw armFailure(error, `get the ${cluster.admin ? 'admin' : 'user'} credentials of ${where}`, {
      role: cluster.admin
        ? 'Azure Kubernetes Service Cluster Admin Role'
        : 'Azure Kubernetes Service Cluster User Role',
      ...CLUSTER_TARGET,
    });
  });
  const value = results.kubeconfigs?.[0]?.value;
  if (!value) throw new UserError(`Azure returned no kubeconfig for ${where}`);
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(Buffer.from(value).toString('utf8'));
  } catch {
    throw new UserError(`Azure returned a kubeconfig for ${where} that cannot be read`);
  }
  return kubeConfig;
}

/** Masks each user's credentials; an Entra ID user's exec plugin (kubelogin) gives way to the identity's own token. */
async function adoptUsers(
  kubeConfig: KubeConfig,
  credential: TokenCredential,
  where: string,
  platform: Platform,
): Promise<void> {
  for (const user of kubeConfig.users) {
    // The credentials in it, field by field: masking the whole file would blank every common word.
    for (const secret of [
      user.token,
      user.password,
      user.keyData,
      user.keyData && Buffer.from(user.keyData, 'base64').toString('utf8'),
    ]) {
      if (secret) mask(platform, secret);
    }
    if (!user.exec) continue;
    const serverId = argAfter(user.exec.args, '--server-id') ?? AKS_SERVER_APP_ID;
    const token = refreshingToken(credential, `${serverId}/.default`, where);
    await token();
    Object.assign(user, { exec: undefined, authProvider: { name: ENTRA_PROVIDER, config: {} } });
    kubeConfig.addAuthenticator({
      isAuthProvider: (candidate) => candidate.authProvider?.name === ENTRA_PROVIDER,
      applyAuthentication: async (_, options) => {
        options.headers = { ...options.headers, Authorization: `Bearer ${await token()}` };
      },
    });
  }
}

/**
 * AKS takes the whole cluster on PUT: the one read before, with the add-on switched on, sent only if the cluster's
 * eTag is still the one read (If-Match). A cluster another client changed in between answers 412: it is read again
 * and the PUT tried once more; a second 412 is left to the user rather than raced.
 */
export async function enableKedaAddon(
  client: ContainerServiceClient,
  cluster: AksCluster,
  managed: ManagedCluster,
  where: string,
  log: Log,
): Promise<void> {
  const target = { role: 'Azure Kubernetes Service Contributor Role', ...CLUSTER_TARGET };
  let current = managed;
  for (let attempt = 1; ; attempt++) {
    try {
      await putWithKeda(client, cluster, current);
      return;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 412)
        throw armFailure(error, `enable the KEDA add-on of ${where}`, target);
      if (attempt > 1) {
        throw new UserError(
          `cannot enable the KEDA add-on of ${where}: the cluster changed again between reading it and writing it ` +
            `(412 PreConditionFailed on its eTag), so another change is under way; let it finish, then deploy again`,
        );
      }
    }
    log.info(`AKS: ${where} changed since it was read (412 PreConditionFailed): reading it again`);
    current = await client.managedClusters.get(cluster.resourceGroup, cluster.clusterName).catch((error: unknown) => {
      throw armFailure(error, `read ${where}`, target);
    });
    // The other change may have been this very one.
    if (current.workloadAutoScalerProfile?.keda?.enabled === true) return;
  }
}

/** One conditional PUT of the cluster as read, with the KEDA add-on enabled, until AKS reports it done. */
async function putWithKeda(
  client: ContainerServiceClient,
  cluster: AksCluster,
  managed: ManagedCluster,
): Promise<void> {
  const wanted = {
    ...managed,
    workloadAutoScalerProfile: { ...managed.workloadAutoScalerProfile, keda: { enabled: true } },
  };
  await client.managedClusters.createOrUpdate(
    cluster.resourceGroup,
    cluster.clusterName,
    wanted,
    managed.eTag ? { ifMatch: managed.eTag } : {},
  );
}

function argAfter(args: readonly string[] | undefined, flag: string): string | undefined {
  const at = args?.indexOf(flag) ?? -1;
  return at >= 0 ? args?.[at + 1] : undefined;
}

/**
 * The cluster's token, renewed before it expires: a deploy may wait longer
 * than a token lives (a long build, a long rollout), and every request,
 * watches included, asks for it anew.
 */
function refreshingToken(credential: TokenCredential, scope: string, where: string): () => Promise<string> {
  let current: AccessToken | undefined;
  return async () => {
    if (!current || current.expiresOnTimestamp - Date.now() < RENEW_BEFORE_MS) {
      const token = await credential.getToken(scope);
      if (!token) throw new UserError(`Azure sign-in returned no token for ${where}`);
      current = token;
    }
    return current.token;
  };
}
