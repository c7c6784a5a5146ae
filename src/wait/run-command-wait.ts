import type {
  CoreV1Event,
  KubernetesObject,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';
import { RUN_COMMAND_LIMITS, type RunCommand, safeLine } from '../azure/run-command.js';
import { sectionJson, sections, waitStep } from '../cluster/private-steps.js';
import { UserError } from '../errors.js';
import type { KubeObject } from '../render/render.js';
import { RolloutFailure } from './rollout.js';
import {
  deploymentVerdict,
  loadBalancerVerdict,
  newPods,
  type NotReadySeen,
  recentWarnings,
  type ScaledObject,
  scaledObjectVerdict,
  type Verdict,
} from './verdicts.js';
import { type RolloutOptions, rolloutTargets, type WatchedRollout } from './watch.js';

/**
 * The rollout of a private cluster reached through AKS run command: command 3 waits in the cluster and prints the
 * app's objects as JSON, and the direct path's verdicts judge them; again while the verdicts say pending.
 */

/** The app as command 3 printed it. */
interface Snapshot {
  readonly deployments: V1Deployment[];
  readonly sets: V1ReplicaSet[];
  readonly pods: V1Pod[];
  readonly services: V1Service[];
  readonly scaledObjects: ScaledObject[];
  readonly events: CoreV1Event[];
}

export function readSnapshot(logs: string): Snapshot {
  const found = sections(logs);
  for (const name of ['workloads', 'scaledobjects', 'events']) {
    const section = found.get(name);
    if (!section || section.failed)
      throw new UserError(
        `reading the rollout in the cluster failed (AKS run command): ${safeLine(section?.text.split('\n').at(-1) ?? 'no output')}`,
      );
  }
  const items = (name: string) => sectionJson<{ items: KubernetesObject[] }>(found.get(name))?.items ?? [];
  const workloads = items('workloads');
  const of = <T>(kind: string) => workloads.filter((item) => item.kind === kind) as T[];
  return {
    deployments: of('Deployment'),
    sets: of('ReplicaSet'),
    pods: of('Pod'),
    services: of('Service'),
    scaledObjects: items('scaledobjects') as ScaledObject[],
    events: items('events') as CoreV1Event[],
  };
}

/** Every target's verdict on one snapshot, by `Kind/name`: the direct path's verdict code. */
export function snapshotVerdicts(
  snapshot: Snapshot,
  targets: ReturnType<typeof rolloutTargets>,
  notReady: Map<string, NotReadySeen>,
  allowScalerErrors: boolean,
): [string, Verdict][] {
  const named = <T extends KubernetesObject>(items: T[], name: string) =>
    items.find((item) => item.metadata?.name === name);
  return [
    ...targets.deployments.map((name): [string, Verdict] => {
      const deployment = named(snapshot.deployments, name);
      return [
        `Deployment/${name}`,
        deploymentVerdict(deployment, newPods(deployment, snapshot.sets, snapshot.pods), targets.image),
      ];
    }),
    ...Object.entries(targets.scaledObjects).map(([name, types]): [string, Verdict] => [
      `ScaledObject/${name}`,
      scaledObjectVerdict(named(snapshot.scaledObjects, name), types, notReady, name, allowScalerErrors),
    ]),
    ...targets.loadBalancers.map((name): [string, Verdict] => [
      `Service/${name}`,
      loadBalancerVerdict(named(snapshot.services, name)),
    ]),
  ];
}

/** After a command whose snapshot was still pending, the next one looks for at least this long before it stops. */
const MINIMUM_POLL_SECONDS = 10;

/** Command 3 until every verdict is healthy or one has failed, within the rollout's deadline. */
export async function waitThroughRunCommand(
  run: RunCommand,
  app: { readonly name: string; readonly namespace: string },
  objects: readonly KubeObject[],
  options: RolloutOptions,
  image: string,
): Promise<WatchedRollout> {
  const { name, namespace } = app;
  const targets = rolloutTargets(name, namespace, objects, image);
  const started = Date.now();
  const deadline = started + options.timeoutSeconds * 1000;
  const notReady = new Map<string, NotReadySeen>();
  let first = true;
  for (;;) {
    const seconds = Math.min((deadline - Date.now()) / 1000, RUN_COMMAND_LIMITS.runSeconds);
    const output = await run(
      waitStep(
        name,
        namespace,
        { deployments: targets.deployments, scaledObjects: Object.keys(targets.scaledObjects) },
        seconds,
        first ? 0 : MINIMUM_POLL_SECONDS,
      ),
    );
    first = false;
    const snapshot = readSnapshot(output.logs);
    const verdicts = snapshotVerdicts(snapshot, targets, notReady, options.allowScalerErrors);
    const failed = verdicts.find(([, verdict]) => verdict.state === 'failed');
    if (failed) {
      const [id, verdict] = failed as [string, Verdict & { state: 'failed' }];
      const about = verdict.events;
      const related = about
        ? snapshot.events.filter(
            (event) => event.involvedObject.kind === about.kind && event.involvedObject.name === about.name,
          )
        : [];
      const warnings = recentWarnings(related);
      throw new RolloutFailure(`${id}: ${verdict.why}${warnings ? ` (${warnings})` : ''}`);
    }
    const pending = verdicts.find(([, verdict]) => verdict.state === 'pending');
    if (!pending) {
      const warnings = verdicts.flatMap(([id, verdict]) =>
        verdict.state === 'ok' && verdict.scalerError
          ? [`${id}: accepted by allow-scaler-errors, its scaler cannot read its source: ${verdict.scalerError}`]
          : [],
      );
      const addresses = Object.fromEntries(
        verdicts.flatMap(([id, verdict]) =>
          verdict.state === 'ok' && verdict.address ? [[id.slice('Service/'.length), verdict.address]] : [],
        ),
      );
      if (targets.scaledDeployments.length > 0 && options.verifyIdleVersion)
        warnings.push(
          `the new version of ${targets.scaledDeployments.join(', ')}, which KEDA may keep at zero replicas, is not proven to start through AKS run command (no verification pod on the private path)`,
        );
      return { seconds: (Date.now() - started) / 1000, addresses, warnings, scaledVersions: [], proofs: [] };
    }
    if (Date.now() >= deadline)
      throw new RolloutFailure(
        `${pending[0]}: not healthy within ${options.timeoutSeconds}s: ${(pending[1] as { why: string }).why}`,
      );
  }
}
