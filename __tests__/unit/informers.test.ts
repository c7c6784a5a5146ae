import type { Informer, KubernetesObject } from '@kubernetes/client-node';
import { untilInformed } from '../../src/wait/informers.js';

/** An informer over names: its list adds them one at a time, as client-node's does, each add an event. */
function namesInformer(listed: string[]) {
  const names = new Set<string>();
  const handlers = new Map<string, (() => void)[]>();
  const emit = (event: string) => (handlers.get(event) ?? []).forEach((handler) => handler());
  const informer = {
    names,
    on: (event: string, handler: () => void) => handlers.set(event, [...(handlers.get(event) ?? []), handler]),
    start: async () => {
      for (const name of listed) {
        names.add(name);
        emit('add');
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    stop: async () => undefined,
    remove: (name: string) => {
      names.delete(name);
      emit('delete');
    },
  };
  return informer;
}

describe('untilInformed', () => {
  test('an object the list has not reached yet is not taken for gone', async () => {
    const namespaces = namesInformer(['default', 'keda']);
    const gone = untilInformed(
      [namespaces as unknown as Informer<KubernetesObject>],
      () => !namespaces.names.has('keda'),
      0.3,
      () => new Error('timed out'),
    );
    await expect(gone).rejects.toThrow('timed out');
  });

  test('gone once the watch says so', async () => {
    const namespaces = namesInformer(['default', 'keda']);
    const gone = untilInformed(
      [namespaces as unknown as Informer<KubernetesObject>],
      () => !namespaces.names.has('keda'),
      5,
      () => new Error('timed out'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    namespaces.remove('keda');
    await expect(gone).resolves.toBeUndefined();
  });
});
