// What the stand-ins share, made once per start and handed to each service
// explicitly: the options with their defaults, the test CA and signing keys,
// the registered identities (the app, its federated issuers, the CI jobs),
// the switches the tests flip (faults, RBAC, the cluster's settings), and the
// logs of requests served and secrets handed out.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTls } from './http.mjs';
import { newSigner } from './jwt.mjs';
import { createIdentities } from './msi.mjs';

/** AKS's Entra server application (the --server-id of every AKS kubelogin kubeconfig). */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/**
 * The audience Entra ID requires of a federated token, per cloud: what a federated identity credential's
 * `audiences` holds there (Microsoft Learn, workload-identity-federation-config-app-trust-managed-identity).
 */
export const FEDERATION_AUDIENCES = {
  AzureCloud: 'api://AzureADTokenExchange',
  AzureUSGovernment: 'api://AzureADTokenExchangeUSGov',
  AzureChinaCloud: 'api://AzureADTokenExchangeChina',
};
export const ARM_AUDIENCES = [
  'https://management.core.windows.net/',
  'https://management.core.windows.net',
  'https://management.azure.com/',
  'https://management.azure.com',
];
/** The services `inject()` can fault; the servers' `classify` functions name each request after one. */
const FAULT_SERVICES = ['token', 'arm', 'exchange', 'registry', 'oidc'];

export const now = () => Math.floor(Date.now() / 1000);
export const uuid = () => crypto.randomUUID();
export const isoNow = () => new Date().toISOString();

/** A role definition's action pattern against an action: `*` stands for any characters, case-insensitively. */
export function actionMatches(pattern, action) {
  const parts = pattern.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\/]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 'i').test(action);
}

export const retryAfter = (fault) =>
  fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };

function resolveOptions(options) {
  for (const key of ['tenantId', 'clientId', 'subscriptionId', 'resourceGroup', 'clusterName', 'kubeconfig']) {
    if (!options?.[key]) throw new Error(`startAzureStandins: options.${key} is required`);
  }
  const o = {
    location: 'westeurope',
    registryName: 'afdregistry',
    kubernetesVersion: '1.34.4',
    tokenLifetimeSeconds: 3599,
    oidcLifetimeSeconds: 300,
    lroPolls: 1,
    federatedSubject: 'repo:contoso/functions-app:ref:refs/heads/main',
    pipelinesSubject: 'sc://contoso/functions/aks-deploy',
    workloadSubject: 'system:serviceaccount:ci:runner',
    cloud: 'AzureCloud',
    aksServerToken: process.env.ENTRA_CLUSTER_TOKEN,
    otherSubscriptions: [],
    ...options,
  };
  // ACR Tasks build with the stack's services unless told otherwise.
  if (o.registry === undefined && process.env.REGISTRY) {
    o.registry = {
      upstream: process.env.REGISTRY,
      username: process.env.REGISTRY_USERNAME,
      password: process.env.REGISTRY_PASSWORD,
    };
  }
  if (!(o.cloud in FEDERATION_AUDIENCES)) throw new Error(`startAzureStandins: unknown cloud '${o.cloud}'`);
  o.federationAudience ??= FEDERATION_AUDIENCES[o.cloud];
  o.storage = { connectionString: process.env.AZURE_STORAGE_CONNECTION_STRING, ...o.storage };
  o.docker = { host: process.env.DOCKER_HOST, ...o.docker };
  return o;
}

/** The CI jobs whose OIDC token requests the CI stand-in answers, with the secrets that authorize them. */
function ciJobs() {
  return {
    pipelinesOrgId: uuid(),
    github: {
      runtime: crypto.randomBytes(12).toString('hex'),
      plan: uuid(),
      job: uuid(),
      requestToken: crypto.randomBytes(32).toString('base64url'),
    },
    pipelines: {
      project: uuid(),
      plan: uuid(),
      job: uuid(),
      accessToken: crypto.randomBytes(32).toString('base64url'),
      serviceConnectionId: uuid(),
    },
  };
}

