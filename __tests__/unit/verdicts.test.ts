import type { CoreV1Event, V1Deployment, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { DEPLOYED_IMAGE_ANNOTATION, REVISION_ANNOTATION } from '../../src/inventory/labels.js';
import {
  deploymentVerdict,
  loadBalancerVerdict,
  newPods,
  NOT_READY_GRACE_MS,
  type NotReadySeen,
  recentWarnings,
  scaledObjectVerdict,
} from '../../src/wait/verdicts.js';

/** A Deployment whose replica counts already look rolled out, unless a case says otherwise. */
function deployment(
  generation: number,
  observedGeneration: number | undefined,
  status: V1Deployment['status'] = {},
  annotations: Record<string, string> = {},
): V1Deployment {
  return {
    metadata: { name: 'orders', uid: 'd-1', generation, annotations: { [REVISION_ANNOTATION]: '3', ...annotations } },
    spec: { replicas: 2 } as V1Deployment['spec'],
    status: { observedGeneration, replicas: 2, updatedReplicas: 2, availableReplicas: 2, ...status },
  };
}

const pod = (name: string, hash: string, waiting?: string): V1Pod => ({
  metadata: { name, labels: { 'pod-template-hash': hash } },
  status: {
    containerStatuses: [
      {
        name: 'orders',
        image: 'x',
        imageID: '',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: waiting } },
      },
    ],
  },
});

describe('the Deployment verdict', () => {
  test('replica counts of the old version do not count until the controller has seen the new generation', () => {
    expect(deploymentVerdict(deployment(3, 2), [], undefined)).toEqual({
      state: 'pending',
      why: 'the controller has not seen the new version yet',
    });
    expect(deploymentVerdict(deployment(3, undefined), [], undefined).state).toBe('pending');
  });

  test('once the new generation is observed, full replica counts are a finished rollout', () => {
    expect(deploymentVerdict(deployment(3, 3), [], undefined)).toEqual({ state: 'ok' });
  });

  test('not finished while old pods still run beside the updated ones', () => {
    expect(deploymentVerdict(deployment(3, 3, { replicas: 3 }), [], undefined)).toEqual({
      state: 'pending',
      why: '2 of 2 replicas updated, 2 available, 1 old',
    });
  });

  test('another image recorded on the Deployment: this deploy was replaced by another one', () => {
    const replaced = deployment(3, 3, {}, { [DEPLOYED_IMAGE_ANNOTATION]: 'reg.io/orders:3' });
    expect(deploymentVerdict(replaced, [], 'reg.io/orders:2')).toMatchObject({ state: 'failed', superseded: true });
    expect(deploymentVerdict(replaced, [], 'reg.io/orders:3')).toEqual({ state: 'ok' });
  });

  test('a crash-looping new pod fails the rollout at once, naming the pod, the reason and the restarts', () => {
    expect(deploymentVerdict(deployment(3, 3), [pod('orders-abc', 'h3', 'CrashLoopBackOff')], undefined)).toEqual({
      state: 'failed',
      events: { kind: 'Pod', name: 'orders-abc' },
      why: 'pod orders-abc, container orders: CrashLoopBackOff, 4 restarts',
    });
  });

  test('before the controller has seen the new generation, the crash loop and deadline of the last version are not this one', () => {
    const crashing = [pod('orders-abc', 'h2', 'CrashLoopBackOff')];
    expect(deploymentVerdict(deployment(4, 3), crashing, undefined).state).toBe('pending');
    const deadline = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' };
    expect(deploymentVerdict(deployment(4, 3, { conditions: [deadline] }), [], undefined).state).toBe('pending');
    expect(deploymentVerdict(deployment(4, 4, { conditions: [deadline] }), [], undefined).state).toBe('failed');
  });
});

describe("the rollout's own pods", () => {
  test("are those of the ReplicaSet of the Deployment's current revision, not an older one's", () => {
    const set = (revision: string, hash: string, uid = 'd-1'): V1ReplicaSet => ({
      metadata: {
        annotations: { [REVISION_ANNOTATION]: revision },
        labels: { 'pod-template-hash': hash },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders', uid }],
      },
    });
    const pods = [pod('old', 'h2', 'CrashLoopBackOff'), pod('new', 'h3'), pod('other', 'h9')];
    const sets = [set('2', 'h2'), set('3', 'h3'), set('3', 'h9', 'someone-else')];
    expect(newPods(deployment(3, 3), sets, pods).map((p) => p.metadata?.name)).toEqual(['new']);
  });
});

