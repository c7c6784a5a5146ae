// AKS stand-in (the Microsoft.ContainerService resource provider behind ARM):
// the one managedCluster, its PUT as an async operation that turns on the
// KEDA add-on, Entra integration or local accounts, and the user and admin
// credentials, aimed at the local apiserver.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { armError, armNotFound, readBody, sendJson } from './http.mjs';
import { AKS_SERVER_APP_ID, uuid } from './state.mjs';

/** The Azure Kubernetes Service AAD client AKS writes into user kubeconfigs. */
const AKS_CLIENT_APP_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

export const clusterId = (sub, rg, name) =>
  `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;

/** The private FQDN AKS gives a private cluster: <dnsPrefix>-<hash>.<guid>.privatelink.<region>.azmk8s.io. */
const privateFqdn = (state) =>
  `${state.options.clusterName.toLowerCase()}-${crypto.createHash('sha256').update(state.options.clusterName).digest('hex').slice(0, 8)}.${state.aksIssuerPath.split('/').at(-1)}.privatelink.${state.options.location}.azmk8s.io`;

/** A kubeconfig as handed out: a private cluster's names its private FQDN, reachable only inside its network. */
const servedKubeconfig = (state, yamlText) =>
  state.cluster.private
    ? yamlText.replace(/^(\s*server:\s*)\S+\s*$/m, `$1https://${privateFqdn(state)}:443`)
    : yamlText;

function managedCluster(state) {
  const { options: o, cluster } = state;
  const { subscriptionId: sub, resourceGroup: rg, clusterName: name, location } = o;
  const provisioningState = cluster.provisioningState;
  const prefix = `${name}-${rg}-${sub.slice(0, 6)}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .slice(0, 54);
  const suffix = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
  const properties = {
    provisioningState,
    powerState: { code: 'Running' },
    kubernetesVersion: o.kubernetesVersion,
    currentKubernetesVersion: o.kubernetesVersion,
    dnsPrefix: prefix,
    // A private cluster without a public FQDN has only its private one (privatelink zone of its region).
    ...(cluster.private
      ? {
          privateFQDN: privateFqdn(state),
          apiServerAccessProfile: { enablePrivateCluster: true, enablePrivateClusterPublicFQDN: false },
        }
      : { fqdn: `${prefix}-${suffix}.hcp.${location}.azmk8s.io` }),
    azurePortalFQDN: `${prefix}-${suffix}.portal.hcp.${location}.azmk8s.io`,
    agentPoolProfiles: [
      {
        name: 'nodepool1',
        count: 1,
        vmSize: 'Standard_D2s_v5',
        osDiskSizeGB: 128,
        osDiskType: 'Managed',
        kubeletDiskType: 'OS',
        maxPods: 110,
        type: 'VirtualMachineScaleSets',
        provisioningState,
        powerState: { code: 'Running' },
        orchestratorVersion: o.kubernetesVersion,
        currentOrchestratorVersion: o.kubernetesVersion,
        mode: 'System',
        osType: 'Linux',
        osSKU: 'Ubuntu',
        nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.03.0',
        enableFIPS: false,
        eTag: cluster.agentPoolETag,
      },
    ],
    servicePrincipalProfile: { clientId: 'msi' },
    nodeResourceGroup: `MC_${rg}_${name}_${location}`,
    enableRBAC: true,
    supportPlan: 'KubernetesOfficial',
    networkProfile: {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'none',
      loadBalancerSku: 'standard',
      podCidr: '10.244.0.0/16',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIP: '10.0.0.10',
      outboundType: 'loadBalancer',
      podCidrs: ['10.244.0.0/16'],
      serviceCidrs: ['10.0.0.0/16'],
      ipFamilies: ['IPv4'],
    },
    // AKS omits aadProfile for clusters without Entra integration.
    ...(cluster.aadManaged
      ? { aadProfile: { managed: true, adminGroupObjectIDs: null, enableAzureRBAC: true, tenantID: o.tenantId } }
      : {}),
    maxAgentPools: 100,
    disableLocalAccounts: cluster.disableLocalAccounts,
    // As ManagedClustersGet (2025-07-01) shows them: the issuer URL only while the issuer is enabled.
    securityProfile: cluster.workloadIdentity ? { workloadIdentity: { enabled: true } } : {},
    storageProfile: {
      diskCSIDriver: { enabled: true },
      fileCSIDriver: { enabled: true },
      snapshotController: { enabled: true },
    },
    oidcIssuerProfile: cluster.oidcIssuerURL ? { enabled: true, issuerURL: cluster.oidcIssuerURL } : { enabled: false },
    // Never-enabled KEDA is an empty profile, as AKS returns it; a client must treat both as "off".
    workloadAutoScalerProfile: cluster.kedaAddon ? { keda: { enabled: true } } : {},
    resourceUID: crypto.createHash('sha256').update(`${sub}/${rg}/${name}`).digest('hex').slice(0, 24),
  };
  return {
    id: clusterId(sub, rg, name),
    location,
    name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    eTag: cluster.eTag,
    sku: { name: 'Base', tier: 'Free' },
    identity: { type: 'SystemAssigned', principalId: state.principalObjectId, tenantId: o.tenantId },
    properties,
  };
}

/** The kubelogin exec kubeconfig AKS returns for Entra-managed clusters, aimed at the local apiserver. */
function aadKubeconfig(o) {
  const server = /^\s*server:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
  let ca = /^\s*certificate-authority-data:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
  const caFile = /^\s*certificate-authority:\s*(\S+)\s*$/m.exec(o.kubeconfig)?.[1];
  if (!ca && caFile) ca = fs.readFileSync(caFile).toString('base64');
  const { clusterName: name, resourceGroup: rg } = o;
  const user = `clusterUser_${rg}_${name}`;
  const args = [
    'get-token',
    '--environment',
    'AzurePublicCloud',
    '--server-id',
    AKS_SERVER_APP_ID,
    '--client-id',
    AKS_CLIENT_APP_ID,
    '--tenant-id',
    o.tenantId,
    '--login',
    'devicecode',
  ];
  return [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${ca}`,
    `    server: ${server}`,
    `  name: ${name}`,
    'contexts:',
    '- context:',
    `    cluster: ${name}`,
    `    user: ${user}`,
    `  name: ${name}`,
    `current-context: ${name}`,
    'kind: Config',
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1beta1',
    '      args:',
    ...args.map((a) => `      - ${a}`),
    '      command: kubelogin',
    '      env: null',
    '      installHint: |2',
    '',
    '        kubelogin is not installed which is required to connect to AAD enabled cluster.',
    '',
    '        To learn more, please go to https://aka.ms/aks/kubelogin',
    '      provideClusterInfo: false',
    '',
  ].join('\n');
}