/** Validates the options, makes the CA and the signing keys, and returns the state every service gets. */
export async function createState(options) {
  const o = resolveOptions(options);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-azure-standins-'));
  const tls = await makeTls(dir);
  const [entra, github, pipelines, acr, aks] = await Promise.all([1, 2, 3, 4, 5].map(() => newSigner()));
  const ci = ciJobs();
  const state = {
    options: o,
    /** Scratch space (the CA, ACR Tasks' Docker configs); close() removes it. */
    dir,
    tls,
    signers: { entra, github, pipelines, acr, aks },
    /** The cluster's service account issuer (AKS's OIDC issuer URL has the tenant and a GUID in its path). */
    aksIssuerPath: `/aks-oidc/${o.tenantId}/${uuid()}`,
    /** Each server's `https://127.0.0.1:<port>` (login, arm, acr, ci), set as it starts. */
    origin: {},
    ci,
    principalObjectId: uuid(),
    managedIdentity: { header: crypto.randomBytes(16).toString('hex') },
    requests: [],
    // The CI request tokens are secrets from the start; everything else is added as it is handed out.
    tokensIssued: [ci.github.requestToken, ci.pipelines.accessToken],
    faults: [],
    /** The AKS run commands received (run-command.mjs). */
    runCommands: [],
    /** User-assigned managed identities (msi.mjs), with their federated identity credentials. */
    identities: createIdentities(o),
    /** ARM RBAC: the actions the principal's roles allow everywhere (`*` a wildcard), or undefined for all. */
    allowedActions: o.allowedActions,
    /**
     * ARM RBAC by scope: [{ scope, actions }], each granting its actions at its scope and every scope below it, as
     * Azure RBAC inherits down management group → subscription → resource group → resource (MicrosoftDocs/azure-docs
     * role-based-access-control/scope-overview.md). ARM checks the action on the scope the request names (its
     * AuthorizationFailed message says `over scope '<that scope>'`), so a list of a resource group's identities needs
     * the read action on the resource group: a role on one identity below it does not list them.
     */
    roleAssignments: o.roleAssignments,
    /**
     * The next `times` PUTs of a federated identity credential find another client writing under the same identity
     * (msi.mjs); with `completes`, that client was writing the same credential, which is stored.
     */
    concurrentCredentialWrites: { times: 0, completes: false },
    cluster: {
      exists: true,
      disableLocalAccounts: false,
      aadManaged: false,
      kedaAddon: false,
      provisioningState: 'Succeeded',
      // AKS's optimistic concurrency: both change on every write of the cluster (aks.mjs).
      eTag: uuid(),
      agentPoolETag: uuid(),
      /** Test switch: this many PUTs find the cluster written by someone else since their client read it. */
      concurrentWrites: 0,
      /** The cluster's OIDC issuer (oidcIssuerProfile.issuerURL), when it has one, and workload identity on it. */
      oidcIssuerURL: undefined,
      workloadIdentity: false,
      /**
       * A private cluster: ARM says so (apiServerAccessProfile.enablePrivateCluster, privateFQDN) and its kubeconfigs
       * name the private FQDN, which does not resolve outside its network; only run command reaches it.
       */
      private: false,
      /** Test switch for run command (run-command.mjs): 'podFailed', 'timeout' or 'truncated'. */
      runCommandFault: undefined,
      runCommandFaultAfter: 0,
      ...o.cluster,
    },
    /**
     * The ARM registry resource's settings that change how it is reached (acr-tasks.mjs, acr.mjs); `policies` as
     * `properties.policies` of Microsoft.ContainerRegistry/registries holds them.
     */
    registryResource: {
      roleAssignmentMode: 'LegacyRegistryPermissions',
      autoGeneratedDomainNameLabelScope: 'Unsecure',
      policies: { azureADAuthenticationAsArmPolicy: { status: 'enabled' }, ...o.registryPolicies },
    },
    /** Resources (audiences) Entra ID has no service principal for in the tenant: their tokens are refused. */
    missingResources: o.missingResources ?? [],

    record: (entry) => state.requests.push(entry),
    issued: (token) => (state.tokensIssued.push(token), token),

    inject({ service, status, retryAfter: after, times = 1 }) {
      if (!FAULT_SERVICES.includes(service)) throw new Error(`inject: unknown service '${service}'`);
      state.faults.push({ service, status, retryAfter: after, times });
    },
    /** Takes the next injected fault for `service`, in the order they were injected. */
    takeFault(service) {
      const fault = state.faults.find((f) => f.service === service);
      if (fault && --fault.times <= 0) state.faults.splice(state.faults.indexOf(fault), 1);
      return fault;
    },

    /** RBAC is off: neither switch is set. */
    rbacOff: () => state.allowedActions === undefined && state.roleAssignments === undefined,
    /** Whether the principal may perform `action` on `scope` (an ARM resource ID; absent: the subscription). */
    isAllowed(action, scope) {
      if (state.rbacOff()) return true;
      return state.actionsAt(scope).some((pattern) => actionMatches(pattern, action));
    },
    /** The actions the principal's roles grant on `scope`: the switch's, and those of assignments at or above it. */
    actionsAt(scope = `/subscriptions/${o.subscriptionId}`) {
      const target = scope.toLowerCase();
      const above = (state.roleAssignments ?? []).filter((assignment) => {
        const at = assignment.scope.toLowerCase().replace(/\/+$/, '');
        return target === at || target.startsWith(`${at}/`);
      });
      return [...(state.allowedActions ?? []), ...above.flatMap((assignment) => assignment.actions)];
    },

    acrLoginServer: () => state.origin.acr.replace('https://', ''),
    githubIssuer: () => `${state.origin.ci}/github`,
    pipelinesIssuer: () => `${state.origin.ci}/vstoken/${ci.pipelinesOrgId}`,
    aksIssuer: () => `${state.origin.ci}${state.aksIssuerPath}`,
    /** The app's federated identity credentials: issuer → the key it signs with and the subject it must name. */
    oidcIssuers: () => ({
      [state.githubIssuer()]: { signer: github, subject: o.federatedSubject },
      [state.pipelinesIssuer()]: { signer: pipelines, subject: o.pipelinesSubject },
      [state.aksIssuer()]: { signer: aks, subject: o.workloadSubject },
    }),
  };
  return state;
}
