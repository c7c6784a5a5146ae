// The deploy command against the local stack (stack/): the bundled CLI, run
// as a user runs it, and the cluster checked with client-node.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { captureSecrets } from '../captured.js';
import { cli, killComponent, removeKeda, REPO, type Run, stackDeployArgs, stackUp, until } from './run-cli.js';

const SHARED = process.env.AFD_SHARED_DIR ?? resolve(REPO, '../shared');
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
const apiextensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);

const namespace = `afd-deploy-${Date.now().toString(36)}`;
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const IMAGE_V1 = `registry.local/orders@${digest(1)}`;
const IMAGE_V2 = `registry.local/orders@${digest(2)}`;
const [REGISTRY, REGISTRY_USERNAME, REGISTRY_PASSWORD] = ['REGISTRY', 'REGISTRY_USERNAME', 'REGISTRY_PASSWORD'].map(
  (name) => process.env[name] as string,
) as [string, string, string];
/** Build the app with the local Docker and push it to the stack's registry, logging in with a user name and password. */
const BUILD_AND_PUSH = [
  '--build',
  'docker',
  '--registry',
  REGISTRY,
  '--registry-username',
  REGISTRY_USERNAME,
  '--registry-password',
  REGISTRY_PASSWORD,
];
// The orders example, buildable here: its base image lives on mcr.microsoft.com, which this machine cannot reach.
const buildableOrders = mkdtempSync(join(tmpdir(), 'afd-orders-build-'));
cpSync(join(REPO, 'examples/orders'), buildableOrders, { recursive: true });
writeFileSync(join(buildableOrders, 'Dockerfile'), 'FROM scratch\nCOPY . /home/site/wwwroot\n');
afterAll(() => rmSync(buildableOrders, { recursive: true, force: true }));

