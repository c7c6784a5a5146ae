import * as tl from 'azure-pipelines-task-lib/task.js';
import { kubeconfigFromServiceAccount, kubeconfigWithContext, kubeconfigSecrets } from '../cluster/kube.js';
import { UserError } from '../errors.js';
import type { RawInputs } from '../inputs/resolve.js';
import { mask, type Platform } from '../platform.js';
import { isDockerHub } from '../registry/reference.js';

type ConnectionInputs = Record<string, string | undefined>;

/**
 * The task's service connections, as the inputs the core takes: the Azure
 * Resource Manager one gives the identity and subscription, the Docker
 * Registry one the registry login, the Kubernetes one a kubeconfig. Inputs
 * the user gave themselves win over a connection's.
 */
export function withServiceConnections(raw: RawInputs, platform: Platform): RawInputs {
  const azure = raw['azure-subscription'] ? fromAzureConnection(raw['azure-subscription'], platform) : {};
  const registry = raw['docker-registry-service-connection']
    ? fromRegistryConnection(raw['docker-registry-service-connection'], raw, platform)
    : {};
  const cluster = raw['kubernetes-service-connection']
    ? fromKubernetesConnection(raw['kubernetes-service-connection'], raw, platform)
    : {};
  // The agent fills in task.json's defaults (auth: auto, cloud: AzureCloud): no choice of the user's, so the
  // connection's wins.
  const isDefault = (name: string, value: string) =>
    (name === 'auth' && value === 'auto' && azure.auth) || (name === 'cloud' && value === 'AzureCloud' && azure.cloud);
  const given = Object.fromEntries(
    Object.entries(raw).filter(
      ([name, value]) => value !== undefined && value.trim() !== '' && !isDefault(name, value),
    ),
  );
  return { ...azure, ...registry, ...cluster, ...given };
}

/** The connection's scheme; a connection the pipeline does not have is an input error. */
function schemeOf(id: string, input: string): string {
  const scheme = tl.getEndpointAuthorizationScheme(id, true);
  if (scheme === undefined) throw new UserError(`input '${input}': no service connection ${id} in this pipeline`);
  return scheme.toLowerCase();
}

function authParameter(id: string, key: string): string | undefined {
  return tl.getEndpointAuthorizationParameter(id, key, true) || undefined;
}

/**
 * Workload identity federation signs in with the service connection's OIDC
 * token, which the identity asks the agent for with the job's access token.
 */
function fromAzureConnection(id: string, platform: Platform): ConnectionInputs {
  const scheme = schemeOf(id, 'azureSubscription');
  const inputs: ConnectionInputs = {
    'client-id': authParameter(id, 'serviceprincipalid'),
    'tenant-id': authParameter(id, 'tenantid'),
    'subscription-id': tl.getEndpointDataParameter(id, 'subscriptionId', true) || undefined,
    cloud: cloudOf(id),
  };
  switch (scheme) {
    case 'workloadidentityfederation': {
      // The agent hands every task the job's token as the SystemVssConnection; System.AccessToken is the same, mapped
      // by hand.
      const accessToken =
        tl.getEndpointAuthorizationParameter('SystemVssConnection', 'AccessToken', true) ||
        tl.getVariable('System.AccessToken');
      if (!accessToken)
        throw new UserError(
          `input 'azureSubscription': workload identity federation needs the job's access token (the ` +
            `SystemVssConnection, or System.AccessToken)`,
        );
      process.env.AZURESUBSCRIPTION_SERVICE_CONNECTION_ID = id;
      process.env.SYSTEM_ACCESSTOKEN = accessToken;
      return { ...inputs, auth: 'oidc' };
    }
    case 'serviceprincipal': {
      const key = authParameter(id, 'serviceprincipalkey');
      const certificate = authParameter(id, 'servicePrincipalCertificate');
      for (const secret of [key, certificate]) if (secret) mask(platform, secret);
      return { ...inputs, auth: 'secret', 'client-secret': key, 'client-certificate': certificate };
    }
    case 'managedserviceidentity':
      return { ...inputs, auth: 'managed-identity' };
    default:
      throw new UserError(
        `input 'azureSubscription': service connection ${id} signs in with ${scheme}, which this task does not ` +
          `support (use workload identity federation, a service principal or a managed identity)`,
      );
  }
}

/** The connection's cloud: a named one, or Azure Stack Hub by its ARM endpoint. */
function cloudOf(id: string): string | undefined {
  const environment = tl.getEndpointDataParameter(id, 'environment', true);
  if (environment?.toLowerCase() === 'azurestack') return tl.getEndpointUrl(id, true) || undefined;
  return environment && ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'].includes(environment)
    ? environment
    : undefined;
}

