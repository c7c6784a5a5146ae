import type { AppliedObject } from '../apply/apply.js';
import { whenInterrupted } from '../cleanup.js';
import { inGroup, type Platform } from '../platform.js';
import type { KubeObject } from '../render/render.js';
import type { RolloutReport } from '../wait/rollout.js';

/** Seconds each stage took: the `timings` output. */
export interface StageTimings {
  /** Azure sign-in, before either half starts. */
  signIn?: number;
  /** Registry login, build and push, or the digest lookup of a given image. */
  image?: number;
  /** Cluster credentials and connection, the KEDA add-on or install. */
  cluster?: number;
  apply?: number;
  rollout?: number;
  /** The whole deploy, from discovery to the report. */
  total?: number;
}

/** What a deploy did, as its shells and the summary see it. */
export interface DeployResult {
  readonly objects: readonly KubeObject[];
  /** The YAML as the user asked to see it: Secret values redacted unless show-secrets. */
  readonly manifests: string;
  /** The image deployed, by digest when it is known. */
  readonly image: string;
  readonly applied: readonly AppliedObject[];
  readonly kedaVersion?: string;
  readonly rollout?: RolloutReport;
  readonly serviceIp?: string;
  /** As in the function-urls output. */
  readonly functionUrls?: Readonly<Record<string, string>>;
  readonly timings?: StageTimings;
}

/**
 * The one record of a deploy: each stage writes what it learnt into it, and
 * publishDeploy alone turns it into outputs, once, however the deploy ends.
 */
export interface DeployRecord extends Unset<Omit<DeployResult, 'applied' | 'timings'>> {
  /** The stage under way, for the report of an interrupted deploy. */
  stage: string;
  readonly started: number;
  readonly applied: AppliedObject[];
  readonly timings: StageTimings;
  digest?: string;
  deployments?: readonly string[];
  /** show-secrets put the Secret's values in the manifests: a platform with secret variables keeps the output as one. */
  manifestsHaveSecrets?: boolean;
  /** The function URLs carry keys: a platform with secret variables keeps the output as one. */
  functionUrlsHaveKeys?: boolean;
  /** The app's deploy Lease: left held by a killed deploy, it lapses on its own. */
  leaseHeld?: boolean;
  /** Whether the timings are worth an output: set once the deploy reached a cluster. */
  timed?: boolean;
}

/** Fields a stage fills in as it learns them. */
type Unset<T> = { -readonly [K in keyof T]?: T[K] };

export function newRecord(): DeployRecord {
  return { stage: 'Discover and render the app', started: performance.now(), applied: [], timings: {} };
}

/**
 * Runs the deploy's stages with its record, and publishes the record once:
 * when they finish, when they fail, or (with a report of how far they got)
 * when a signal stops the process, where no `finally` runs.
 */
export async function publishDeploy(
  platform: Platform,
  stages: (record: DeployRecord) => Promise<DeployResult>,
): Promise<DeployResult> {
  const record = newRecord();
  let published = false;
  const publish = () => {
    if (published) return;
    published = true;
    publishRecord(record, platform);
  };
  const stopReporting = whenInterrupted((signal) => {
    platform.warning(interruptedReport(signal, record));
    publish();
  });
  try {
    const result = await stages(record);
    if (record.timed) record.timings.total = secondsSince(record.started);
    return { ...result, ...(record.timed ? { timings: record.timings } : {}) };
  } finally {
    stopReporting();
    publish();
  }
}

/** Runs one stage under its heading, named in the record while it runs. */
export function stage<T>(record: DeployRecord, platform: Platform, title: string, work: () => Promise<T>): Promise<T> {
  record.stage = title;
  return inGroup(platform, title, work);
}

/** Runs `work`, recording how long it took under `name`, also when it fails. */
export async function timed<T>(record: DeployRecord, name: keyof StageTimings, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    record.timings[name] = secondsSince(started);
  }
}

function secondsSince(since: number): number {
  return Math.round(performance.now() - since) / 1000;
}

/** Every output the record holds, in one place. */
export function publishRecord(record: DeployRecord, platform: Platform): void {
  if (record.manifests !== undefined) platform.setOutput('manifests', record.manifests, record.manifestsHaveSecrets);
  const outputs: [string, string | undefined][] = [
    ['image', record.image],
    ['digest', record.digest],
    ['keda-version', record.kedaVersion],
    ['deployments', record.deployments && JSON.stringify(record.deployments)],
    ['rollout-seconds', record.rollout?.seconds.toFixed(1)],
    ['service-ip', record.serviceIp],
  ];
  for (const [name, value] of outputs) if (value !== undefined) platform.setOutput(name, value);
  if (record.functionUrls)
    platform.setOutput('function-urls', JSON.stringify(record.functionUrls), record.functionUrlsHaveKeys);
  if (record.timed) {
    record.timings.total ??= secondsSince(record.started);
    platform.setOutput('timings', JSON.stringify(record.timings));
  }
}

/** How far a deploy stopped by a signal got. */
export function interruptedReport(signal: NodeJS.Signals, record: DeployRecord): string {
  const applied = record.applied.filter((object) => ['created', 'configured', 'pruned'].includes(object.action));
  const changes =
    applied.length === 0
      ? "none of the app's objects was changed"
      : `changed so far: ${applied.map((object) => `${object.kind}/${object.name} (${object.action})`).join(', ')}`;
  const lease = record.leaseHeld ? "; the app's deploy Lease lapses in 30 s" : '';
  return `stopped by ${signal} during "${record.stage}": ${changes}; the rollout was not checked${lease}`;
}