// Deploys install KEDA from the manifest the product carries; a mirror serves its copy of it (keda-manifest-url),
// and /tampered/ the shared fixture with one image changed: what the SHA-256 check is for.
const carried = (version: string) => readFileSync(join(REPO, 'keda', 'manifests', `keda-${version}.yaml`));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
let manifests: Server;
let manifestUrl: (version: string, folder?: string) => string;
beforeAll(async () => {
  manifests = createServer((request, response) => {
    const version = /keda-(\d+\.\d+\.\d+)\.yaml$/.exec(request.url ?? '')?.[1];
    try {
      if (!request.url?.startsWith('/tampered/')) return response.end(carried(version as string));
      const fixture = readFileSync(join(SHARED, 'fixtures', 'keda', `keda-${version}.yaml`), 'utf8');
      response.end(fixture.replace('image: ghcr.io/kedacore/keda:', 'image: ghcr.io/evil/keda:'));
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((done) => manifests.listen(0, '127.0.0.1', done));
  const { port } = manifests.address() as AddressInfo;
  manifestUrl = (version, folder = '') => `http://127.0.0.1:${port}/${folder}keda-${version}.yaml`;
  // On a real cluster the Functions host creates the queues it listens to; kwok runs no host.
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('orders')
    .createIfNotExists();
});
afterAll(async () => {
  await new Promise((done) => manifests.close(done));
  await core.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** The deploy command as these tests run it: the app `name` from `appPath`, by `image` or by build arguments. */
function deployArgs(name: string, appPath: string, image: string | readonly string[], extra: readonly string[]) {
  return stackDeployArgs({ name, appPath, namespace, image }, extra);
}

/** Deploys `image`, or builds and pushes when given the build arguments instead. */
function deploy(
  image: string | readonly string[],
  extra: string[] = [],
  appPath = 'examples/orders',
  during?: () => Promise<void>,
): Promise<Run> {
  return cli(deployArgs('orders', appPath, image, extra), { during });
}

async function replicaSets(deployment: string): Promise<string[]> {
  const list = await apps.listNamespacedReplicaSet({ namespace, labelSelector: `app.kubernetes.io/instance=orders` });
  return list.items
    .filter((set) => set.metadata?.ownerReferences?.[0]?.name === deployment)
    .map((set) => set.metadata?.name as string);
}

async function kinds(): Promise<string[]> {
  const found: string[] = [];
  for (const [apiVersion, kind] of [
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'ServiceAccount'],
    ['apps/v1', 'Deployment'],
    ['keda.sh/v1alpha1', 'ScaledObject'],
  ]) {
    const list = await objects.list(apiVersion as string, kind as string, namespace);
    found.push(...list.items.map((item) => `${kind}/${item.metadata?.name}`));
  }
  return found.sort();
}

describe('deploy to the local cluster', () => {
  const dockerConfigs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('aks-functions-deploy-docker-'));
  let pushed: string;
  let pushedTag: string;

  test('a first deploy of an HTTP + queue app: built and pushed, every object, available pods on the pushed digest, the ScaledObject Ready with its HPA', async () => {
    const configsBefore = dockerConfigs();
    const run = await deploy(BUILD_AND_PUSH, [], buildableOrders);
    expect(run.stderr).toMatch(/rollout healthy in/);
    expect(run.status).toBe(0);
    pushed = /^image: (.+)$/m.exec(run.stderr)?.[1] ?? '';
    pushedTag = /\/orders:(inputs-[a-f0-9]{16})/.exec(run.stderr)?.[1] ?? '';
    expect(pushed).toMatch(new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/orders@sha256:[a-f0-9]{64}$`));
    expect(run.stderr).toContain(`digest: ${pushed.split('@')[1]}`);
    // The digest is what the registry serves.
    const manifest = await fetch(`http://${REGISTRY}/v2/orders/manifests/${pushed.split('@')[1]}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${REGISTRY_USERNAME}:${REGISTRY_PASSWORD}`).toString('base64')}`,
        accept: 'application/vnd.docker.distribution.manifest.v2+json',
      },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(pushed.split('@')[1]);
    // The login lived in a per-run Docker config, gone now, and was never printed.
    expect(dockerConfigs()).toEqual(configsBefore);
    expect(run.stdout + run.stderr).not.toContain(REGISTRY_PASSWORD);
    // The run's summary on stdout, as the Action and the task show it.
    expect(run.stdout).toMatch(
      new RegExp(
        `^### orders deployed\n\n\\| \\| \\|\n\\|---\\|---\\|\n\\| image \\| \`${pushed.replace(/[.]/g, '\\.')}\` \\|\n`,
      ),
    );
    expect(run.stdout).toMatch(/^\| Deployment\/orders-http \| created \|$/m);

    expect(await kinds()).toEqual(
      [
        'Deployment/orders',
        'Deployment/orders-http',
        'ScaledObject/orders',
        'Secret/func-keys-kube-secret-orders',
        'Secret/orders',
        'Service/orders-http',
        'ServiceAccount/default',
        'ServiceAccount/orders-function-keys',
      ].sort(),
    );
    const http = await apps.readNamespacedDeployment({ name: 'orders-http', namespace });
    expect(http.status?.availableReplicas).toBe(1);
    expect(http.metadata?.annotations?.['aks-functions-deploy/image']).toBe(pushed);
    const pods = await core.listNamespacedPod({ namespace, labelSelector: 'app.kubernetes.io/component=http' });
    expect(pods.items.map((pod) => pod.spec?.containers[0]?.image)).toEqual([pushed]);
    const scaled = (await objects.read({
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'orders', namespace },
    })) as { status?: { conditions?: { type: string; status: string }[] } };
    expect(scaled.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'keda-hpa-orders', namespace });
    expect(hpa.spec?.scaleTargetRef.name).toBe('orders');
    // A ClusterIP Service: its cluster IP, and URLs at its in-cluster name; no key yet, since no host has run.
    const service = await core.readNamespacedService({ name: 'orders-http', namespace });
    expect(run.stderr).toContain(`service-ip: ${service.spec?.clusterIP}`);
    expect(run.stderr).toContain(
      `function-urls: {"GetOrder":"http://orders-http.${namespace}.svc.cluster.local/api/orders/{id}"}`,
    );
  });

  test('function URLs carry the key the host wrote only when asked to show secrets', async () => {
    // kwok runs no Functions host: write its keys the way the host does.
    // Host keys are base64: '/', '+' and '=' travel URL-encoded.
    const functionKey = 'fk9d2b7c41e0a8/4f3e+Q==';
    captureSecrets([functionKey, encodeURIComponent(functionKey)]);
    const encode = (value: string) => Buffer.from(value).toString('base64');
    await core.patchNamespacedSecret(
      {
        name: 'func-keys-kube-secret-orders',
        namespace,
        body: { data: { 'host.master': encode('mk-51c0ffee77aa'), 'functions.getorder.default': encode(functionKey) } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const hidden = await deploy(BUILD_AND_PUSH, [], buildableOrders);
    expect(hidden.status).toBe(0);
    expect(hidden.stderr).toContain(
      `function-urls: {"GetOrder":"http://orders-http.${namespace}.svc.cluster.local/api/orders/{id}"}`,
    );
    expect(hidden.stdout + hidden.stderr).not.toContain(functionKey);
    expect(hidden.stdout + hidden.stderr).not.toContain(encodeURIComponent(functionKey));
    const shown = await deploy(BUILD_AND_PUSH, ['--show-secrets'], buildableOrders);
    expect(shown.status).toBe(0);
    expect(shown.stderr).toContain(
      `function-urls: {"GetOrder":"http://orders-http.${namespace}.svc.cluster.local/api/orders/{id}?code=${encodeURIComponent(functionKey)}"}`,
    );
    // The host owns the Secret's content: a redeploy leaves the keys where they are.
    const secret = await core.readNamespacedSecret({ name: 'func-keys-kube-secret-orders', namespace });
    expect(Object.keys(secret.data ?? {}).sort()).toEqual(['functions.getorder.default', 'host.master']);
  });

  test('an identical redeploy builds nothing (the registry has the image from the same inputs), changes nothing and says so', async () => {
    const before = await apps.readNamespacedDeployment({ name: 'orders-http', namespace });
    const setsBefore = await replicaSets('orders-http');
    const run = await deploy(BUILD_AND_PUSH, [], buildableOrders);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /^127\.0\.0\.1:\d+\/orders:inputs-[a-f0-9]{16} is in the registry, built from the same inputs: build skipped$/m,
    );
    expect(run.stderr).not.toMatch(/^building /m);
    expect(run.stderr).toContain(`image: ${pushed}`);
    expect(run.stderr).toMatch(/nothing changed/);
    const after = await apps.readNamespacedDeployment({ name: 'orders-http', namespace });
    expect(after.metadata?.generation).toBe(before.metadata?.generation);
    expect(await replicaSets('orders-http')).toEqual(setsBefore);
  });

  test('an image given by tag is deployed by the digest the tag points at; a tag that is not there is an error', async () => {
    const login = ['--registry-username', REGISTRY_USERNAME, '--registry-password', REGISTRY_PASSWORD];
    const run = await deploy(['--image', `${REGISTRY}/orders:${pushedTag}`, ...login]);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`image: ${pushed}`);
    expect(run.stderr).toMatch(/nothing changed/);
    const missing = await deploy(['--image', `${REGISTRY}/orders:no-such-tag`, ...login]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(
      new RegExp(
        `^error: input 'image': ${REGISTRY.replace(/\./g, '\\.')}/orders:no-such-tag is not in its registry \\(no tag no-such-tag in `,
        'm',
      ),
    );
  });

  test('a deploy stopped by SIGTERM while it builds leaves no registry login behind', async () => {
    const before = dockerConfigs();
    const run = await cli(
      [
        'deploy',
        '--app-path',
        buildableOrders,
        '--name',
        'orders',
        '--namespace',
        namespace,
        ...BUILD_AND_PUSH,
        '--build-args',
        `STOPPED=${Date.now()}`,
        '--kubeconfig',
        process.env.KUBECONFIG as string,
      ],
      {
        // The login is written before the build starts.
        onLine: (line, child) => {
          if (/^building /.test(line) && child.exitCode === null && !child.killed) child.kill('SIGTERM');
        },
      },
    );
    expect(run.stderr).toMatch(/^building /m);
    expect(run.status).toBe(143);
    expect(run.stderr).toMatch(
      /^warning: stopped by SIGTERM during "Build the image and prepare the cluster": none of the app's objects was changed; the rollout was not checked$/m,
    );
    expect(dockerConfigs()).toEqual(before);
  });

  test("KEDA's metrics API unavailable (an aggregated API failing discovery) does not break a deploy", async () => {
    const registration = kc.makeApiClient(k8s.ApiregistrationV1Api);
    const name = 'v1beta1.external.metrics.k8s.io';
    const available = async () =>
      (await registration.readAPIService({ name })).status?.conditions?.find((c) => c.type === 'Available')?.status;
    const pointAt = (port: number) =>
      registration.patchAPIService(
        { name, body: { spec: { service: { name: 'keda-metrics-apiserver', namespace: 'keda', port } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    await pointAt(1);
    try {
      await until(async () => (await available()) === 'False');
      const run = await deploy(BUILD_AND_PUSH, ['--polling-interval', '3'], buildableOrders);
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/configured\s+ScaledObject\/orders/);
    } finally {
      await pointAt(443);
    }
    await until(async () => (await available()) === 'True');
  });

  test('a redeploy never resets the replica count KEDA set', async () => {
    // KEDA holds the Deployment at 3 while paused there; a redeploy must not touch the count.
    const pause = (value: string | null) =>
      objects.patch(
        {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledObject',
          metadata: { name: 'orders', namespace, annotations: { 'autoscaling.keda.sh/paused-replicas': value } },
        } as k8s.KubernetesObject,
        undefined,
        undefined,
        'afd-test',
        undefined,
        k8s.PatchStrategy.MergePatch,
      );
    await pause('3');
    await until(async () => (await apps.readNamespacedDeployment({ name: 'orders', namespace })).spec?.replicas === 3);
    const run = await deploy(IMAGE_V2);
    expect(run.status).toBe(0);
    expect((await apps.readNamespacedDeployment({ name: 'orders', namespace })).spec?.replicas).toBe(3);
    await pause(null);
  });

  test('an image that cannot be pulled fails fast, naming the pod and the reason; rollback restores the previous version', async () => {
    const run = await deploy(`registry.local/orders:v3-pullfail`, ['--rollback-on-failure']);
    expect(run.status).toBe(1);
    expect(run.seconds).toBeLessThan(60);
    expect(run.stderr).toMatch(
      /error: Deployment\/orders(-http)?: pod orders(-http)?-[a-z0-9-]+, container orders(-http)?: (ErrImagePull|ImagePullBackOff)/,
    );
    expect(run.stderr).toMatch(/rolled back to revision \d+ \(registry\.local\/orders@sha256:0+2\)/);
    const http = await apps.readNamespacedDeployment({ name: 'orders-http', namespace });
    expect(http.spec?.template.spec?.containers[0]?.image).toBe(IMAGE_V2);
    const recovered = await deploy(IMAGE_V2);
    expect(recovered.status).toBe(0);
  });

  test('a crash-looping image fails fast with CrashLoopBackOff', async () => {
    const run = await deploy(`registry.local/orders:v4-crashloop`);
    expect(run.status).toBe(1);
    expect(run.seconds).toBeLessThan(60);
    expect(run.stderr).toMatch(/container orders(-http)?: CrashLoopBackOff, \d+ restarts/);
    const recovered = await deploy(IMAGE_V2);
    expect({ status: recovered.status, stderr: recovered.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  });

  test('the watch resumes when the apiserver restarts during the wait', async () => {
    const restart = async () => {
      await new Promise((r) => setTimeout(r, 1500));
      await killComponent('kube-apiserver');
      stackUp();
    };
    const run = await deploy(IMAGE_V1, [], 'examples/orders', restart);
    expect(run.stderr).toMatch(/rollout healthy/);
    expect(run.status).toBe(0);
  });

  test('a function removed from the app: its objects are pruned', async () => {
    const app = mkdtempSync(join(tmpdir(), 'afd-http-only-'));
    cpSync(join(REPO, 'examples', 'orders'), app, { recursive: true });
    rmSync(join(app, 'src', 'functions', 'processOrder.js'));
    const run = await deploy(IMAGE_V1, [], app);
    rmSync(app, { recursive: true });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/pruned\s+ScaledObject\/orders/);
    expect(run.stderr).toMatch(/pruned\s+Deployment\/orders\n/);
    // KEDA's finalizer runs before the ScaledObject is gone.
    await until(async () => !(await kinds()).includes('ScaledObject/orders'));
    expect(await kinds()).not.toContain('Deployment/orders');
    expect(await kinds()).toContain('Deployment/orders-http');
  });

  test('delete removes this app and nothing else', async () => {
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'someone-elses' } } });
    const run = await cli([
      'delete',
      '--name',
      'orders',
      '--namespace',
      namespace,
      '--kubeconfig',
      process.env.KUBECONFIG as string,
    ]);
    expect(run.status).toBe(0);
    await until(async () => (await kinds()).filter((kind) => kind !== 'ServiceAccount/default').length === 0);
    expect((await core.readNamespacedConfigMap({ name: 'someone-elses', namespace })).metadata?.name).toBe(
      'someone-elses',
    );
  });
});

describe('a namespace two apps share, and objects nobody deployed', () => {
  const shared = `${namespace}-shared`;
  afterAll(() => core.deleteNamespace({ name: shared }).catch(() => undefined));
  const run = (command: 'deploy' | 'delete', name: string, extra: string[] = []) =>
    cli([
      command,
      '--name',
      name,
      '--namespace',
      shared,
      '--kubeconfig',
      process.env.KUBECONFIG as string,
      ...(command === 'deploy' ? ['--image', IMAGE_V1, '--service-type', 'ClusterIP'] : []),
      ...extra,
    ]);
  const settings = ['--app-settings', `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`];
  /** `Kind/name` → uid of what the cluster holds for an app, by its instance label. */
  async function appObjects(app: string): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const [apiVersion, kind] of [
      ['v1', 'Secret'],
      ['v1', 'Service'],
      ['v1', 'ServiceAccount'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
      ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
      ['apps/v1', 'Deployment'],
      ['keda.sh/v1alpha1', 'ScaledObject'],
    ] as const) {
      const list = await objects.list(
        apiVersion,
        kind,
        shared,
        undefined,
        undefined,
        undefined,
        undefined,
        `app.kubernetes.io/instance=${app}`,
      );
      for (const item of list.items) found.set(`${kind}/${item.metadata?.name}`, item.metadata?.uid as string);
    }
    return found;
  }

  test("one app's prune and delete leave the other app's objects alone", async () => {
    expect((await run('deploy', 'alpha', [...settings, '--app-path', 'examples/orders'])).status).toBe(0);
    expect((await run('deploy', 'beta', [...settings, '--app-path', 'examples/orders'])).status).toBe(0);
    const beta = await appObjects('beta');
    expect([...beta.keys()]).toEqual(expect.arrayContaining(['Deployment/beta', 'ScaledObject/beta', 'Secret/beta']));

    const httpOnly = mkdtempSync(join(tmpdir(), 'afd-http-only-'));
    cpSync(join(REPO, 'examples', 'orders'), httpOnly, { recursive: true });
    rmSync(join(httpOnly, 'src', 'functions', 'processOrder.js'));
    const pruned = await run('deploy', 'alpha', [...settings, '--app-path', httpOnly]);
    rmSync(httpOnly, { recursive: true });
    expect(pruned.status).toBe(0);
    expect(pruned.stderr).toMatch(/pruned\s+Deployment\/alpha\n/);
    expect(pruned.stderr).not.toMatch(/beta/);

    // The Functions host replaces its keys Secret when it writes keys, dropping the labels we gave it.
    const keys = await core.readNamespacedSecret({ name: 'func-keys-kube-secret-alpha', namespace: shared });
    await core.replaceNamespacedSecret({
      name: 'func-keys-kube-secret-alpha',
      namespace: shared,
      body: { metadata: { name: 'func-keys-kube-secret-alpha', resourceVersion: keys.metadata?.resourceVersion } },
      fieldManager: 'functions-host',
    });
    const deleted = await run('delete', 'alpha');
    expect(deleted.status).toBe(0);
    expect(deleted.stderr).toMatch(/deleted Secret\/func-keys-kube-secret-alpha/);
    await until(async () => (await appObjects('alpha')).size === 0);
    expect(
      await core.readNamespacedSecret({ name: 'func-keys-kube-secret-alpha', namespace: shared }).catch(() => 'gone'),
    ).toBe('gone');
    // Every object of beta's is the very one it was.
    expect(await appObjects('beta')).toEqual(beta);
  });

  test("an object of the app's name that someone else made is neither taken over, granted nor deleted", async () => {
    const foreign = 'func-keys-kube-secret-gamma';
    await core.createNamespacedSecret({
      namespace: shared,
      body: { metadata: { name: foreign }, stringData: { note: 'not an app key' } },
    });
    const refused = await run('deploy', 'gamma', [...settings, '--app-path', 'examples/orders']);
    expect(refused.status).toBe(1);
    expect(
      refused.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('error:')),
    ).toEqual([
      `error: Secret/${foreign} in namespace ${shared} was not created by aks-functions-deploy: an app takes over ` +
        'nothing it did not create; remove it or choose another name for this app',
    ]);
    expect((await appObjects('gamma')).size).toBe(0);
    const untouched = await core.readNamespacedSecret({ name: foreign, namespace: shared });
    expect(untouched.metadata?.labels).toBeUndefined();

    const deleted = await run('delete', 'gamma');
    expect(deleted.status).toBe(0);
    expect(deleted.stderr).toMatch(`left Secret/${foreign} in place: it was not created by aks-functions-deploy`);
    expect((await core.readNamespacedSecret({ name: foreign, namespace: shared })).metadata?.uid).toBe(
      untouched.metadata?.uid,
    );
  });
});

describe('a deploy that cannot finish changes nothing, and believes only what the cluster says', () => {
  const [guarded, trusting] = [`${namespace}-guarded`, `${namespace}-trusting`];
  afterAll(() => Promise.all([guarded, trusting].map((name) => core.deleteNamespace({ name }).catch(() => undefined))));
  const deployTo = (target: string, extra: string[] = []) =>
    cli([
      'deploy',
      '--app-path',
      'examples/orders',
      '--name',
      'guarded',
      '--namespace',
      target,
      '--image',
      IMAGE_V1,
      '--kubeconfig',
      process.env.KUBECONFIG as string,
      '--service-type',
      'ClusterIP',
      '--app-settings',
      `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
      '--no-wait',
      ...extra,
    ]);
  const errors = (run: Run) => run.stderr.split('\n').filter((line) => line.startsWith('error:'));
  async function guardedObjects(target: string): Promise<string[]> {
    const found: string[] = [];
    for (const [apiVersion, kind] of [
      ['v1', 'Secret'],
      ['v1', 'Service'],
      ['apps/v1', 'Deployment'],
      ['coordination.k8s.io/v1', 'Lease'],
      ['keda.sh/v1alpha1', 'ScaledObject'],
    ] as const) {
      const list = await objects.list(apiVersion, kind, target);
      found.push(...list.items.map((item) => `${kind}/${item.metadata?.name}`));
    }
    return found.filter((key) => !key.startsWith('Secret/default-token'));
  }

  test("what the namespace's rules refuse is found by a dry run of the whole app, before any object is applied", async () => {
    await core.createNamespace({ body: { metadata: { name: guarded } } });
    await core.createNamespacedResourceQuota({
      namespace: guarded,
      body: { metadata: { name: 'no-services' }, spec: { hard: { services: '0' } } },
    });
    const refused = await deployTo(guarded);
    expect(refused.status).toBe(1);
    expect(errors(refused)).toEqual([
      expect.stringMatching(
        /^error: Service\/guarded-http: forbidden: .*exceeded quota: no-services.* \(in a server-side dry run of the whole app: nothing was changed\)$/,
      ),
    ]);
    // The Secrets and Deployments come before the Service in a real apply: none of them was made.
    expect(await guardedObjects(guarded)).toEqual([]);
  });

  test('a namespace being deleted is one error up front, not a missing permission on Leases', async () => {
    const doomed = `${namespace}-doomed`;
    await core.createNamespace({ body: { metadata: { name: doomed } } });
    // A finalizer nobody removes keeps the namespace terminating for as long as the test needs.
    await core.createNamespacedConfigMap({
      namespace: doomed,
      body: { metadata: { name: 'held', finalizers: ['example.com/hold'] } },
    });
    await core.deleteNamespace({ name: doomed });
    try {
      await until(async () => (await core.readNamespace({ name: doomed })).status?.phase === 'Terminating');
      const refused = await deployTo(doomed);
      expect(refused.status).toBe(1);
      expect(errors(refused)).toEqual([
        `error: namespace ${doomed} is being deleted: wait until it is gone, then deploy again`,
      ]);
      expect(refused.stderr).not.toMatch(/Lease/);
    } finally {
      await core.patchNamespacedConfigMap(
        { name: 'held', namespace: doomed, body: [{ op: 'remove', path: '/metadata/finalizers' }] },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
      );
    }
  });

  test("a keda-operator Deployment in a tenant's namespace changes nothing about the KEDA every deploy finds", async () => {
    // Sorted before 'keda', so a listing of all namespaces meets it first.
    const tenant = `${namespace}-tenant`;
    await core.createNamespace({ body: { metadata: { name: tenant } } });
    try {
      await apps.createNamespacedDeployment({
        namespace: tenant,
        body: {
          metadata: {
            name: 'keda-operator',
            labels: { 'app.kubernetes.io/version': '2.99.0', 'helm.sh/chart': 'keda-2.99.0' },
          },
          spec: {
            replicas: 0,
            selector: { matchLabels: { app: 'fake' } },
            template: {
              metadata: { labels: { app: 'fake' } },
              spec: { containers: [{ name: 'fake', image: 'ghcr.io/kedacore/keda:2.99.0' }] },
            },
          },
        },
      });
      // deploy-lease: required asks the apiserver (a SelfSubjectAccessReview) before anything changes.
      const found = await deployTo(trusting, [
        '--keda',
        'install',
        '--keda-version',
        '2.20.2',
        '--deploy-lease',
        'required',
      ]);
      expect(errors(found)).toEqual([]);
      expect(found.status).toBe(0);
      expect(found.stderr).toMatch(/KEDA 2\.20\.2 is present in namespace keda \(KEDA's manifest\)/);
      expect(found.stderr).not.toMatch(/2\.99\.0|Helm/);
    } finally {
      await core.deleteNamespace({ name: tenant }).catch(() => undefined);
    }
  });
});

describe('KEDA ensured', () => {
  const keda = async () =>
    (await apps.listDeploymentForAllNamespaces({ fieldSelector: 'metadata.name=keda-operator' })).items[0]?.metadata
      ?.labels?.['app.kubernetes.io/version'];
  /** No URL: the manifest the product carries, as every user without a mirror installs KEDA. */
  const queueApp = (mode: string, url?: string) =>
    cli([
      'deploy',
      '--app-path',
      'examples/orders',
      '--name',
      'kedacheck',
      '--namespace',
      namespace,
      '--image',
      IMAGE_V1,
      '--kubeconfig',
      process.env.KUBECONFIG as string,
      '--service-type',
      'ClusterIP',
      '--keda',
      mode,
      '--keda-version',
      '2.20.2',
      ...(url === undefined ? [] : ['--keda-manifest-url', url]),
      '--no-wait',
    ]);

  test('missing → installed from the carried manifest, no URL; 2.19.0 from a mirror → left alone on auto, upgraded on install', async () => {
    await removeKeda(kc);
    // keda: skip installs nothing: a cluster without KEDA is refused before anything of the app is made.
    const skipped = await queueApp('skip');
    expect(skipped.status).toBe(1);
    expect(skipped.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
      'error: the cluster does not serve keda.sh/v1alpha1/ScaledObject: KEDA is not installed there; install it, ' +
        'or let the step install it (keda: auto); nothing was changed',
    ]);
    expect(
      (await apps.listNamespacedDeployment({ namespace, labelSelector: 'app.kubernetes.io/instance=kedacheck' })).items,
    ).toEqual([]);
    expect(
      (await core.listNamespacedSecret({ namespace, labelSelector: 'app.kubernetes.io/instance=kedacheck' })).items,
    ).toEqual([]);
    const tampered = await queueApp('auto', manifestUrl('2.20.2', 'tampered/'));
    expect(tampered.status).not.toBe(0);
    expect(tampered.stderr).toMatch(
      new RegExp(
        `error: the KEDA manifest from http:\\S+/tampered/keda-2\\.20\\.2\\.yaml has SHA-256 [a-f0-9]{64}, not the ` +
          `expected ${sha256(carried('2.20.2'))} \\(KEDA 2\\.20\\.2's\\): refusing to apply it`,
      ),
    );
    expect(
      (await apiextensions.listCustomResourceDefinition()).items.filter((item) => item.spec.group === 'keda.sh'),
    ).toEqual([]);

    const installed = await queueApp('auto');
    expect(installed.stderr).toContain(
      `installing KEDA 2.20.2 from the embedded KEDA 2.20.2 manifest (reproduced from kedacore/keda v2.20.2, ` +
        `sha256 ${sha256(carried('2.20.2'))})`,
    );
    expect(installed.stderr).not.toMatch(/error:/);
    expect(installed.status).toBe(0);
    expect(await keda()).toBe('2.20.2');

    await removeKeda(kc);
    // From a mirror, through a tool cache of this run's own: downloaded once.
    const toolCache = mkdtempSync(join(tmpdir(), 'afd-tool-cache-'));
    const old = await cli(
      [
        'deploy',
        '--app-path',
        'examples/orders',
        '--name',
        'kedaold',
        '--namespace',
        namespace,
        '--image',
        IMAGE_V1,
        '--kubeconfig',
        process.env.KUBECONFIG as string,
        '--service-type',
        'ClusterIP',
        '--keda',
        'install',
        '--keda-version',
        '2.19.0',
        '--keda-manifest-url',
        manifestUrl('2.19.0'),
        '--no-wait',
      ],
      { env: { ...process.env, RUNNER_TOOL_CACHE: toolCache } },
    );
    rmSync(toolCache, { recursive: true, force: true });
    expect(old.stderr).toContain(
      `installing KEDA 2.19.0 from ${manifestUrl('2.19.0')} (sha256 ${sha256(carried('2.19.0'))}, downloaded)`,
    );
    expect(old.stderr).not.toMatch(/error:/);
    expect(old.status).toBe(0);
    expect(await keda()).toBe('2.19.0');
    const auto = await queueApp('auto');
    expect(auto.stderr).toMatch(/KEDA 2\.19\.0 is present/);
    expect(await keda()).toBe('2.19.0');
    const upgraded = await queueApp('install');
    expect(upgraded.stderr).toMatch(/upgrading KEDA 2\.19\.0 to 2\.20\.2 from the embedded KEDA 2\.20\.2 manifest/);
    expect(upgraded.status).toBe(0);
    expect(await keda()).toBe('2.20.2');
  });
});

