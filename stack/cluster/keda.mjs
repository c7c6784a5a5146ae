// KEDA out of cluster: the supervisor that starts and stops the real KEDA
// programs as KEDA is installed into and removed from the cluster.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HOST, KEDA_CERTS, KEDA_NAMESPACE, KUBECONFIG, PORT, STACK, log, sleep } from './config.mjs';
import { binary } from './go-builds.mjs';
import { kube } from './http.mjs';
import { isRunning, requirePortFree, startProcess, stopProcess } from './processes.mjs';

const KEDA_CRD = 'scaledobjects.keda.sh';

// The entry point, whose `keda-supervisor` command runs kedaSupervisor() below.
const CLUSTER_SCRIPT = path.join(STACK, 'cluster.mjs');

// The environment of KEDA's programs out of cluster.
const KEDA_ENV = {
  KUBECONFIG,
  POD_NAMESPACE: KEDA_NAMESPACE,
  KEDA_CLUSTER_OBJECT_NAMESPACE: KEDA_NAMESPACE,
  WATCH_NAMESPACE: '',
  KEDA_HTTP_DEFAULT_TIMEOUT: '3000',
};

export async function startKedaSupervisor() {
  if (isRunning('keda-supervisor')) return;
  for (const p of [PORT.kedaOperatorMetrics, PORT.kedaOperatorHealth, PORT.kedaMetricsService, PORT.kedaWebhooks]) {
    await requirePortFree(p, 'KEDA');
  }
  startProcess('keda-supervisor', process.execPath, [CLUSTER_SCRIPT, 'keda-supervisor']);
}

async function serviceIP(name) {
  const r = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}/services/${name}`);
  return r.status === 200 ? r.json.spec.clusterIP : undefined;
}

// The operator keeps its certificates in a Secret that KEDA's pods mount at
// --cert-dir; out of cluster we do the mounting, as a kubelet would.
async function syncCerts() {
  const r = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}/secrets/kedaorg-certs`);
  if (r.status !== 200) return false;
  const files = ['ca.crt', 'tls.crt', 'tls.key'];
  if (!files.every((f) => r.json.data?.[f])) return false;
  for (const f of files) {
    const content = Buffer.from(r.json.data[f], 'base64');
    const file = path.join(KEDA_CERTS, f);
    if (!fs.existsSync(file) || !content.equals(fs.readFileSync(file)))
      fs.writeFileSync(file, content, { mode: 0o600 });
  }
  return true;
}

const operatorArgs = () => [
  `--metrics-bind-address=${HOST}:${PORT.kedaOperatorMetrics}`,
  `--health-probe-bind-address=${HOST}:${PORT.kedaOperatorHealth}`,
  `--metrics-service-bind-address=${HOST}:${PORT.kedaMetricsService}`,
  `--cert-dir=${KEDA_CERTS}`,
  '--enable-cert-rotation=true',
  '--leader-elect=false',
  '--zap-log-level=info',
  '--zap-encoder=console',
  '--zap-time-encoding=rfc3339',
];

const webhooksArgs = () => [
  `--port=${PORT.kedaWebhooks}`,
  `--cert-dir=${KEDA_CERTS}`,
  `--metrics-bind-address=${HOST}:${PORT.kedaWebhooksMetrics}`,
  `--health-probe-bind-address=${HOST}:${PORT.kedaWebhooksHealth}`,
  '--zap-log-level=info',
  '--zap-encoder=console',
];

const adapterArgs = (metricsIP) => [
  `--bind-address=${metricsIP}`,
  '--secure-port=443',
  `--tls-cert-file=${path.join(KEDA_CERTS, 'tls.crt')}`,
  `--tls-private-key-file=${path.join(KEDA_CERTS, 'tls.key')}`,
  `--client-ca-file=${path.join(KEDA_CERTS, 'ca.crt')}`,
  // Also where its gRPC client finds the certificates for the operator.
  `--cert-dir=${KEDA_CERTS}`,
  `--authentication-kubeconfig=${KUBECONFIG}`,
  `--authorization-kubeconfig=${KUBECONFIG}`,
  `--lister-kubeconfig=${KUBECONFIG}`,
  `--metrics-service-address=${HOST}:${PORT.kedaMetricsService}`,
  `--metrics-service-grpc-authority=keda-operator.${KEDA_NAMESPACE}.svc.cluster.local`,
  // Its Prometheus endpoint; KEDA's adapter binds it on all interfaces.
  `--port=${PORT.kedaAdapterMetrics}`,
];

