// HTTP functions scaled by KEDA's Prometheus scaler on the local stack: the bundled CLI deploys, the real KEDA
// operator and metrics server query a Prometheus-compatible endpoint this test serves, and the real HPA controller
// scales the -http Deployment.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { cli, type Run, stackDeployArgs, until } from './run-cli.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);

const namespace = `afd-http-${Date.now().toString(36)}`;
const IMAGE = `registry.local/orders@sha256:${'1'.padStart(64, '0')}`;
const QUERY = 'sum(rate(http_requests_total{service="web-http"}[1m]))';
const TOKEN = randomBytes(24).toString('hex');

/**
 * A Prometheus server's instant-query endpoint, as KEDA's scaler calls it (GET /api/v1/query?query=…&time=…), in the
 * wire format of Prometheus's HTTP API (prometheus/prometheus docs/querying/api.md: the JSON envelope, a vector
 * result whose sample is [unix time, "value"], 400 bad_data for a missing or malformed parameter). Behind it, as behind
 * a reverse proxy that checks tokens, a request without the bearer token gets 401.
 */
class PrometheusEndpoint {
  value = 0;
  readonly queries: { query: string; time: string | null; authorization: string | undefined }[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => this.answer(request, response));
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://prometheus');
    const send = (status: number, body: object) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname !== '/api/v1/query' || request.method !== 'GET') return send(404, { error: 'not found' });
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: 'unauthorized' });
    const query = url.searchParams.get('query');
    const time = url.searchParams.get('time');
    this.queries.push({ query: query ?? '', time, authorization: request.headers.authorization });
    if (!query) return send(400, { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query"' });
    const at = time === null ? Date.now() / 1000 : /^\d+(\.\d+)?$/.test(time) ? Number(time) : Date.parse(time) / 1000;
    if (!Number.isFinite(at))
      return send(400, { status: 'error', errorType: 'bad_data', error: `invalid parameter "time": ${time}` });
    send(200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [at, String(this.value)] }] },
    });
  }
}