const kubeconfigs = (name, yaml) => ({ kubeconfigs: [{ name, value: Buffer.from(yaml).toString('base64') }] });
/** A header's entity tag without the quotes HTTP allows around it. */
const entityTag = (value) => value?.trim().replace(/^"(.*)"$/, '$1');

/**
 * AKS's conditional PUT, as the AKS eTag article (MicrosoftDocs/azure-docs, "Enhance concurrency control with entity
 * tags (eTags) in Azure Kubernetes Service") tabulates it, for the If-Match and If-None-Match headers that
 * ManagedClusters_CreateOrUpdate takes (azure-rest-api-specs containerservice/…/aks/stable/2025-07-01/
 * managedClusters.json; the ManagedCluster's read-only `eTag` "will change when the resource is updated"):
 * If-None-Match may only be empty or `*`, not together with If-Match; `*` on an existing cluster, an If-Match on a
 * missing one, or an If-Match that is not the current eTag is 412 PreConditionFailed. The article gives the codes,
 * not the messages: the messages are ours. Returns true when it answered.
 */
function preconditionFailed(state, req, res) {
  const { options: o, cluster } = state;
  const ifMatch = entityTag(req.headers['if-match']);
  const ifNoneMatch = entityTag(req.headers['if-none-match']);
  if (ifNoneMatch && ifNoneMatch !== '*') {
    armError(res, 400, 'BadRequest', "The If-None-Match header can only be empty or '*'.");
    return true;
  }
  if (ifNoneMatch === '*' && ifMatch) {
    armError(res, 400, 'BadRequest', 'The If-Match and If-None-Match headers cannot be used together.');
    return true;
  }
  // The test switch: another client's write lands between this client's GET and its PUT.
  if (cluster.concurrentWrites > 0) {
    cluster.concurrentWrites--;
    newETags(cluster);
  }
  const stale =
    (ifNoneMatch === '*' && cluster.exists) ||
    (ifMatch && (!cluster.exists || (ifMatch !== '*' && ifMatch !== cluster.eTag)));
  if (!stale) return false;
  armError(
    res,
    412,
    'PreConditionFailed',
    ifMatch
      ? `The If-Match header '${ifMatch}' does not match the current eTag of managed cluster '${o.clusterName}'. Get the cluster again for its current eTag.`
      : `Managed cluster '${o.clusterName}' already exists (If-None-Match: *).`,
  );
  return true;
}