// Runs for as long as the cluster does. The cluster comes up without KEDA;
// once KEDA's CRDs are installed (by a test, or by the tool under test), this
// starts the real KEDA operator out of cluster, and, once the operator has
// issued its certificates and the Services exist, KEDA's admission webhooks
// and metrics API server on the Services' (loopback) ClusterIPs, which is
// where the apiserver calls them.
export async function kedaSupervisor() {
  const children = new Map();
  const forwarders = new Map();
  let stopping = false;

  const stopAll = async () => {
    stopping = true;
    for (const f of forwarders.values()) f.close();
    await Promise.all([...children.keys()].map((n) => stopProcess(n)));
    process.exit(0);
  };
  process.on('SIGTERM', stopAll);
  process.on('SIGINT', stopAll);

  const ensure = (name, args) => {
    if (stopping || isRunning(name)) return;
    const last = children.get(name) ?? 0;
    if (Date.now() - last < 2000) return; // back off a crashing program
    log(`starting ${name}`);
    children.set(name, Date.now());
    startProcess(name, binary('keda', name), args, { env: KEDA_ENV });
  };

  // Forwards <ClusterIP>:<port> to a KEDA program listening on 127.0.0.1;
  // a kube-proxy for this one Service port.
  const forward = (ip, port, target) => {
    const key = `${ip}:${port}`;
    if (forwarders.has(key)) return;
    const server = net.createServer((c) => {
      const u = net.connect({ host: HOST, port: target });
      c.pipe(u).pipe(c);
      c.on('error', () => u.destroy());
      u.on('error', () => c.destroy());
    });
    server.on('error', (e) => {
      log(`cannot listen on ${key}: ${e.message}`);
      forwarders.delete(key);
    });
    server.listen(port, ip, () => log(`forwarding ${key} -> ${HOST}:${target}`));
    forwarders.set(key, server);
  };

  // KEDA's namespace gone: stop KEDA, so that a new install starts from
  // scratch (new certificates, new Service IPs). Not earlier: while the
  // namespace terminates, the namespace controller needs every aggregated API,
  // KEDA's metrics API included, to answer discovery.
  const uninstall = async () => {
    if (![...children.keys()].some(isRunning) && forwarders.size === 0) return;
    log('KEDA is not installed (any more): stopping it');
    for (const f of forwarders.values()) f.close();
    forwarders.clear();
    await Promise.all([...children.keys()].map((n) => stopProcess(n)));
    children.clear();
    fs.rmSync(KEDA_CERTS, { recursive: true, force: true });
  };

  let adapterIP;
  let namespaceUid;
  for (;;) {
    try {
      const crd = await kube('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${KEDA_CRD}`);
      const ns = await kube('GET', `/api/v1/namespaces/${KEDA_NAMESPACE}`);
      if (ns.status === 404) {
        await uninstall();
      } else if (crd.status === 200 && ns.status === 200) {
        // A namespace made anew between two looks (its 404 missed on a busy machine): in a cluster the old
        // namespace's pods died with it, so the programs of the old install stop here too. Kept running, the operator
        // never writes the new namespace's certificate Secret, and the adapter and webhooks never start again.
        const uid = ns.json.metadata?.uid;
        if (namespaceUid !== undefined && uid !== namespaceUid) await uninstall();
        namespaceUid = uid;
        fs.mkdirSync(KEDA_CERTS, { recursive: true });
        const certsReady = await syncCerts();
        ensure('keda-operator', operatorArgs());
        const webhookIP = await serviceIP('keda-admission-webhooks');
        if (webhookIP && certsReady) {
          ensure('keda-webhooks', webhooksArgs());
          forward(webhookIP, 443, PORT.kedaWebhooks);
        }
        const metricsIP = await serviceIP('keda-metrics-apiserver');
        if (metricsIP && adapterIP && metricsIP !== adapterIP) await stopProcess('keda-adapter');
        if (metricsIP && certsReady) {
          adapterIP = metricsIP;
          ensure('keda-adapter', adapterArgs(metricsIP));
        }
      }
    } catch (e) {
      log(`supervisor: ${e.message}`);
    }
    await sleep(1000);
  }
}
