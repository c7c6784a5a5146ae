// Where the local stack keeps its state and binaries, and where it listens:
// shared by every module of stack/cluster/.

import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const STACK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.dirname(STACK);
export const STATE = path.resolve(process.env.AFD_CLUSTER_DIR ?? path.join(ROOT, '.cluster'));
export const CACHE = path.resolve(
  process.env.AFD_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'aks-functions-deploy'),
);
export const PKI = path.join(STATE, 'pki');
export const LOGS = path.join(STATE, 'logs');
export const PIDS = path.join(STATE, 'pids');
export const KUBECONFIG = path.join(STATE, 'kubeconfig');
export const KEDA_CERTS = path.join(STATE, 'keda-certs');

export const HOST = '127.0.0.1';
// Fixed ports, below Linux's ephemeral range (32768-60999) so that no
// outgoing connection can hold one when a component wants to listen on it.
export const PORT = {
  etcd: 26379,
  etcdPeer: 26380,
  apiserver: 26443,
  controllerManager: 26444,
  scheduler: 26445,
  kwok: 26446,
  kedaOperatorMetrics: 26447,
  kedaOperatorHealth: 26448,
  kedaMetricsService: 26449,
  kedaWebhooks: 26450,
  kedaWebhooksMetrics: 26451,
  kedaWebhooksHealth: 26452,
  kedaAdapterMetrics: 26453,
  workloadIdentityHealth: 26454,
  workloadIdentityMetrics: 26455,
  // controller-runtime's webhook server port, which the webhook's flags do not change (all interfaces).
  workloadIdentityWebhook: 9443,
  registry: 26500,
  azuriteBlob: 26510,
  azuriteQueue: 26511,
  azuriteTable: 26512,
};
// Service ClusterIPs come from loopback: no kube-proxy exists, and whatever the
// apiserver dials for a Service (admission webhooks, aggregated APIs) must stay
// on this machine. The KEDA supervisor (keda.mjs) serves them there.
export const SERVICE_CIDR = '127.64.0.0/16';
export const NODE_NAME = 'kwok-node-0';
/** The cluster's service account issuer: the apiserver itself, whose discovery document and keys anyone may read. */
export const OIDC_ISSUER = `https://${HOST}:${PORT.apiserver}`;
export const WORKLOAD_IDENTITY_NAMESPACE = 'azure-workload-identity-system';
export const WORKLOAD_IDENTITY_SERVICE = `azure-wi-webhook-webhook-service.${WORKLOAD_IDENTITY_NAMESPACE}.svc`;
export const KEDA_NAMESPACE = 'keda';

export const log = (msg) => process.stderr.write(`[cluster] ${msg}\n`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