describe('the ScaledObject verdict', () => {
  const notReady = (reason: string, message = '') => ({
    status: { triggersTypes: 'azure-queue', conditions: [{ type: 'Ready', status: 'False', reason, message }] },
  });
  const triggerError = notReady('TriggerError', 'Triggers defined in ScaledObject are not working correctly');
  const expired = () =>
    new Map<string, NotReadySeen>([['orders', { since: Date.now() - NOT_READY_GRACE_MS, last: Date.now() }]]);

  test('Ready=False is given a grace period to clear before it fails the rollout', () => {
    const since = new Map<string, NotReadySeen>();
    expect(scaledObjectVerdict(notReady('Bad'), ['azure-queue'], since, 'orders', false)).toEqual({
      state: 'pending',
      why: 'not Ready: Bad; trigger azure-queue',
    });
    since.set('orders', { since: Date.now() - NOT_READY_GRACE_MS, last: Date.now() });
    expect(scaledObjectVerdict(notReady('Bad'), ['azure-queue'], since, 'orders', false)).toEqual({
      state: 'failed',
      why: 'not Ready: Bad; trigger azure-queue',
      events: { kind: 'ScaledObject', name: 'orders' },
    });
  });

  test('Ready is healthy only once KEDA has checked the scalers (Active set), as it sets Ready=False first if one fails', () => {
    const ready = (active?: string) => ({
      status: {
        triggersTypes: 'azure-queue',
        conditions: [{ type: 'Ready', status: 'True' }, ...(active ? [{ type: 'Active', status: active }] : [])],
      },
    });
    for (const active of [undefined, 'Unknown'])
      expect(scaledObjectVerdict(ready(active), ['azure-queue'], new Map(), 'orders', false)).toEqual({
        state: 'pending',
        why: 'KEDA has not checked its scalers yet',
      });
    for (const active of ['True', 'False'])
      expect(scaledObjectVerdict(ready(active), ['azure-queue'], new Map(), 'orders', false)).toEqual({ state: 'ok' });
  });

  test("Ready again after a failed check (KEDA's every reconcile sets it) counts only once a whole check has passed", () => {
    const ready = (pollingInterval?: number) => ({
      spec: pollingInterval === undefined ? {} : { pollingInterval },
      status: {
        triggersTypes: 'azure-queue',
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Active', status: 'False' },
        ],
      },
    });
    const seen = new Map<string, NotReadySeen>();
    expect(scaledObjectVerdict(triggerError, ['azure-queue'], seen, 'orders', false).state).toBe('pending');
    // The reconcile's Ready=True, with the Active=False the failed check left, is no passed check.
    expect(scaledObjectVerdict(ready(), ['azure-queue'], seen, 'orders', false)).toEqual({
      state: 'pending',
      why: "Ready again, but its scalers failed KEDA's last check",
    });
    // The failure comes back after the grace period, counted from its first sighting: the rollout fails.
    seen.set('orders', { since: Date.now() - NOT_READY_GRACE_MS, last: Date.now() - 1000 });
    expect(scaledObjectVerdict(triggerError, ['azure-queue'], seen, 'orders', false).state).toBe('failed');
    // A polling interval (and a margin) later with Ready still true, a check has passed.
    seen.set('orders', { since: Date.now() - 60_000, last: Date.now() - 11_000 });
    expect(scaledObjectVerdict(ready(5), ['azure-queue'], seen, 'orders', false).state).toBe('ok');
    expect(seen.has('orders')).toBe(false);
    seen.set('orders', { since: Date.now() - 60_000, last: Date.now() - 11_000 });
    expect(scaledObjectVerdict(ready(), ['azure-queue'], seen, 'orders', false).state).toBe('pending');
  });

  test('a scaler that cannot read its source fails, naming the trigger and asking for its warning events', () => {
    expect(scaledObjectVerdict(triggerError, ['azure-queue', 'azure-queue'], expired(), 'orders', false)).toEqual({
      state: 'failed',
      why: 'not Ready: TriggerError Triggers defined in ScaledObject are not working correctly; trigger azure-queue',
      events: { kind: 'ScaledObject', name: 'orders' },
    });
  });

  test('allow-scaler-errors accepts a scaler that cannot read its source, to be warned about', () => {
    expect(scaledObjectVerdict(triggerError, ['azure-queue'], expired(), 'orders', true)).toEqual({
      state: 'ok',
      scalerError:
        'not Ready: TriggerError Triggers defined in ScaledObject are not working correctly; trigger azure-queue',
    });
    // Still given the grace period: a Ready=False left from the last version may clear.
    expect(scaledObjectVerdict(triggerError, ['azure-queue'], new Map(), 'orders', true).state).toBe('pending');
  });

  test('allow-scaler-errors still fails a ScaledObject not Ready for another reason', () => {
    const invalid = notReady(
      'ScaledObjectCheckFailed',
      "ScaledObject doesn't have correct Idle/Min/Max Replica Counts",
    );
    expect(scaledObjectVerdict(invalid, ['azure-queue'], expired(), 'orders', true)).toEqual({
      state: 'failed',
      why: "not Ready: ScaledObjectCheckFailed ScaledObject doesn't have correct Idle/Min/Max Replica Counts; trigger azure-queue",
      events: { kind: 'ScaledObject', name: 'orders' },
    });
  });
});