describe('a queue that does not exist', () => {
  // The orders example listening to a queue nobody created: KEDA's azure-queue scaler gets a 404 from Azurite.
  const queue = `missing-queue-${Date.now().toString(36)}`;
  const noQueue = mkdtempSync(join(tmpdir(), 'afd-noqueue-'));
  cpSync(join(REPO, 'examples/orders'), noQueue, { recursive: true });
  const trigger = join(noQueue, 'src', 'functions', 'processOrder.js');
  writeFileSync(trigger, readFileSync(trigger, 'utf8').replace("queueName: 'orders'", `queueName: '${queue}'`));
  afterAll(() => rmSync(noQueue, { recursive: true, force: true }));
  const deployNoQueue = (extra: string[] = []) => cli(deployArgs('noqueue', noQueue, IMAGE_V1, extra));

  test("a scaler whose queue does not exist fails with the queue and KEDA's reason; allow-scaler-errors warns and succeeds", async () => {
    const failed = await deployNoQueue();
    const errors = failed.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(failed.status).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: ScaledObject\/noqueue\S*: not Ready: TriggerError .*; trigger azure-queue; events: KEDAScalerFailed: /,
    );
    expect(errors[0]).toContain(queue);
    expect(errors[0]).toMatch(/QueueNotFound/);

    const allowed = await deployNoQueue(['--allow-scaler-errors']);
    const warnings = allowed.stderr.split('\n').filter((line) => line.startsWith('warning: ScaledObject/'));
    expect(allowed.status).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/accepted by allow-scaler-errors.*trigger azure-queue; events: KEDAScalerFailed: /);
    expect(warnings[0]).toContain(queue);
  });
});