const prometheus = new PrometheusEndpoint();
let address: string;
beforeAll(async () => {
  address = await prometheus.start();
  // The app's queue function: KEDA's azure-queue scaler needs the queue (a real host would create it).
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  await prometheus.stop();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** The orders example (an HTTP and a queue function) deployed as `name`, as a user would with these options. */
function deploy(name: string, extra: string[], settings: string[] = []): Promise<Run> {
  return cli(stackDeployArgs({ name, appPath: 'examples/orders', namespace, image: IMAGE, settings }, extra));
}

const replicas = async (name: string) => (await apps.readNamespacedDeployment({ name, namespace })).spec?.replicas;
const errors = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('error:'));
const scaledObjects = async () =>
  (await objects.list('keda.sh/v1alpha1', 'ScaledObject', namespace)).items.map((item) => item.metadata?.name).sort();
/** Whether this tool's applies own the Deployment's spec.replicas. */
const appliesReplicas = async (name: string) =>
  ((await apps.readNamespacedDeployment({ name, namespace })).metadata?.managedFields ?? []).some(
    (entry) =>
      entry.manager === 'aks-functions-deploy' &&
      (entry.fieldsV1 as { 'f:spec'?: { 'f:replicas'?: unknown } })['f:spec']?.['f:replicas'] !== undefined,
  );

const PROMETHEUS = (extra: string[] = []) => [
  '--http-scaler',
  'prometheus',
  '--http-prometheus-server-address',
  '%PrometheusAddress%',
  '--http-prometheus-query',
  QUERY,
  '--http-prometheus-threshold',
  '10',
  '--http-max-replicas',
  '4',
  '--http-prometheus-auth',
  'bearerToken=%PrometheusToken%',
  ...extra,
];

describe('HTTP functions scaled on a Prometheus query', () => {
  test('without the new inputs the HTTP Deployment keeps its fixed replicas and gets no ScaledObject', async () => {
    const run = await deploy('webfixed', ['--http-replicas', '2']);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(await replicas('webfixed-http')).toBe(2);
    expect(await appliesReplicas('webfixed-http')).toBe(true);
    expect(await scaledObjects()).toEqual(['webfixed']);
  });

  test('KEDA queries the server (with the token from the app settings) and the HPA scales 1 → max → 1 with the value', async () => {
    prometheus.value = 5;
    const settings = [`PrometheusAddress=${address}`, `PrometheusToken=${TOKEN}`];
    const run = await deploy('web', PROMETHEUS(['--http-scale-down-stabilization', '0']), settings);
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/rollout healthy in/);
    expect(run.stderr).not.toContain(TOKEN);
    // The count is KEDA's: not this tool's to set, and at the minimum while the value is below one threshold.
    expect(await appliesReplicas('web-http')).toBe(false);
    expect(await scaledObjects()).toEqual(['web', 'web-http', 'webfixed']);
    expect(await replicas('web-http')).toBe(1);
    // The operator and the metrics server really asked: the query as given, at a time, with the bearer token.
    const asked = prometheus.queries.filter((entry) => entry.query === QUERY);
    expect(asked.length).toBeGreaterThan(0);
    expect(
      asked.every((entry) => entry.authorization === `Bearer ${TOKEN}` && !Number.isNaN(Date.parse(entry.time ?? ''))),
    ).toBe(true);
    const hpa = (await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items.find(
      (item) => item.spec?.scaleTargetRef.name === 'web-http',
    );
    expect(hpa?.spec?.minReplicas).toBe(1);
    expect(hpa?.spec?.maxReplicas).toBe(4);
    expect(hpa?.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(0);

    const timeline: string[] = [];
    const started = Date.now();
    const reach = async (count: number) => {
      await until(async () => (await replicas('web-http')) === count, 120);
      timeline.push(`${((Date.now() - started) / 1000).toFixed(0)}s: ${count}`);
    };
    // 35 requests a second at 10 a replica: ceil(3.5) = 4 replicas, the maximum.
    prometheus.value = 35;
    await reach(4);
    prometheus.value = 0;
    await reach(1);
    console.log(`web-http replicas: ${timeline.join(', ')}`);
    // KEDA never takes it below its minimum.
    await new Promise((wait) => setTimeout(wait, 12_000));
    expect(await replicas('web-http')).toBe(1);
  });

  test('a redeploy keeps the count the HPA set', async () => {
    prometheus.value = 25;
    await until(async () => (await replicas('web-http')) === 3, 120);
    const settings = [`PrometheusAddress=${address}`, `PrometheusToken=${TOKEN}`];
    const run = await deploy('web', PROMETHEUS(['--http-scale-down-stabilization', '0']), settings);
    expect(run.status).toBe(0);
    expect(await replicas('web-http')).toBe(3);
    prometheus.value = 0;
  });

  test('from fixed to prometheus, the count this tool set is handed over, never dropped to 1', async () => {
    const seen: number[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        seen.push((await replicas('webfixed-http')) ?? -1);
        await new Promise((wait) => setTimeout(wait, 100));
      }
    })();
    prometheus.value = 0;
    const settings = [`PrometheusAddress=${address}`, `PrometheusToken=${TOKEN}`];
    const run = await deploy('webfixed', PROMETHEUS(['--http-replicas', '2']), settings);
    watching = false;
    await watch;
    expect(errors(run)).toEqual([]);
    expect(run.status).toBe(0);
    expect(Math.min(...seen)).toBe(2);
    expect(await appliesReplicas('webfixed-http')).toBe(false);
    expect(await replicas('webfixed-http')).toBe(2);
  });

  test("back to fixed: the count is no longer only this tool's, so the deploy says so before changing anything", async () => {
    const back = await deploy('webfixed', ['--http-replicas', '3']);
    expect(back.status).toBe(1);
    expect(errors(back)).toEqual([
      expect.stringMatching(
        /^error: Deployment\/webfixed-http: fields owned by another field manager: .*replicas.*force-conflicts/,
      ),
    ]);
    expect(await scaledObjects()).toContain('webfixed-http');
    const forced = await deploy('webfixed', ['--http-replicas', '3', '--force-conflicts']);
    expect(forced.status).toBe(0);
    expect(await replicas('webfixed-http')).toBe(3);
    expect(await appliesReplicas('webfixed-http')).toBe(true);
    expect(await scaledObjects()).not.toContain('webfixed-http');
  });

  test("a server KEDA cannot reach fails the deploy with KEDA's reason; allow-scaler-errors warns instead", async () => {
    const closed = ['PrometheusAddress=http://127.0.0.1:1', `PrometheusToken=${TOKEN}`];
    const failed = await deploy('webdown', PROMETHEUS(), closed);
    expect(failed.status).toBe(1);
    expect(errors(failed)).toHaveLength(1);
    expect(errors(failed)[0]).toMatch(
      /^error: ScaledObject\/webdown-http: not Ready: .*; trigger prometheus; events: /,
    );
    expect(errors(failed)[0]).toMatch(/connection refused/);

    const allowed = await deploy('webdown', [...PROMETHEUS(), '--allow-scaler-errors'], closed);
    expect(allowed.status).toBe(0);
    expect(allowed.stderr).toMatch(/warning: ScaledObject\/webdown-http: accepted by allow-scaler-errors.*prometheus/);
  });

  test('bad inputs: one error each, before anything is changed', async () => {
    const cases: [string[], string[], RegExp][] = [
      [['--http-scaler', 'prometheus'], [], /^error: input 'http-prometheus-server-address' is required/],
      [
        PROMETHEUS(),
        [`PrometheusToken=${TOKEN}`],
        /^error: input 'http-prometheus-server-address' refers to app setting 'PrometheusAddress', which is not in the app settings/,
      ],
      [
        [...PROMETHEUS(), '--http-prometheus-threshold', '0'],
        [],
        /^error: input 'http-prometheus-threshold': '0' is not a number above 0/,
      ],
    ];
    for (const [extra, settings, message] of cases) {
      const run = await deploy('webbad', extra, settings);
      expect(run.status).toBe(1);
      expect(errors(run)).toEqual([expect.stringMatching(message)]);
    }
    const deployments = await apps.listNamespacedDeployment({
      namespace,
      labelSelector: 'app.kubernetes.io/instance=webbad',
    });
    expect(deployments.items).toEqual([]);
  });
});
