// Proves the local test stack is made of real components: a real apiserver
// with controllers and kwok nodes, the real KEDA operator reading a real
// Azurite queue, and a real Docker daemon pushing to a real registry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { QueueServiceClient } from '@azure/storage-queue';
import { OWNED_KINDS } from '../../src/inventory/labels.js';
import { sharedPath } from '../unit/shared-fixtures.js';

const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);
const custom = kc.makeApiClient(k8s.CustomObjectsApi);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);

/** Each test waits on real controllers; none should need more than this. */
const TIMEOUT = 180_000;

const namespace = `afd-stack-${Date.now().toString(36)}`;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration project (its globalSetup writes it)`);
  return value;
}

/** Polls `probe` until it returns something other than undefined. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

function createScaledObject(name: string, spec: Record<string, unknown>): Promise<object> {
  return custom.createNamespacedCustomObject({
    group: 'keda.sh',
    version: 'v1alpha1',
    namespace,
    plural: 'scaledobjects',
    body: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name }, spec },
  });
}

function deployment(
  name: string,
  image: string,
  container: Partial<k8s.V1Container> = {},
  replicas?: number,
): k8s.V1Deployment {
  return {
    metadata: { name, labels: { app: name } },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ...container }] },
      },
    },
  };
}

async function podsOf(app: string): Promise<k8s.V1Pod[]> {
  return (await core.listNamespacedPod({ namespace, labelSelector: `app=${app}` })).items;
}

function waitingReason(pod: k8s.V1Pod): string | undefined {
  return pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
}

beforeAll(async () => {
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor('the namespace default ServiceAccount', async () => {
    await core.readNamespacedServiceAccount({ name: 'default', namespace });
    return true;
  });
}, TIMEOUT);

afterAll(async () => {
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe('simulated nodes', () => {
  test(
    'a Deployment becomes Available with Running, Ready pods',
    async () => {
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('hello', 'example.test/afd/hello:1.0', {}, 2),
      });
      const status = await waitFor('Deployment hello Available', async () => {
        const d = await apps.readNamespacedDeployment({ name: 'hello', namespace });
        const available = d.status?.conditions?.find((c) => c.type === 'Available')?.status === 'True';
        return available && d.status?.availableReplicas === 2 ? d.status : undefined;
      });
      expect(status.updatedReplicas).toBe(2);
      const pods = await podsOf('hello');
      expect(pods).toHaveLength(2);
      for (const pod of pods) {
        expect(pod.spec?.nodeName).toBe(process.env.CLUSTER_NODE ?? 'kwok-node-0');
        expect(pod.status?.phase).toBe('Running');
        expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      }
    },
    TIMEOUT,
  );

  test(
    'an image tagged -pullfail sits in ErrImagePull / ImagePullBackOff',
    async () => {
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('pullfail', 'example.test/afd/app:1.0-pullfail'),
      });
      const seen = new Set<string>();
      await waitFor(
        'both image pull failure reasons',
        async () => {
          for (const pod of await podsOf('pullfail')) {
            const reason = waitingReason(pod);
            if (reason) seen.add(reason);
          }
          return seen.has('ErrImagePull') && seen.has('ImagePullBackOff') ? true : undefined;
        },
        30_000,
      );
      for (const pod of await podsOf('pullfail')) expect(pod.status?.phase).toBe('Pending');
      const d = await apps.readNamespacedDeployment({ name: 'pullfail', namespace });
      expect(d.status?.availableReplicas ?? 0).toBe(0);
      const events = await core.listNamespacedEvent({ namespace, fieldSelector: 'reason=Failed' });
      expect(events.items.some((e) => e.involvedObject.name?.startsWith('pullfail-'))).toBe(true);
    },
    TIMEOUT,
  );

  test(
    'an image tagged -crashloop goes to CrashLoopBackOff with a growing restartCount',
    async () => {
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('crash', 'example.test/afd/app:1.0-crashloop'),
      });
      const first = await waitFor(
        'CrashLoopBackOff',
        async () => {
          const pod = (await podsOf('crash'))[0];
          const status = pod?.status?.containerStatuses?.[0];
          return pod && waitingReason(pod) === 'CrashLoopBackOff' ? status?.restartCount : undefined;
        },
        30_000,
      );
      expect(first).toBeGreaterThan(0);
      const later = await waitFor(
        'another restart',
        async () => {
          const pod = (await podsOf('crash'))[0];
          const count = pod?.status?.containerStatuses?.[0]?.restartCount ?? 0;
          return count > first && waitingReason(pod!) === 'CrashLoopBackOff' ? count : undefined;
        },
        30_000,
      );
      expect(later).toBeGreaterThan(first);
      const pod = (await podsOf('crash'))[0]!;
      expect(pod.status?.phase).toBe('Running');
      expect(pod.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('Error');
    },
    TIMEOUT,
  );
});

describe('KEDA', () => {
  beforeAll(async () => {
    // loadAllYaml, not a plain YAML parser: KubernetesObjectApi serializes its
    // argument as the typed model, which drops raw keys such as the CRDs'
    // `x-kubernetes-int-or-string` unless they were deserialized into it.
    const docs = k8s.loadAllYaml(
      readFileSync(sharedPath('fixtures', 'keda', 'keda-2.20.2.yaml'), 'utf8'),
    ) as k8s.KubernetesObject[];
    // CRDs first: nothing else in the manifest needs them, but the operator
    // is started once they exist and should find its namespace and RBAC.
    const ordered = [
      ...docs.filter((d) => d?.kind === 'CustomResourceDefinition'),
      ...docs.filter((d) => d && d.kind !== 'CustomResourceDefinition'),
    ];
    for (const obj of ordered) {
      await objects.patch(obj, undefined, undefined, 'afd-stack-test', true, k8s.PatchStrategy.ServerSideApply);
    }
    await waitFor('KEDA Deployments Available', async () => {
      const list = await apps.listNamespacedDeployment({ namespace: 'keda' });
      return list.items.length === 3 && list.items.every((d) => d.status?.availableReplicas === 1) ? true : undefined;
    });
  }, 120_000);

  test('the paths the app objects client uses for the kinds an app owns are the ones this apiserver serves', async () => {
    // The stock client's own discovery, asked of the real apiserver (KEDA's CRDs installed above).
    class Discovering extends k8s.KubernetesObjectApi {
      served(apiVersion: string, kind: string) {
        return this.resource(apiVersion, kind);
      }
    }
    const discovering = kc.makeApiClient(Discovering);
    for (const { apiVersion, kind, plural } of OWNED_KINDS) {
      const served = await discovering.served(apiVersion, kind);
      expect({ kind, name: served?.name, namespaced: served?.namespaced }).toEqual({
        kind,
        name: plural,
        namespaced: true,
      });
    }
  });

  test(
    'a ScaledObject becomes Ready and gets its HPA',
    async () => {
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('cron-worker', 'example.test/afd/worker:1.0'),
      });
      await createScaledObject('cron-worker', {
        scaleTargetRef: { name: 'cron-worker' },
        minReplicaCount: 1,
        maxReplicaCount: 2,
        triggers: [
          { type: 'cron', metadata: { timezone: 'UTC', start: '0 0 * * *', end: '1 0 * * *', desiredReplicas: '2' } },
        ],
      });
      await waitFor(
        'ScaledObject cron-worker Ready=True',
        async () => {
          const so = (await custom.getNamespacedCustomObject({
            group: 'keda.sh',
            version: 'v1alpha1',
            namespace,
            plural: 'scaledobjects',
            name: 'cron-worker',
          })) as { status?: { conditions?: { type: string; status: string }[] } };
          return so.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
        },
        90_000,
      );
      const hpa = await waitFor('HPA keda-hpa-cron-worker', () =>
        autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'keda-hpa-cron-worker', namespace }),
      );
      expect(hpa.spec?.scaleTargetRef.name).toBe('cron-worker');
      expect(hpa.spec?.metrics?.[0]?.type).toBe('External');
      // The controller-manager reads the metric through the aggregated
      // external.metrics.k8s.io API: KEDA's metrics API server, fed by the operator.
      const current = await waitFor(
        'the HPA to read its external metric',
        async () => {
          const h = await autoscaling.readNamespacedHorizontalPodAutoscaler({
            name: 'keda-hpa-cron-worker',
            namespace,
          });
          return h.status?.currentMetrics?.[0]?.external?.current;
        },
        60_000,
      );
      expect(current.averageValue ?? current.value).toBeDefined();
    },
    TIMEOUT,
  );

  test(
    "KEDA's admission webhook is called and refuses a second ScaledObject for one workload",
    async () => {
      const cronScaledObject = (name: string) => ({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name },
        spec: {
          scaleTargetRef: { name: 'webhook-target' },
          triggers: [
            { type: 'cron', metadata: { timezone: 'UTC', start: '0 1 * * *', end: '1 1 * * *', desiredReplicas: '2' } },
          ],
        },
      });
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('webhook-target', 'example.test/afd/worker:1.0'),
      });
      await custom.createNamespacedCustomObject({
        group: 'keda.sh',
        version: 'v1alpha1',
        namespace,
        plural: 'scaledobjects',
        body: cronScaledObject('webhook-target'),
      });
      const second = cronScaledObject('webhook-target-again');
      // The webhook's failurePolicy is Ignore: until KEDA's webhook server is
      // serving, creation would pass, so wait for the refusal.
      const message = await waitFor(
        'the webhook to refuse the ScaledObject',
        async () => {
          try {
            await custom.createNamespacedCustomObject({
              group: 'keda.sh',
              version: 'v1alpha1',
              namespace,
              plural: 'scaledobjects',
              body: second,
            });
          } catch (e) {
            const body = (e as { body?: unknown }).body;
            return typeof body === 'string' ? (JSON.parse(body) as { message: string }).message : String(e);
          }
          await custom.deleteNamespacedCustomObject({
            group: 'keda.sh',
            version: 'v1alpha1',
            namespace,
            plural: 'scaledobjects',
            name: 'webhook-target-again',
          });
          return undefined;
        },
        60_000,
      );
      expect(message).toMatch(/admission webhook "vscaledobject\.kb\.io" denied the request/);
      expect(message).toMatch(/already managed by the ScaledObject/);
    },
    TIMEOUT,
  );

  test(
    'a message on an Azurite queue scales a Deployment from 0 to 1 and back',
    async () => {
      const connection = env('AZURE_STORAGE_CONNECTION_STRING');
      const queueName = `afd-${Date.now().toString(36)}`;
      const queue = QueueServiceClient.fromConnectionString(connection).getQueueClient(queueName);
      await queue.create();
      await core.createNamespacedSecret({
        namespace,
        body: { metadata: { name: 'queue-worker' }, stringData: { AzureWebJobsStorage: connection } },
      });
      // As rendered by the tool: settings from a Secret, no spec.replicas.
      await apps.createNamespacedDeployment({
        namespace,
        body: deployment('queue-worker', 'example.test/afd/queue-worker:1.0', {
          envFrom: [{ secretRef: { name: 'queue-worker' } }],
        }),
      });
      await createScaledObject('queue-worker', {
        scaleTargetRef: { name: 'queue-worker' },
        pollingInterval: 1,
        cooldownPeriod: 5,
        minReplicaCount: 0,
        maxReplicaCount: 3,
        triggers: [
          {
            type: 'azure-queue',
            metadata: { queueName, queueLength: '1', connectionFromEnv: 'AzureWebJobsStorage' },
          },
        ],
      });
      const replicas = async () =>
        (await apps.readNamespacedDeployment({ name: 'queue-worker', namespace })).spec?.replicas;

      await waitFor(
        'queue-worker scaled to 0 while the queue is empty',
        async () => ((await replicas()) === 0 ? true : undefined),
        60_000,
      );
      await queue.sendMessage('wake up');
      await waitFor(
        'queue-worker scaled to 1 by the queue message',
        async () => {
          const d = await apps.readNamespacedDeployment({ name: 'queue-worker', namespace });
          return (d.spec?.replicas ?? 0) >= 1 && (d.status?.readyReplicas ?? 0) >= 1 ? true : undefined;
        },
        60_000,
      );
      await queue.clearMessages();
      await waitFor(
        'queue-worker back to 0 after the cooldown',
        async () => ((await replicas()) === 0 ? true : undefined),
        60_000,
      );

      const so = (await custom.getNamespacedCustomObject({
        group: 'keda.sh',
        version: 'v1alpha1',
        namespace,
        plural: 'scaledobjects',
        name: 'queue-worker',
      })) as { status?: { conditions?: { type: string; status: string }[] } };
      expect(so.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      await queue.delete();
    },
    TIMEOUT,
  );
});

describe('registry and Docker', () => {
  const registry = () => env('REGISTRY');
  const work = mkdtempSync(join(tmpdir(), 'afd-stack-docker-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function docker(args: string[], configDir: string, input?: string) {
    const r = spawnSync('docker', args, {
      cwd: work,
      input,
      encoding: 'utf8',
      // The legacy builder: FROM scratch + COPY needs no BuildKit.
      env: { ...process.env, DOCKER_CONFIG: configDir, DOCKER_BUILDKIT: '0', DOCKER_HOST: env('DOCKER_HOST') },
    });
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  function basicAuth(): string {
    return `Basic ${Buffer.from(`${env('REGISTRY_USERNAME')}:${env('REGISTRY_PASSWORD')}`).toString('base64')}`;
  }

  test(
    'an image pushed with credentials is pulled by digest',
    async () => {
      const config = mkdtempSync(join(work, 'config-'));
      writeFileSync(join(work, 'hello.txt'), `built at ${new Date().toISOString()}\n`);
      writeFileSync(join(work, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
      const ref = `${registry()}/afd-stack/hello:${Date.now().toString(36)}`;

      const login = docker(
        ['login', registry(), '--username', env('REGISTRY_USERNAME'), '--password-stdin'],
        config,
        env('REGISTRY_PASSWORD'),
      );
      expect(login.out).toContain('Login Succeeded');
      const build = docker(['build', '-t', ref, '.'], config);
      expect(build.status).toBe(0);
      const push = docker(['push', ref], config);
      expect(push.status).toBe(0);
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(push.out)?.[1];
      expect(digest).toBeDefined();

      const repo = 'afd-stack/hello';
      const manifest = await fetch(`http://${registry()}/v2/${repo}/manifests/${digest}`, {
        headers: { authorization: basicAuth(), accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      });
      expect(manifest.status).toBe(200);
      expect(manifest.headers.get('docker-content-digest')).toBe(digest);
      const anonymous = await fetch(`http://${registry()}/v2/${repo}/manifests/${digest}`);
      expect(anonymous.status).toBe(401);

      expect(docker(['rmi', ref], config).status).toBe(0);
      const pull = docker(['pull', `${registry()}/${repo}@${digest}`], config);
      expect(pull.status).toBe(0);
      expect(pull.out).toContain(digest!);
    },
    TIMEOUT,
  );

  test(
    'an anonymous push is refused',
    async () => {
      const config = mkdtempSync(join(work, 'anon-'));
      writeFileSync(join(work, 'anon.txt'), 'anonymous\n');
      writeFileSync(join(work, 'Dockerfile.anon'), 'FROM scratch\nCOPY anon.txt /anon.txt\n');
      const ref = `${registry()}/afd-stack/anonymous:${Date.now().toString(36)}`;
      expect(docker(['build', '-f', 'Dockerfile.anon', '-t', ref, '.'], config).status).toBe(0);
      const push = docker(['push', ref], config);
      expect(push.status).not.toBe(0);
      expect(push.out).toMatch(/no basic auth credentials|unauthorized/i);

      const upload = await fetch(`http://${registry()}/v2/afd-stack/anonymous/blobs/uploads/`, { method: 'POST' });
      expect(upload.status).toBe(401);
    },
    TIMEOUT,
  );
});
