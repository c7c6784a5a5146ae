import { KubeConfig, type V1Deployment, type V1Pod, type V1ReplicaSet } from '@kubernetes/client-node';
import { render } from '../../src/render/render.js';
import { VERIFIED_TEMPLATE_ANNOTATION } from '../../src/inventory/labels.js';
import {
  isLastingCreateFailure,
  proveScaledVersions,
  verificationJob,
  verificationVerdict,
  VERIFIES_LABEL,
} from '../../src/wait/verify.js';
import { type AppWatch, currentVerdicts, scaledVersions } from '../../src/wait/rollout.js';
import { rolloutTargets } from '../../src/wait/watch.js';
import { app, fn, OPTIONS } from './app-builder.js';

const QUEUE = { type: 'queueTrigger', queueName: 'orders', connection: 'Storage' };
const rendered = render(
  app(
    [
      fn('ProcessOrder', QUEUE),
      fn('ArchiveOrder', { ...QUEUE, queueName: 'archive' }),
      fn('GetOrder', { type: 'httpTrigger', route: 'orders/{id}' }),
    ],
    { Storage: 'UseDevelopmentStorage=true' },
  ),
  OPTIONS,
).objects;
const eventDeployment = (): V1Deployment => {
  const found = rendered.find((object) => object.kind === 'Deployment' && object.metadata.name === 'orders');
  const deployment = structuredClone(found) as V1Deployment;
  deployment.metadata = { ...deployment.metadata, uid: 'uid-orders', namespace: 'shop' };
  return deployment;
};

describe('the Deployments a verification pod may be needed for', () => {
  test("are the ScaledObjects' targets, not the HTTP part", () => {
    const targets = rolloutTargets('orders', 'shop', rendered, OPTIONS.image);
    expect(targets.deployments).toEqual(expect.arrayContaining(['orders', 'orders-http']));
    expect(targets.scaledDeployments).toEqual(['orders']);
  });
});