/**
 * A Docker Registry connection: a user name and password for any registry,
 * or an Azure Container Registry whose service principal logs in as a user.
 */
function fromRegistryConnection(id: string, raw: RawInputs, platform: Platform): ConnectionInputs {
  const input = 'dockerRegistryServiceConnection';
  const scheme = schemeOf(id, input);
  const isAcr = tl.getEndpointDataParameter(id, 'registrytype', true)?.toLowerCase() === 'acr';
  let server: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  if (isAcr && scheme === 'serviceprincipal') {
    server = authParameter(id, 'loginServer');
    username = authParameter(id, 'serviceprincipalid');
    password = authParameter(id, 'serviceprincipalkey');
  } else if (!isAcr && scheme === 'usernamepassword') {
    server = registryHost(authParameter(id, 'registry'));
    username = authParameter(id, 'username');
    password = authParameter(id, 'password');
  } else {
    throw new UserError(
      `input '${input}': service connection ${id} logs in with ${scheme}, which this task cannot turn into a ` +
        `registry login; for an ACR with workload identity or a managed identity, give the identity as azureSubscription (with AcrPush on the registry) and registryLogin: azure`,
    );
  }
  if (!username || !password)
    throw new UserError(`input '${input}': service connection ${id} has no user name or password`);
  mask(platform, password);
  const registry = raw.registry?.trim();
  if (registry && server && normalized(registry) !== normalized(server)) {
    throw new UserError(
      `input '${input}': service connection ${id} logs into ${server}, but input 'registry' is ${registry}`,
    );
  }
  // The connection names the registry to push to, unless the user named one or gave an image.
  const pushTo = !registry && !raw.image?.trim() && server ? normalized(server) : undefined;
  // On Docker Hub a repository lives under the user's name.
  const repository =
    pushTo === DOCKER_HUB && !raw.repository?.trim() && raw.name?.trim()
      ? { repository: `${username}/${raw.name.trim()}` }
      : {};
  return {
    'registry-username': username,
    'registry-password': password,
    ...(pushTo ? { registry: pushTo } : {}),
    ...repository,
  };
}

/** `https://index.docker.io/v1/` → `index.docker.io`; a bare host stays as it is. */
function registryHost(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.includes('://') ? url : `https://${url}`).host;
  } catch {
    return url;
  }
}

const DOCKER_HUB = 'docker.io';

/** One spelling per registry: Docker Hub has three. */
function normalized(server: string): string {
  const host = (registryHost(server.trim()) ?? server).toLowerCase();
  return isDockerHub(host) ? DOCKER_HUB : host;
}

/**
 * A Kubernetes connection as kubeconfig content: its kubeconfig at the
 * context it names, or a kubeconfig made from its service account token and
 * the cluster's CA (both base64, as the secret holds them).
 */
function fromKubernetesConnection(id: string, raw: RawInputs, platform: Platform): ConnectionInputs {
  const input = 'kubernetesServiceConnection';
  schemeOf(id, input);
  const other = (['kubeconfig', 'resource-group', 'cluster-name'] as const).find((name) => raw[name]?.trim());
  if (other) throw new UserError(`input '${input}' is given together with '${other}': give one way to the cluster`);
  const type = tl.getEndpointDataParameter(id, 'authorizationType', true) ?? 'Kubeconfig';
  const skipTlsVerify = tl.getEndpointDataParameter(id, 'acceptUntrustedCerts', true)?.toLowerCase() === 'true';
  let kubeconfig: string;
  if (type.toLowerCase() === 'kubeconfig') {
    const content = authParameter(id, 'kubeconfig');
    if (!content) throw new UserError(`input '${input}': service connection ${id} holds no kubeconfig`);
    kubeconfig = kubeconfigWithContext(content, authParameter(id, 'clusterContext'), skipTlsVerify, input);
  } else if (['serviceaccount', 'azuresubscription'].includes(type.toLowerCase())) {
    const server = tl.getEndpointUrl(id, true);
    const token = authParameter(id, 'apiToken');
    if (!server || !token) throw new UserError(`input '${input}': service connection ${id} has no server URL or token`);
    kubeconfig = kubeconfigFromServiceAccount(
      server,
      token,
      authParameter(id, 'serviceAccountCertificate'),
      skipTlsVerify,
    );
  } else {
    throw new UserError(
      `input '${input}': service connection ${id} is of type ${type}, which this task does not support (use a ` +
        `kubeconfig or a service account)`,
    );
  }
  for (const secret of kubeconfigSecrets(kubeconfig)) mask(platform, secret);
  return { kubeconfig };
}