/** A cluster-level write changes the cluster's eTag and its agent pools'. */
function newETags(cluster) {
  cluster.eTag = uuid();
  cluster.agentPoolETag = uuid();
}

async function putCluster(state, operations, req, res, route) {
  const { options: o, cluster } = state;
  const body = JSON.parse((await readBody(req)) || '{}');
  if (route.name.toLowerCase() !== o.clusterName.toLowerCase()) {
    return armError(res, 400, 'BadRequest', `The stand-in serves one managed cluster, '${o.clusterName}'.`);
  }
  if (preconditionFailed(state, req, res)) return undefined;
  if (!body.location) return armError(res, 400, 'InvalidParameter', "Required parameter 'location' is missing (null).");
  const running = [...operations.values()].find((op) => op.status === 'InProgress');
  if (running) {
    return armError(
      res,
      409,
      'OperationNotAllowed',
      `Operation is not allowed because there's an in progress update managed cluster operation on the managed cluster started at ${running.startTime}. Please wait for it to complete.`,
    );
  }
  const p = body.properties ?? {};
  if (p.workloadAutoScalerProfile?.keda?.enabled !== undefined)
    cluster.kedaAddon = Boolean(p.workloadAutoScalerProfile.keda.enabled);
  if (p.disableLocalAccounts !== undefined) cluster.disableLocalAccounts = Boolean(p.disableLocalAccounts);
  if (p.aadProfile?.managed !== undefined) cluster.aadManaged = Boolean(p.aadProfile.managed);
  const created = !cluster.exists;
  cluster.exists = true;
  newETags(cluster);
  cluster.provisioningState = created ? 'Creating' : 'Updating';
  const id = uuid();
  operations.set(id, { status: 'InProgress', polls: 0, startTime: new Date().toISOString() });
  const asyncOperation = `${state.origin.arm}/subscriptions/${o.subscriptionId}/providers/Microsoft.ContainerService/locations/${o.location}/operations/${id}?api-version=2016-03-30`;
  return sendJson(res, created ? 201 : 200, managedCluster(state), { 'azure-asyncoperation': asyncOperation });
}

/** The Azure-AsyncOperation status resource: InProgress for `lroPolls` polls, then Succeeded. */
function operationStatus(state, operations, res, route) {
  const op = operations.get(route.id);
  if (!op) return armError(res, 404, 'NotFound', `Operation '${route.id}' was not found.`);
  if (op.status === 'InProgress' && ++op.polls > state.options.lroPolls) {
    op.status = 'Succeeded';
    op.endTime = new Date().toISOString();
    state.cluster.provisioningState = 'Succeeded';
  }
  return sendJson(res, 200, {
    id: route.scope,
    name: route.id,
    status: op.status,
    startTime: op.startTime,
    ...(op.endTime ? { endTime: op.endTime } : {}),
  });
}

/**
 * The managedClusters routes ARM hands over (`get`, `put`, `userCredential`, `adminCredential`)
 * and the status of the operations a PUT starts (`operation`).
 */
export function createAksHandler(state) {
  const { options: o, cluster } = state;
  const operations = new Map();
  return (req, res, route) => {
    if (route.kind === 'operation') return operationStatus(state, operations, res, route);
    if (route.kind === 'put') return putCluster(state, operations, req, res, route);
    if (route.name.toLowerCase() !== o.clusterName.toLowerCase() || !cluster.exists)
      return armNotFound(res, route, `Microsoft.ContainerService/managedClusters/${route.name}`);
    if (route.kind === 'get') return sendJson(res, 200, managedCluster(state));
    if (route.kind === 'userCredential') {
      const kubeconfig = cluster.aadManaged ? aadKubeconfig(o) : o.kubeconfig;
      return sendJson(res, 200, kubeconfigs('clusterUser', servedKubeconfig(state, kubeconfig)));
    }
    // route.kind === 'adminCredential'
    if (cluster.disableLocalAccounts) {
      return armError(
        res,
        400,
        'BadRequest',
        'Getting static credential is not allowed because this cluster is set to disable local accounts.',
      );
    }
    return sendJson(res, 200, kubeconfigs('clusterAdmin', servedKubeconfig(state, o.kubeconfig)));
  };
}