describe('the verification Job', () => {
  const job = verificationJob('orders', eventDeployment(), 240);
  const pod = job.spec?.template;
  const container = pod?.spec?.containers[0];
  const env = Object.fromEntries((container?.env ?? []).map((entry) => [entry.name, entry.value]));

  test('runs the pod template of the version, with every function of its host disabled', () => {
    const template = eventDeployment().spec?.template;
    expect(container?.image).toBe(template?.spec?.containers[0]?.image);
    expect(container?.envFrom).toEqual(template?.spec?.containers[0]?.envFrom);
    expect(container?.readinessProbe).toEqual(template?.spec?.containers[0]?.readinessProbe);
    const allowed = (template?.spec?.containers[0]?.env ?? [])
      .filter((entry) => entry.name.startsWith('AzureFunctionsJobHost__functions__'))
      .map((entry) => entry.value);
    expect(allowed.sort()).toEqual(['ArchiveOrder', 'ProcessOrder']);
    for (const name of allowed) expect(env[`AzureWebJobs.${name}.Disabled`]).toBe('true');
    expect(Object.keys(env).filter((name) => name.endsWith('.Disabled'))).toHaveLength(allowed.length);
  });

  test("a function's Disabled setting in the template is overridden, not doubled", () => {
    const deployment = eventDeployment();
    deployment.spec?.template.spec?.containers[0]?.env?.push({
      name: 'AzureWebJobs.ProcessOrder.Disabled',
      value: 'false',
    });
    const entries = verificationJob('orders', deployment, 60).spec?.template.spec?.containers[0]?.env ?? [];
    const disabled = entries.filter((entry) => entry.name === 'AzureWebJobs.ProcessOrder.Disabled');
    expect(disabled).toEqual([{ name: 'AzureWebJobs.ProcessOrder.Disabled', value: 'true' }]);
  });

  test("is no replica: the Deployment's selector does not match its pod", () => {
    const selector = eventDeployment().spec?.selector.matchLabels ?? {};
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    const labels = pod?.metadata?.labels ?? {};
    expect(Object.entries(selector).every(([key, value]) => labels[key] === value)).toBe(false);
    expect(labels[VERIFIES_LABEL]).toBe('orders');
    expect(labels['app.kubernetes.io/instance']).toBe('orders');
  });

  test('cannot outlive its deploy: owned by the Deployment, a deadline, removed when finished, restarted on a crash', () => {
    expect(job.metadata?.ownerReferences).toEqual([
      expect.objectContaining({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', uid: 'uid-orders' }),
    ]);
    expect(job.spec?.activeDeadlineSeconds).toBe(240);
    expect(job.spec?.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(pod?.spec?.restartPolicy).toBe('OnFailure');
    expect(job.metadata?.namespace).toBe('shop');
  });

  test("a long Deployment name still leaves the Job's name a valid label value", () => {
    const deployment = eventDeployment();
    deployment.metadata = { ...deployment.metadata, name: 'x'.repeat(63) };
    const prefix = verificationJob('orders', deployment, 60).metadata?.generateName ?? '';
    // The apiserver appends five characters.
    expect(prefix.length + 5).toBeLessThanOrEqual(63);
  });
});

describe('the verification verdict', () => {
  const status = (status: V1Pod['status']): V1Pod => ({ metadata: { name: 'orders-verify-abcde-x1' }, status });
  const waiting = (reason: string) =>
    status({
      containerStatuses: [
        { name: 'orders', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason } } },
      ],
    });

  test('waits for a pod, fails on one that will not start, is ok once it is ready', () => {
    expect(verificationVerdict(undefined).state).toBe('pending');
    expect(verificationVerdict(status({ phase: 'Pending' })).state).toBe('pending');
    expect(verificationVerdict(waiting('ContainerCreating')).state).toBe('pending');
    expect(verificationVerdict(waiting('ImagePullBackOff'))).toMatchObject({
      state: 'failed',
      events: { kind: 'Pod', name: 'orders-verify-abcde-x1' },
      why: expect.stringContaining('ImagePullBackOff'),
    });
    expect(verificationVerdict(status({ phase: 'Failed', reason: 'DeadlineExceeded' }))).toMatchObject({
      state: 'failed',
      why: expect.stringContaining('DeadlineExceeded'),
    });
    // A host that exits 0 is no more a host than one that crashes.
    expect(verificationVerdict(status({ phase: 'Succeeded' })).state).toBe('failed');
    expect(verificationVerdict(status({ conditions: [{ type: 'Ready', status: 'False' }] })).state).toBe('pending');
    expect(verificationVerdict(status({ conditions: [{ type: 'Ready', status: 'True' }] })).state).toBe('ok');
  });
});

describe('the version a ready pod proves', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', uid: 'd1', controller: true };
  const replicaSet = (revision: string, hash: string): V1ReplicaSet => ({
    metadata: {
      name: `orders-${hash}`,
      namespace: 'shop',
      ownerReferences: [owner],
      annotations: { 'deployment.kubernetes.io/revision': revision },
      labels: { 'pod-template-hash': hash },
    },
  });
  const deployment = (revision: string): V1Deployment => ({
    metadata: {
      name: 'orders',
      namespace: 'shop',
      uid: 'd1',
      generation: 2,
      annotations: { 'deployment.kubernetes.io/revision': revision },
    },
    spec: { selector: {}, template: {} },
    status: { observedGeneration: 2, replicas: 0, updatedReplicas: 0, availableReplicas: 0 },
  });
  const readyPod: V1Pod = {
    metadata: { name: 'orders-old-1', namespace: 'shop', labels: { 'pod-template-hash': 'old' } },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
  const cache = <T>(items: T[]) => ({ get: () => items[0], list: () => items });
  const targets = {
    app: 'orders',
    namespace: 'shop',
    deployments: ['orders'],
    scaledObjects: {},
    loadBalancers: [],
    scaledDeployments: ['orders'],
  };

  test("an old version's ready pod, seen before the controller moved the revision, does not prove the new one", () => {
    const readySeen = new Set<string>();
    // The new template is applied; the controller has not made the new ReplicaSet yet.
    const before = {
      deployments: cache([deployment('1')]),
      replicaSets: cache([replicaSet('1', 'old')]),
      pods: cache([readyPod]),
      services: cache([]),
    } as unknown as AppWatch;
    currentVerdicts(before, targets, new Map(), readySeen, false);
    // Then the new ReplicaSet, which KEDA keeps at zero: no pod of it was ever ready.
    const after = {
      ...before,
      deployments: cache([deployment('2')]),
      replicaSets: cache([replicaSet('1', 'old'), replicaSet('2', 'new')]),
    } as unknown as AppWatch;
    currentVerdicts(after, targets, new Map(), readySeen, false);
    expect(scaledVersions(after, targets, readySeen)).toEqual([
      expect.objectContaining({ templateHash: 'new', readySeen: false }),
    ]);
    // Its own ready pod proves it.
    const proven = { ...after, pods: cache([{ ...readyPod, metadata: { labels: { 'pod-template-hash': 'new' } } }]) };
    currentVerdicts(proven as unknown as AppWatch, targets, new Map(), readySeen, false);
    expect(scaledVersions(after, targets, readySeen)).toEqual([
      expect.objectContaining({ templateHash: 'new', readySeen: true }),
    ]);
  });
});

describe("the Job controller's refusals to create the pod", () => {
  const event = (reason: string, message: string, type = 'Warning') => ({
    metadata: {},
    involvedObject: {},
    type,
    reason,
    message,
  });

  test('admission fails at once; a quota, which may free up as the old pods go, waits for the deadline', () => {
    expect(
      isLastingCreateFailure(
        event('FailedCreate', 'Error creating: pods "orders-verify-x" is forbidden: violates PodSecurity "restricted"'),
      ),
    ).toBe(true);
    expect(
      isLastingCreateFailure(
        event(
          'FailedCreate',
          'Error creating: pods "orders-verify-x" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4',
        ),
      ),
    ).toBe(false);
    expect(isLastingCreateFailure(event('SuccessfulCreate', 'Created pod: orders-verify-x', 'Normal'))).toBe(false);
    expect(isLastingCreateFailure(event('FailedCreate', 'forbidden', 'Normal'))).toBe(false);
  });
});

describe('a version proven before', () => {
  test('starts nothing and asks the cluster nothing', async () => {
    // A cluster nobody answers at: any request would fail the proof.
    const config = new KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:9' }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const deployment = eventDeployment();
    deployment.metadata = { ...deployment.metadata, annotations: { [VERIFIED_TEMPLATE_ANNOTATION]: '5d8f7c' } };
    const proofs = await proveScaledVersions(
      config,
      'orders',
      [{ deployment, templateHash: '5d8f7c', readySeen: false }],
      5,
    );
    expect(proofs).toEqual([{ deployment: 'orders', how: 'proven before' }]);
    const other = proveScaledVersions(
      config,
      'orders',
      [{ deployment, templateHash: '77aa01', readySeen: true }],
      Date.now() + 5000,
    );
    await expect(other).rejects.toThrow(/^Deployment\/orders: recording that a pod of it was ready failed: /);
  });
});
