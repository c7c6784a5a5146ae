// The scale test of the Functions-on-KEDA guides, 0 → N → 0, on the local stack: the orders example deployed by the
// CLI as the stack suites deploy (KEDA polling every 2 s), with max-replicas and a short cooldown; messages on its queue alone take it to
// max-replicas through KEDA's metrics API server and the HPA controller, and an empty queue takes it back to 0.
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { cli, stackDeployArgs, until } from './run-cli.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);
const namespace = `afd-scale-${Date.now().toString(36)}`;
const queue = QueueServiceClient.fromConnectionString(
  process.env.AZURE_STORAGE_CONNECTION_STRING as string,
).getQueueClient('orders');

const MAX_REPLICAS = 5;
// KEDA's azure-queue target is 5 messages a replica: 60 messages ask for 12, twice the maximum.
const MESSAGES = 60;

beforeAll(async () => {
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await queue.createIfNotExists();
  await queue.clearMessages();
});
afterAll(async () => {
  await queue.clearMessages();
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** A Kubernetes quantity as the HPA writes metric values: whole, or in thousandths ("12500m"). */
const quantity = (value: string | undefined) =>
  value?.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
const deployment = () => apps.readNamespacedDeployment({ name: 'orders', namespace });
/** The rescales a controller reported on `kind`/`name` (the apiserver keeps no writer for a scale subresource update). */
async function events(kind: string, name: string, reason: RegExp): Promise<string[]> {
  const list = await core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`,
  });
  return list.items.filter((event) => reason.test(event.reason ?? '')).map((event) => event.message ?? '');
}

test('messages alone take the app to max-replicas through the HPA on KEDA’s metric; an empty queue, back to 0', async () => {
  const image = `registry.local/orders@sha256:${'5'.repeat(64)}`;
  const run = await cli(
    stackDeployArgs({ name: 'orders', appPath: 'examples/orders', namespace, image }, [
      '--max-replicas',
      String(MAX_REPLICAS),
      '--cooldown-period',
      '5',
    ]),
  );
  expect(run.stderr).toMatch(/rollout healthy/);
  expect(run.status).toBe(0);
  await until(async () => (await deployment()).spec?.replicas === 0);

  for (let i = 0; i < MESSAGES; i++) await queue.sendMessage(Buffer.from(`{"id":${i}}`).toString('base64'));
  await until(async () => (await deployment()).spec?.replicas === MAX_REPLICAS, 120);

  // KEDA woke it; the HPA controller took it to the maximum on KEDA's external metric, in its own words.
  expect(await events('ScaledObject', 'orders', /^KEDAScaleTargetActivated$/)).toContainEqual(
    expect.stringMatching(/from 0 to 1, triggered by s0-azure-queue-orders$/),
  );
  expect(await events('HorizontalPodAutoscaler', 'keda-hpa-orders', /^SuccessfulRescale$/)).toContainEqual(
    expect.stringMatching(
      new RegExp(`^New size: ${MAX_REPLICAS}; reason: external metric s0-azure-queue-orders\\(.*\\) above target$`),
    ),
  );
  const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'keda-hpa-orders', namespace });
  expect(hpa.spec?.maxReplicas).toBe(MAX_REPLICAS);
  expect(hpa.status?.desiredReplicas).toBe(MAX_REPLICAS);
  const metric = hpa.status?.currentMetrics?.[0]?.external;
  expect(metric?.metric.name).toBe('s0-azure-queue-orders');
  // Per replica, the queue it saw was still above KEDA's target of 5.
  expect(quantity(metric?.current.averageValue)).toBeGreaterThan(5);

  await queue.clearMessages();
  await until(async () => (await deployment()).spec?.replicas === 0, 60);
  // Back to 0 is KEDA's own doing once the queue has been empty for the cooldown: the HPA never goes below 1.
  expect(await events('ScaledObject', 'orders', /^KEDAScaleTargetDeactivated$/)).toContainEqual(
    expect.stringMatching(new RegExp(`from ${MAX_REPLICAS} to 0$`)),
  );
});