describe('warning events', () => {
  const event = (type: string, reason: string, message: string, seconds: number): CoreV1Event => ({
    metadata: {},
    involvedObject: { kind: 'ScaledObject', name: 'orders' },
    type,
    reason,
    message,
    lastTimestamp: new Date(seconds * 1000),
  });

  test('the newest distinct warnings, newest first, on one line', () => {
    // As KEDA's azure-queue scaler reports a missing queue: only the body's request id and time differ.
    const notFound = (request: string) =>
      `GET http://azurite/devstoreaccount1/missing-queue\n${'-'.repeat(20)}\nRESPONSE 404: 404 The specified queue does not exist.\n` +
      `ERROR CODE: QueueNotFound\n${'-'.repeat(20)}\n<?xml version="1.0"?>\n<Error>\n  <Code>QueueNotFound</Code>\n` +
      `  <Message>The specified queue does not exist.\nRequestId:${request}</Message>\n</Error>\n`;
    const events = [
      event('Warning', 'KEDAScalerFailed', 'old error', 1),
      event('Warning', 'KEDAScalerFailed', notFound('r5'), 5),
      event('Normal', 'KEDAScalersStarted', 'Started scalers watch', 6),
      event('Warning', 'KEDAScalerFailed', notFound('r4'), 4),
      event('Warning', 'ScaledObjectCheckFailed', 'failed to ensure HPA is correctly created', 3),
      event('Warning', 'KEDAScalerFailed', 'oldest error', 0),
    ];
    expect(recentWarnings(events)).toBe(
      'KEDAScalerFailed: GET http://azurite/devstoreaccount1/missing-queue RESPONSE 404: 404 The specified queue does ' +
        'not exist. ERROR CODE: QueueNotFound | ScaledObjectCheckFailed: failed to ensure HPA is correctly created | ' +
        'KEDAScalerFailed: old error',
    );
  });

  test('a message of several lines without a body stays one line', () => {
    expect(recentWarnings([event('Warning', 'Failed', 'first\nsecond\u2028third', 1)])).toBe(
      'Failed: first second\\u2028third',
    );
  });

  test('a message that may quote a credential is withheld', () => {
    const quoted = 'cannot connect with DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=c2VjcmV0a2V5';
    expect(recentWarnings([event('Warning', 'KEDAScalerFailed', quoted, 1)])).toBe(
      'KEDAScalerFailed: (message withheld: it may hold a credential)',
    );
  });

  test('no warnings, nothing to add', () => {
    expect(recentWarnings([event('Normal', 'KEDAScalersStarted', 'Started scalers watch', 1)])).toBe('');
  });
});

describe('the load balancer verdict', () => {
  test('an address is an IP or a host name', () => {
    expect(loadBalancerVerdict({ status: { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }] } } })).toEqual({
      state: 'ok',
      address: 'lb.example.com',
    });
    expect(loadBalancerVerdict({ status: { loadBalancer: {} } }).state).toBe('pending');
  });
});
