import type { V1Deployment } from '@kubernetes/client-node';
import { deploymentVerdict } from '../../src/wait/verdicts.js';

/** A Deployment whose replica counts already look rolled out; only the generations differ between cases. */
function deployment(generation: number, observedGeneration: number | undefined): V1Deployment {
  return {
    metadata: { name: 'orders', generation },
    spec: { replicas: 2 } as V1Deployment['spec'],
    status: { observedGeneration, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
  };
}

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
});
