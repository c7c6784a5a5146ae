import { UserError } from '../errors.js';
import type { PrivateClusterPolicy } from '../azure/aks.js';
import type { AzureOptions } from '../azure/azure.js';
import { isCustomCloudUrl, knownCloud } from '../azure/clouds.js';
import type { ClusterSource } from '../cluster/connect.js';
import { GUID } from './checks.js';
import type { InputValues } from './values.js';

export function resolveCluster(values: InputValues, required: boolean): ClusterSource | undefined {
  const kubeconfig = values.string('kubeconfig');
  const resourceGroup = values.string('resource-group');
  const clusterName = values.string('cluster-name');
  if (kubeconfig !== undefined && (resourceGroup !== undefined || clusterName !== undefined)) {
    throw new UserError(
      `input 'kubeconfig' is given together with ` +
        `'${resourceGroup !== undefined ? 'resource-group' : 'cluster-name'}': give a kubeconfig, or an AKS cluster, not both`,
    );
  }
  if (kubeconfig !== undefined) {
    if (values.string('private-cluster') === 'true')
      throw new UserError(
        `input 'private-cluster': true needs an AKS cluster (resource-group and cluster-name), not a kubeconfig`,
      );
    return { kubeconfig };
  }
  if (resourceGroup === undefined && clusterName === undefined) {
    if (required)
      throw new UserError(
        `input 'resource-group' and 'cluster-name' (an AKS cluster), or 'kubeconfig', are required` +
          (values.command === 'deploy' ? ' (or dry-run: true to render only)' : ''),
      );
    return undefined;
  }
  if (resourceGroup === undefined || clusterName === undefined) {
    throw new UserError(
      `input '${resourceGroup === undefined ? 'resource-group' : 'cluster-name'}' is required with input ` +
        `'${resourceGroup === undefined ? 'cluster-name' : 'resource-group'}'`,
    );
  }
  // ARM's own rules for these names, so a typo is caught here and not as a 404.
  if (!/^[-\w.()]{1,90}$/.test(resourceGroup) || resourceGroup.endsWith('.'))
    throw new UserError(`input 'resource-group': '${resourceGroup}' is not a resource group name`);
  if (!/^[a-zA-Z0-9][-_a-zA-Z0-9]{0,62}$/.test(clusterName))
    throw new UserError(`input 'cluster-name': '${clusterName}' is not an AKS cluster name`);
  const subscriptionId = values.string('subscription-id');
  if (subscriptionId === undefined)
    throw new UserError(`input 'subscription-id' is required with an AKS cluster (resource-group and cluster-name)`);
  if (!GUID.test(subscriptionId))
    throw new UserError(`input 'subscription-id': '${subscriptionId}' is not a subscription ID (a GUID)`);
  // Only deploy reaches a private cluster through run command; delete and remove-keda talk to the API server.
  const privateCluster = (values.string('private-cluster') ?? 'false') as PrivateClusterPolicy;
  return { aks: { subscriptionId, resourceGroup, clusterName, admin: values.boolean('admin'), privateCluster } };
}

export function resolveAzure(values: InputValues): AzureOptions {
  const cloud = values.required('cloud');
  if (knownCloud(cloud) === undefined && !isCustomCloudUrl(cloud)) {
    throw new UserError(
      `input 'cloud': '${cloud}' is not AzureCloud, AzureChinaCloud, AzureUSGovernment or the https URL of a ` +
        `custom cloud's Resource Manager`,
    );
  }
  const clientId = values.string('client-id');
  if (clientId !== undefined && !GUID.test(clientId))
    throw new UserError(`input 'client-id': '${clientId}' is not a client ID (a GUID)`);
  const tenantId = values.string('tenant-id');
  // A tenant may be named by its domain too (contoso.onmicrosoft.com).
  if (tenantId !== undefined && !GUID.test(tenantId) && !/^[a-z0-9][-a-z0-9.]*\.[a-z]{2,}$/i.test(tenantId))
    throw new UserError(`input 'tenant-id': '${tenantId}' is not a tenant ID (a GUID or a domain)`);
  const audience = values.string('audience');
  if (audience !== undefined && /\s/.test(audience))
    throw new UserError(`input 'audience': '${audience}' is not an audience (an application ID URI, no spaces)`);
  return {
    cloud,
    auth: values.required('auth') as AzureOptions['auth'],
    audience,
    clientId,
    tenantId,
    clientSecret: values.string('client-secret'),
    clientCertificate: values.string('client-certificate'),
  };
}
