// The control plane: etcd, kube-apiserver (with the Entra ID users' token
// file), kube-controller-manager, kube-scheduler and kwok with its node.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HOST, KUBECONFIG, NODE_NAME, OIDC_ISSUER, PKI, PORT, SERVICE_CIDR, STACK, STATE } from './config.mjs';
import { binary } from './go-builds.mjs';
import { kube, request } from './http.mjs';
import { isRunning, requirePortFree, startProcess, waitFor } from './processes.mjs';

const POD_CIDR = '10.244.0.1/16';

export async function startEtcd() {
  if (isRunning('etcd')) return;
  await requirePortFree(PORT.etcd, 'etcd');
  const url = `http://${HOST}:${PORT.etcd}`;
  startProcess('etcd', binary('etcd', 'etcd'), [
    '--name=afd',
    `--data-dir=${path.join(STATE, 'etcd')}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=http://${HOST}:${PORT.etcdPeer}`,
    `--initial-advertise-peer-urls=http://${HOST}:${PORT.etcdPeer}`,
    `--initial-cluster=afd=http://${HOST}:${PORT.etcdPeer}`,
    '--quota-backend-bytes=2147483648',
    // Test data: losing it in a crash costs nothing, fsync costs a lot.
    '--unsafe-no-fsync',
  ]);
  await waitFor('etcd', async () => (await request(`${url}/health`)).json?.health === 'true', 30_000, 'etcd');
}

export async function startApiserver() {
  if (isRunning('kube-apiserver')) return;
  await requirePortFree(PORT.apiserver, 'kube-apiserver');
  const pki = (f) => path.join(PKI, f);
  startProcess('kube-apiserver', binary('kubernetes', 'kube-apiserver'), [
    `--etcd-servers=http://${HOST}:${PORT.etcd}`,
    `--bind-address=${HOST}`,
    `--advertise-address=${HOST}`,
    `--secure-port=${PORT.apiserver}`,
    // Endpoints may not hold loopback addresses, and nothing in-cluster needs
    // the `kubernetes` Service's endpoints here.
    '--endpoint-reconciler-type=none',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    `--client-ca-file=${pki('ca.crt')}`,
    // The token an Entra ID-integrated AKS cluster would accept from the
    // Entra ID stand-in (stack/azure): a bearer token the apiserver really checks.
    `--token-auth-file=${entraTokenFile()}`,
    `--tls-cert-file=${pki('apiserver.crt')}`,
    `--tls-private-key-file=${pki('apiserver.key')}`,
    // The node's InternalIP is kwok's server on loopback; its Hostname would
    // need a DNS lookup.
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
    `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
    // The OIDC issuer of workload identity, as AKS's is: an https URL the Entra ID stand-in reaches, whose
    // discovery document names the keys (the apiserver serves both; see allowIssuerDiscovery).
    `--service-account-issuer=${OIDC_ISSUER}`,
    `--service-account-jwks-uri=${OIDC_ISSUER}/openid/v1/jwks`,
    `--service-account-key-file=${pki('sa.pub')}`,
    `--service-account-signing-key-file=${pki('sa.key')}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    // The aggregator (for KEDA's external metrics API) authenticates to
    // extension API servers with this front-proxy client certificate.
    `--requestheader-client-ca-file=${pki('front-proxy-ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${pki('front-proxy-client.crt')}`,
    `--proxy-client-key-file=${pki('front-proxy-client.key')}`,
    '--profiling=false',
    '--v=1',
  ]);
  await waitFor(
    'kube-apiserver /readyz',
    async () => (await kube('GET', '/readyz')).status === 200,
    120_000,
    'kube-apiserver',
  );
  await allowIssuerDiscovery();
}

/**
 * AKS's OIDC issuer serves its discovery document and keys to anyone (Entra ID reads them unauthenticated); the
 * apiserver does once the issuer-discovery role is bound to unauthenticated callers.
 */
async function allowIssuerDiscovery() {
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'service-account-issuer-discovery-public' },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:service-account-issuer-discovery',
    },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:unauthenticated' }],
  };
  const r = await kube('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding);
  if (r.status !== 201 && r.status !== 409) throw new Error(`binding issuer discovery: ${r.status} ${r.text}`);
}

