import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../render/render.js';
import { rollBack } from './rollback.js';
import {
  RolloutFailure,
  type RolloutReport,
  RolloutSuperseded,
  type RolloutTargets,
  waitForRollout,
} from './rollout.js';
import { proveScaledVersions, type VersionProof } from './verify.js';

/** The wait stage's input. */
export interface RolloutOptions {
  /** Wait for the rollout to be healthy at all. */
  readonly wait: boolean;
  /** For the rollout, and for the deploy Lease a concurrent deploy waits on. */
  readonly timeoutSeconds: number;
  /** On a failed rollout, put each Deployment back to its previous revision. */
  readonly rollbackOnFailure: boolean;
  /** A ScaledObject whose scaler cannot read its source yet (its queue is created later) warns instead of failing. */
  readonly allowScalerErrors: boolean;
  /** Prove the version of a Deployment KEDA keeps at zero replicas with one pod of it that takes no event. */
  readonly verifyIdleVersion: boolean;
}

/** The wait's outcome: the rollout, and how each scaled Deployment's version was proven. */
export interface WatchedRollout extends RolloutReport {
  readonly proofs: readonly VersionProof[];
}

/** What the rendered objects ask of a healthy rollout: their Deployments, ScaledObjects and load balancers. */
export function rolloutTargets(
  app: string,
  namespace: string,
  objects: readonly KubeObject[],
  image: string,
): RolloutTargets {
  const spec = (object: KubeObject) =>
    (object as { spec?: { type?: string; triggers?: readonly { type: string }[] } }).spec;
  const named = (kind: string, also: (object: KubeObject) => boolean = () => true) =>
    objects.filter((object) => object.kind === kind && also(object)).map((object) => object.metadata.name);
  const scaled = objects.filter((object) => object.kind === 'ScaledObject');
  const scaledObjects = scaled.map((object) => [
    object.metadata.name,
    spec(object)?.triggers?.map((trigger) => trigger.type) ?? [],
  ]);
  const scaleTarget = (object: KubeObject) =>
    (object as { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }).spec?.scaleTargetRef;
  return {
    app,
    namespace,
    deployments: named('Deployment'),
    scaledObjects: Object.fromEntries(scaledObjects),
    loadBalancers: named('Service', (object) => spec(object)?.type === 'LoadBalancer'),
    // KEDA's default target kind is a Deployment.
    scaledDeployments: [
      ...new Set(
        scaled.flatMap((object) => {
          const target = scaleTarget(object);
          return target?.name && (target.kind ?? 'Deployment') === 'Deployment' ? [target.name] : [];
        }),
      ),
    ],
    image,
  };
}

/**
 * Waits for the app's rollout and proves the versions KEDA may keep idle; on failure, restores the previous revision
 * when asked to.
 */
export async function watchRollout(
  config: KubeConfig,
  objects: readonly KubeObject[],
  targets: RolloutTargets,
  options: RolloutOptions,
): Promise<WatchedRollout> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  try {
    const report = await waitForRollout(config, targets, options.timeoutSeconds, options.allowScalerErrors);
    const proofs = options.verifyIdleVersion
      ? await proveScaledVersions(config, targets.app, report.scaledVersions, deadline)
      : [];
    return { ...report, proofs };
  } catch (error) {
    if (!(error instanceof RolloutFailure) || error instanceof RolloutSuperseded || !options.rollbackOnFailure)
      throw error;
    const undone = await rollBack(config, targets.namespace, objects);
    throw new RolloutFailure(
      `${error.message}; rollback-on-failure: ${undone.join('; ')} (other objects keep the new version)`,
    );
  }
}
