// .cluster/env: what the tests, the demo and the bench need to reach the stack.

import fs from 'node:fs';
import path from 'node:path';
import { azuriteConnectionString, azuriteEndpoint } from './azurite.mjs';
import { HOST, KEDA_NAMESPACE, KUBECONFIG, LOGS, NODE_NAME, OIDC_ISSUER, PKI, PORT, STATE } from './config.mjs';
import { entraToken } from './control-plane.mjs';
import { registryCredentials } from './docker.mjs';
import { requiredVersion } from './go-builds.mjs';
import { workloadIdentityTenant } from './workload-identity.mjs';

export function writeEnv(dockerHost) {
  const { username, password } = registryCredentials();
  const env = {
    KUBECONFIG,
    REGISTRY: `${HOST}:${PORT.registry}`,
    REGISTRY_USERNAME: username,
    REGISTRY_PASSWORD: password,
    ENTRA_CLUSTER_TOKEN: entraToken(),
    DOCKER_HOST: dockerHost,
    AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(),
    AZURITE_QUEUE_ENDPOINT: azuriteEndpoint(PORT.azuriteQueue),
    AZURITE_BLOB_ENDPOINT: azuriteEndpoint(PORT.azuriteBlob),
    KUBE_VERSION: requiredVersion('kubernetes', 'k8s.io/kubernetes'),
    KEDA_VERSION: requiredVersion('keda', 'github.com/kedacore/keda/v2'),
    KEDA_NAMESPACE,
    CLUSTER_NODE: NODE_NAME,
    OIDC_ISSUER_URL: OIDC_ISSUER,
    CLUSTER_CA_FILE: path.join(PKI, 'ca.crt'),
    WORKLOAD_IDENTITY_TENANT_ID: workloadIdentityTenant(),
    WORKLOAD_IDENTITY_VERSION: requiredVersion('workload-identity', 'github.com/Azure/azure-workload-identity'),
    CLUSTER_LOGS: LOGS,
  };
  const text =
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n';
  fs.writeFileSync(path.join(STATE, 'env'), text, { mode: 0o600 });
  return env;
}

export function readEnv(file = path.join(STATE, 'env')) {
  const env = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}