export async function startControllerManager() {
  if (isRunning('kube-controller-manager')) return;
  await requirePortFree(PORT.controllerManager, 'kube-controller-manager');
  startProcess('kube-controller-manager', binary('kubernetes', 'kube-controller-manager'), [
    `--kubeconfig=${KUBECONFIG}`,
    `--authentication-kubeconfig=${KUBECONFIG}`,
    `--authorization-kubeconfig=${KUBECONFIG}`,
    `--bind-address=${HOST}`,
    `--secure-port=${PORT.controllerManager}`,
    '--leader-elect=false',
    `--service-account-private-key-file=${path.join(PKI, 'sa.key')}`,
    `--root-ca-file=${path.join(PKI, 'ca.crt')}`,
    `--cluster-signing-cert-file=${path.join(PKI, 'ca.crt')}`,
    `--cluster-signing-key-file=${path.join(PKI, 'ca.key')}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // KEDA's HPAs should react within the tests' time scale.
    '--horizontal-pod-autoscaler-sync-period=5s',
    '--v=1',
  ]);
  await waitFor(
    'kube-controller-manager /healthz',
    async () =>
      (await request(`https://${HOST}:${PORT.controllerManager}/healthz`, { tls: { rejectUnauthorized: false } }))
        .status === 200,
    60_000,
    'kube-controller-manager',
  );
}

export async function startScheduler() {
  if (isRunning('kube-scheduler')) return;
  await requirePortFree(PORT.scheduler, 'kube-scheduler');
  startProcess('kube-scheduler', binary('kubernetes', 'kube-scheduler'), [
    `--kubeconfig=${KUBECONFIG}`,
    `--authentication-kubeconfig=${KUBECONFIG}`,
    `--authorization-kubeconfig=${KUBECONFIG}`,
    `--bind-address=${HOST}`,
    `--secure-port=${PORT.scheduler}`,
    '--leader-elect=false',
    '--v=1',
  ]);
  await waitFor(
    'kube-scheduler /healthz',
    async () =>
      (await request(`https://${HOST}:${PORT.scheduler}/healthz`, { tls: { rejectUnauthorized: false } })).status ===
      200,
    60_000,
    'kube-scheduler',
  );
}

export async function startKwok() {
  if (!isRunning('kwok')) {
    await requirePortFree(PORT.kwok, 'kwok');
    startProcess('kwok', binary('kwok', 'kwok'), [
      `--kubeconfig=${KUBECONFIG}`,
      `--config=${path.join(STACK, 'kwok', 'node-stages.yaml')}`,
      `--config=${path.join(STACK, 'kwok', 'pod-stages.yaml')}`,
      '--manage-all-nodes=true',
      `--cidr=${POD_CIDR}`,
      // The node's "kubelet" is kwok's own server on loopback: logs/exec
      // requests from the apiserver never leave this machine.
      `--node-ip=${HOST}`,
      `--node-port=${PORT.kwok}`,
      `--server-address=${HOST}:${PORT.kwok}`,
      `--tls-cert-file=${path.join(PKI, 'kwok.crt')}`,
      `--tls-private-key-file=${path.join(PKI, 'kwok.key')}`,
      '--node-lease-duration-seconds=40',
    ]);
  }
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: NODE_NAME,
      labels: {
        'kubernetes.io/hostname': NODE_NAME,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'kwok',
        type: 'kwok',
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {},
  };
  const r = await kube('POST', '/api/v1/nodes', node);
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating node ${NODE_NAME}: ${r.status} ${r.text}`);
  await waitFor(
    `node ${NODE_NAME} Ready`,
    async () => {
      const n = (await kube('GET', `/api/v1/nodes/${NODE_NAME}`)).json;
      return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    60_000,
    'kwok',
  );
  // Pods need their namespace's `default` ServiceAccount, which the
  // controller-manager creates shortly after it starts.
  await waitFor(
    'ServiceAccount default/default',
    async () => (await kube('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    60_000,
  );
}

// ---- Entra ID users

/** A static token for an Entra ID user, in the apiserver's token file; made once per cluster. */
export function entraToken() {
  const file = path.join(STATE, 'entra-token');
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function entraTokenFile() {
  const file = path.join(STATE, 'entra-tokens.csv');
  // token,user,uid,"groups": an Entra ID user who is a cluster admin, as an AKS cluster admin group member would be.
  fs.writeFileSync(file, `${entraToken()},entra-user@example.com,entra-user,"system:masters"\n`, { mode: 0o600 });
  return file;
}