describe('a version KEDA keeps at zero replicas is proven all the same', () => {
  // The orders example without its HTTP function: one Deployment, which KEDA scales to zero while the queue is empty.
  const eventsOnly = mkdtempSync(join(tmpdir(), 'afd-events-only-'));
  cpSync(join(REPO, 'examples/orders'), eventsOnly, { recursive: true });
  rmSync(join(eventsOnly, 'src', 'functions', 'getOrder.js'));
  afterAll(() => rmSync(eventsOnly, { recursive: true, force: true }));
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const deployIdle = (image: string, extra: string[] = []) => cli(deployArgs('idle', eventsOnly, image, extra));
  const replicas = async () => (await apps.readNamespacedDeployment({ name: 'idle', namespace })).spec?.replicas;
  const verificationPods = async () =>
    (await core.listNamespacedPod({ namespace, labelSelector: 'aks-functions-deploy/verifies=idle' })).items.filter(
      (pod) => pod.metadata?.deletionTimestamp === undefined,
    );
  const verificationJobs = async () =>
    (await batch.listNamespacedJob({ namespace, labelSelector: 'aks-functions-deploy/verifies=idle' })).items;
  const PROVEN =
    /Deployment\/idle: its new version, which KEDA keeps at zero replicas, became ready in a verification pod/;

  test('a first deploy of an image that cannot be pulled fails, though KEDA scales the Deployment to zero at once', async () => {
    const run = await deployIdle('registry.local/orders:v1-pullfail');
    expect(run.status).toBe(1);
    expect(run.seconds).toBeLessThan(60);
    expect(run.stderr).toMatch(/error: Deployment\/idle: .*container idle: (ErrImagePull|ImagePullBackOff)/);
  });

  test('a good version at zero replicas: one pod of it proves it, is removed, and the Deployment stays at zero', async () => {
    const good = await deployIdle(IMAGE_V1);
    expect(good.status).toBe(0);
    await until(async () => (await replicas()) === 0);
    // Redeployed when nothing runs it: the verification pod is what proves it.
    const redeployed = await deployIdle(IMAGE_V2);
    expect(redeployed.status).toBe(0);
    expect(redeployed.stderr).toMatch(PROVEN);
    expect(await replicas()).toBe(0);
    expect(await verificationJobs()).toEqual([]);
    await until(async () => (await verificationPods()).length === 0);
    // KEDA still owns the scale: its HPA targets the Deployment, and the Deployment is not scaled by anything else.
    const hpas = (await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace })).items;
    const targets = hpas.map((hpa) => hpa.spec?.scaleTargetRef).filter((target) => target?.name === 'idle');
    expect(targets).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'idle' })]);
    // The same version again is proven already: nothing is started.
    const again = await deployIdle(IMAGE_V2);
    expect(again.status).toBe(0);
    expect(again.stderr).not.toMatch(PROVEN);
  });

  test.each([
    [
      'an image that cannot be pulled',
      'registry.local/orders:v6-pullfail',
      /container idle: (ErrImagePull|ImagePullBackOff)/,
    ],
    ['a crash-looping image', 'registry.local/orders:v7-crashloop', /container idle: CrashLoopBackOff, \d+ restarts/],
  ])('%s at zero replicas fails in under a minute, naming the reason, and leaves no pod', async (_, image, reason) => {
    expect(await replicas()).toBe(0);
    const run = await deployIdle(image);
    expect(run.status).toBe(1);
    expect(run.seconds).toBeLessThan(60);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^error: Deployment\/idle: the new version, which KEDA keeps at zero replicas, does not start/,
    );
    expect(errors[0]).toMatch(reason);
    expect(await verificationJobs()).toEqual([]);
    await until(async () => (await verificationPods()).length === 0);
    expect(await replicas()).toBe(0);
  });

  test('verify-idle-version: false takes the old path: such a version deploys unproven', async () => {
    const run = await deployIdle('registry.local/orders:v8-pullfail', ['--no-verify-idle-version']);
    expect(run.status).toBe(0);
    expect(await verificationJobs()).toEqual([]);
    expect((await deployIdle(IMAGE_V1)).status).toBe(0);
  });
});
