import { KubeConfig, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { render } from '../../src/render/render.js';
import { VERIFIED_TEMPLATE_ANNOTATION } from '../../src/inventory/labels.js';
import { proveScaledVersions, verificationJob, verificationVerdict, VERIFIES_LABEL } from '../../src/wait/verify.js';
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
