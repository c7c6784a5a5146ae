// The Azure Workload Identity webhook out of cluster, as AKS runs it when workload
// identity is enabled: pods labelled azure.workload.identity/use get their service
// account's identity (AZURE_* variables, the projected token volume). Registered as
// upstream's deploy/azure-wi-webhook.yaml registers it, through a Service whose
// (loopback) ClusterIP reaches the webhook's port on this machine.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HOST, KUBECONFIG, PKI, PORT, STATE, WORKLOAD_IDENTITY_NAMESPACE as NAMESPACE } from './config.mjs';
import { binary } from './go-builds.mjs';
import { kube, request } from './http.mjs';
import { isRunning, requirePortFree, startProcess, waitFor } from './processes.mjs';

const SERVICE = 'azure-wi-webhook-webhook-service';
const CONFIGURATION = 'azure-wi-webhook-mutating-webhook-configuration';

/** The cluster's tenant, the webhook's default for a service account that names none; made once per cluster. */
export function workloadIdentityTenant() {
  const file = path.join(STATE, 'workload-identity-tenant');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomUUID());
  return fs.readFileSync(file, 'utf8').trim();
}

async function create(apiPath, object) {
  const r = await kube('POST', apiPath, object);
  if (r.status !== 201 && r.status !== 409)
    throw new Error(`creating ${object.kind} ${object.metadata.name}: ${r.status} ${r.text}`);
}

/** The namespace, the Service and the MutatingWebhookConfiguration, verified against the stack's CA. */
async function register() {
  await create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
  const port = PORT.workloadIdentityWebhook;
  await create(`/api/v1/namespaces/${NAMESPACE}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SERVICE, namespace: NAMESPACE },
    // The ClusterIP is a loopback address: the apiserver's call reaches the webhook listening on all interfaces.
    spec: { ports: [{ port, targetPort: port }], selector: { 'azure-workload-identity.io/system': 'true' } },
  });
  await create('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: CONFIGURATION },
    webhooks: [
      {
        name: 'mutation.azure-workload-identity.io',
        admissionReviewVersions: ['v1', 'v1beta1'],
        clientConfig: {
          service: { name: SERVICE, namespace: NAMESPACE, path: '/mutate-v1-pod', port },
          caBundle: fs.readFileSync(path.join(PKI, 'ca.crt')).toString('base64'),
        },
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        objectSelector: { matchLabels: { 'azure.workload.identity/use': 'true' } },
        reinvocationPolicy: 'IfNeeded',
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
        sideEffects: 'None',
      },
    ],
  });
}

export async function startWorkloadIdentityWebhook() {
  if (isRunning('azure-wi-webhook')) return;
  for (const port of [PORT.workloadIdentityWebhook, PORT.workloadIdentityHealth, PORT.workloadIdentityMetrics])
    await requirePortFree(port, 'the workload identity webhook');
  // The serving certificate the chart's cert rotation would make, from the stack's CA instead.
  const certs = path.join(STATE, 'azure-wi-certs');
  fs.mkdirSync(certs, { recursive: true, mode: 0o700 });
  fs.copyFileSync(path.join(PKI, 'azure-wi-webhook.crt'), path.join(certs, 'tls.crt'));
  fs.copyFileSync(path.join(PKI, 'azure-wi-webhook.key'), path.join(certs, 'tls.key'));
  await register();
  startProcess(
    'azure-wi-webhook',
    binary('workload-identity', 'azure-wi-webhook'),
    [
      `--webhook-cert-dir=${certs}`,
      '--disable-cert-rotation',
      `--health-addr=${HOST}:${PORT.workloadIdentityHealth}`,
      `--metrics-addr=${HOST}:${PORT.workloadIdentityMetrics}`,
      '--log-level=info',
    ],
    {
      env: {
        KUBECONFIG,
        POD_NAMESPACE: NAMESPACE,
        AZURE_TENANT_ID: workloadIdentityTenant(),
        AZURE_ENVIRONMENT: 'AzurePublicCloud',
      },
    },
  );
  await waitFor(
    'workload identity webhook /readyz',
    async () => (await request(`http://${HOST}:${PORT.workloadIdentityHealth}/readyz`)).status === 200,
    60_000,
    'azure-wi-webhook',
  );
}
