import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { resolveRenderCommand } from '../../src/inputs/resolve.js';
import { render } from '../../src/render/render.js';
import { podFailure } from '../../src/wait/verdicts.js';
import { verificationJob } from '../../src/wait/verify.js';
import { app, find, fn, options } from './app-builder.js';

const queue = fn('ProcessOrder', { type: 'queueTrigger', queueName: 'orders' });
const http = fn('GetOrder', { type: 'httpTrigger', authLevel: 'function' });
const SETTINGS = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };
const placed = (virtualNodes: 'none' | 'events' | 'all', pullSecret?: string) =>
  render(app([queue, http], SETTINGS), options({}, { virtualNodes, ...(pullSecret ? { pullSecret } : {}) }));
const podSpec = (objects: ReturnType<typeof render>['objects'], name: string) =>
  find(objects, 'Deployment', name).spec.template.spec;

// AKS's documented selector and tolerations for its virtual node (articles/aks/virtual-nodes-cli.md).
const SELECTOR = { 'kubernetes.io/role': 'agent', 'kubernetes.io/os': 'linux', type: 'virtual-kubelet' };
const TOLERATIONS = [
  { key: 'virtual-kubelet.io/provider', operator: 'Exists' },
  { key: 'azure.com/aci', effect: 'NoSchedule' },
];

describe('render with virtual-nodes', () => {
  test('none (the default): no selector, no toleration, the startup probe kept', () => {
    const { objects, warnings } = placed('none');
    for (const name of ['orders', 'orders-http']) {
      const spec = podSpec(objects, name);
      expect(spec.nodeSelector).toBeUndefined();
      expect(spec.tolerations).toBeUndefined();
      expect(spec.containers[0].startupProbe).toBeDefined();
    }
    expect(warnings).toEqual([]);
    expect(resolveRenderCommand({ name: 'a', image: 'r.io/a:1' }).render.scaling.virtualNodes).toBe('none');
  });

  test("events: the event-driven pods get AKS's selector and tolerations; the HTTP ones do not", () => {
    const { objects } = placed('events', 'acr-pull');
    expect(podSpec(objects, 'orders').nodeSelector).toEqual(SELECTOR);
    expect(podSpec(objects, 'orders').tolerations).toEqual(TOLERATIONS);
    expect(podSpec(objects, 'orders-http').nodeSelector).toBeUndefined();
    expect(podSpec(objects, 'orders-http').tolerations).toBeUndefined();
  });

  test('all: the HTTP pods too', () => {
    const { objects } = placed('all', 'acr-pull');
    for (const name of ['orders', 'orders-http']) {
      expect(podSpec(objects, name).nodeSelector).toEqual(SELECTOR);
      expect(podSpec(objects, name).tolerations).toEqual(TOLERATIONS);
    }
  });

  test('ACI refuses a startup probe: dropped, and liveness waits as long as it let the host start', () => {
    const before = podSpec(placed('none').objects, 'orders').containers[0];
    const after = podSpec(placed('events', 'acr-pull').objects, 'orders').containers[0];
    expect(after.startupProbe).toBeUndefined();
    expect(after.livenessProbe).toEqual({
      ...before.livenessProbe,
      initialDelaySeconds: before.startupProbe.periodSeconds * before.startupProbe.failureThreshold,
    });
    expect(after.readinessProbe).toEqual(before.readinessProbe);
    // Nothing else about the pod changes.
    const without = (spec: Record<string, any>, ...fields: string[]) => {
      const copy = structuredClone(spec);
      for (const field of fields) delete copy[field];
      for (const container of copy.containers) {
        delete container.startupProbe;
        delete container.livenessProbe;
      }
      return copy;
    };
    expect(without(podSpec(placed('events', 'acr-pull').objects, 'orders'), 'nodeSelector', 'tolerations')).toEqual(
      without(podSpec(placed('none', 'acr-pull').objects, 'orders')),
    );
  });

  test('without a pull secret, a warning: virtual nodes cannot pull with the cluster identity', () => {
    expect(placed('events').warnings).toEqual([
      expect.stringMatching(/^virtual-nodes: Deployment\/orders run on virtual nodes, .*pull-secret/),
    ]);
    expect(placed('all').warnings).toEqual([expect.stringMatching(/Deployment\/orders, Deployment\/orders-http run/)]);
    expect(placed('events', 'acr-pull').warnings).toEqual([]);
  });

  test('events for an app with only HTTP functions: a warning that nothing runs there', () => {
    const { objects, warnings } = render(app([http], SETTINGS), options({}, { virtualNodes: 'events' }));
    expect(podSpec(objects, 'orders-http').nodeSelector).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/no pod runs on virtual nodes/)]);
  });

  test("a bad value is one error naming the input's values", () => {
    expect(() => resolveRenderCommand({ name: 'a', image: 'r.io/a:1', 'virtual-nodes': 'aci' })).toThrow(
      /^input 'virtual-nodes': 'aci' is not one of none, events, all$/,
    );
  });
});

describe('on virtual nodes, the verification pod', () => {
  test('runs where the replicas would: the same selector and tolerations, no startup probe', () => {
    const deployment = find(placed('events', 'acr-pull').objects, 'Deployment', 'orders') as V1Deployment;
    const job = verificationJob('orders', { ...deployment, metadata: { ...deployment.metadata, uid: 'u' } }, 60);
    const spec = job.spec?.template.spec;
    expect(spec?.nodeSelector).toEqual(SELECTOR);
    expect(spec?.tolerations).toEqual(TOLERATIONS);
    expect(spec?.containers[0]?.startupProbe).toBeUndefined();
  });
});

describe('a pod the virtual node refuses', () => {
  test("fails at once with the provider's message (virtual-kubelet's ProviderFailed)", () => {
    const pod: V1Pod = {
      metadata: { name: 'orders-abc' },
      status: { phase: 'Pending', reason: 'ProviderFailed', message: 'ACI does not support startupProbe' },
    };
    expect(podFailure(pod)).toEqual({
      state: 'failed',
      events: { kind: 'Pod', name: 'orders-abc' },
      why: 'pod orders-abc refused by its virtual node (ProviderFailed): ACI does not support startupProbe',
    });
    expect(podFailure({ ...pod, status: { phase: 'Pending' } })).toBeUndefined();
  });
});
