import {
  BatchV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  makeInformer,
  PatchStrategy,
  type V1Container,
  type V1Deployment,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import { isAllowed } from '../cluster/permissions.js';
import { isNotFound } from '../cluster/status.js';
import { describeFailure } from '../errors.js';
import { AppObjectsApi } from '../inventory/client.js';
import { appLabels, VERIFIED_TEMPLATE_ANNOTATION, WORKLOAD_IDENTITY_USE_LABEL } from '../inventory/labels.js';
import { RolloutFailure, type ScaledVersion, settle, warningEvents } from './rollout.js';
import { isPodReady, podFailure, recentWarnings, type Verdict } from './verdicts.js';

/** Who changes the proof annotation: apart from the apply's field manager, so an apply never takes it away. */
const VERIFY_FIELD_MANAGER = 'aks-functions-deploy-verify';
/** On a verification Job and its pod: the Deployment whose version it proves. */
export const VERIFIES_LABEL = 'aks-functions-deploy/verifies';
/** Set on a Job's pods by the Job controller (Kubernetes 1.27 and later). */
const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';
/** The allow-list the Deployment's host loads (workloads.ts writes one entry a function). */
const ALLOW_LIST_ENTRY = /^AzureFunctionsJobHost__functions__\d+$/;
/** How long a finished verification Job stays, when this deploy was not there to remove it. */
const FINISHED_JOB_SECONDS = 60;

/** How each scaled Deployment's version was proven, or why it was not. */
export interface VersionProof {
  readonly deployment: string;
  readonly how: 'proven before' | 'a pod was ready' | 'verification pod ready' | 'not proven';
  readonly seconds?: number;
  /** For 'not proven': why not. For 'verification pod ready': what was left behind, if anything. */
  readonly why?: string;
}

/**
 * Proves the version of each Deployment KEDA scales, which may run no pod at all: a version that a pod of was seen
 * ready during the wait is proven; otherwise one pod of it is started as a Job, with every function disabled so that
 * it takes no event, and must become ready as a replica would. The proof is kept on the Deployment as the
 * pod-template-hash it proved, so a redeploy of a proven version starts nothing. The Job is deleted once judged; if
 * this deploy is killed first, its deadline stops the pod, its TTL removes it, and it goes with the Deployment it is
 * owned by. An identity that may not create and delete Jobs leaves the version unproven, which the caller warns of.
 */
export async function proveScaledVersions(
  config: KubeConfig,
  app: string,
  versions: readonly ScaledVersion[],
  deadline: number,
): Promise<VersionProof[]> {
  return Promise.all(
    versions.map(async (version): Promise<VersionProof> => {
      const name = version.deployment.metadata?.name as string;
      const namespace = version.deployment.metadata?.namespace as string;
      if (version.deployment.metadata?.annotations?.[VERIFIED_TEMPLATE_ANNOTATION] === version.templateHash)
        return { deployment: name, how: 'proven before' };
      const id = `Deployment/${name}`;
      if (version.readySeen) {
        await asRolloutFailure(id, 'recording that a pod of it was ready', recordProof(config, version));
        return { deployment: name, how: 'a pod was ready' };
      }
      const refused = await missingJobPermission(config, namespace);
      if (refused) return { deployment: name, how: 'not proven', why: refused };
      const started = Date.now();
      const leftBehind = await runVerificationPod(config, app, version.deployment, deadline);
      await asRolloutFailure(id, 'recording its proof', recordProof(config, version));
      return {
        deployment: name,
        how: 'verification pod ready',
        seconds: (Date.now() - started) / 1000,
        why: leftBehind,
      };
    }),
  );
}

/** Why this identity cannot run a verification Job in the namespace, if it cannot. */
async function missingJobPermission(config: KubeConfig, namespace: string): Promise<string | undefined> {
  const verbs = ['create', 'delete'];
  const allowed = await Promise.all(verbs.map((verb) => isAllowed(config, namespace, verb, 'batch', 'jobs')));
  if (allowed.every(Boolean)) return undefined;
  return (
    `this identity may not create and delete Jobs in namespace ${namespace}, which the verification pod needs: grant ` +
    'it create and delete on jobs.batch there, or set verify-idle-version: false to deploy such versions unproven'
  );
}

/** A failure after the apply is the rollout's: it names what failed, and rollback-on-failure undoes the version. */
async function asRolloutFailure<T>(id: string, doing: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RolloutFailure) throw error;
    throw new RolloutFailure(`${id}: ${doing} failed: ${describeFailure(error).message}`);
  }
}

/** The Job that starts one pod of the Deployment's template, apart from the Deployment and with no function on. */
export function verificationJob(app: string, deployment: V1Deployment, deadlineSeconds: number): V1Job {
  const name = deployment.metadata?.name as string;
  const template = deployment.spec?.template ?? {};
  // Neither the Deployment's selector nor a Service's matches it: it is no replica, and no traffic reaches it.
  const labels = { ...appLabels(app), [VERIFIES_LABEL]: name };
  // The webhook gives the pod the Azure identity a replica would have: the host must sign in as it does.
  const identity = template.metadata?.labels?.[WORKLOAD_IDENTITY_USE_LABEL];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      // A Job's name is a label value on its pods: 63 characters at most.
      generateName: `${name.slice(0, 48)}-verify-`,
      namespace: deployment.metadata?.namespace,
      labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata?.uid as string }],
    },
    spec: {
      activeDeadlineSeconds: deadlineSeconds,
      ttlSecondsAfterFinished: FINISHED_JOB_SECONDS,
      template: {
        metadata: {
          labels: { ...labels, ...(identity ? { [WORKLOAD_IDENTITY_USE_LABEL]: identity } : {}) },
          annotations: template.metadata?.annotations,
        },
        spec: {
          ...template.spec,
          containers: (template.spec?.containers ?? []).map(withFunctionsDisabled),
          // A crash restarts the container, as in a Deployment's pod, so it ends in CrashLoopBackOff.
          restartPolicy: 'OnFailure',
        },
      },
    },
  };
}

/**
 * The host loads its functions (so their bindings and extensions are checked) but starts no trigger: the setting a
 * function is disabled by (AzureWebJobs.<name>.Disabled, as the Functions docs give it; Kubernetes allows the dots in
 * a variable's name), for each function of the host's allow-list. Set in `env`, it wins over the app's settings.
 */
function withFunctionsDisabled(container: V1Container): V1Container {
  const functions = (container.env ?? []).filter((entry) => ALLOW_LIST_ENTRY.test(entry.name) && entry.value);
  const disabled = functions.map((entry) => ({ name: `AzureWebJobs.${entry.value}.Disabled`, value: 'true' }));
  const names = new Set(disabled.map((entry) => entry.name));
  return { ...container, env: [...(container.env ?? []).filter((entry) => !names.has(entry.name)), ...disabled] };
}

/** The verification pod's verdict: ready, failed for good, or not yet. */
export function verificationVerdict(pod: V1Pod | undefined): Verdict {
  if (!pod) return { state: 'pending', why: 'its pod has not been created yet' };
  const failure = podFailure(pod);
  if (failure) return failure;
  // A host that exits, even with 0, is no host a replica could run on.
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded')
    return {
      state: 'failed',
      events: { kind: 'Pod', name: pod.metadata?.name ?? '' },
      why: `pod ${pod.metadata?.name} ended (${pod.status.phase}): ${pod.status.reason ?? ''} ${pod.status.message ?? ''}`.trim(),
    };
  if (isPodReady(pod)) return { state: 'ok' };
  return { state: 'pending', why: `pod ${pod.metadata?.name} is not ready yet` };
}

/** Proves the version or fails the rollout; says what it left behind when its Job could not be deleted. */
async function runVerificationPod(
  config: KubeConfig,
  app: string,
  deployment: V1Deployment,
  deadline: number,
): Promise<string | undefined> {
  const namespace = deployment.metadata?.namespace as string;
  const name = deployment.metadata?.name as string;
  const id = `Deployment/${name}`;
  const batch = config.makeApiClient(BatchV1Api);
  const core = config.makeApiClient(CoreV1Api);
  // What is left of the one --timeout the rollout began.
  const seconds = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
  // The pod outlives the wait by a little at most, even when nothing is left to delete it.
  const job = await asRolloutFailure(
    id,
    'creating its verification Job',
    batch.createNamespacedJob({ namespace, body: verificationJob(app, deployment, seconds + FINISHED_JOB_SECONDS) }),
  );
  const jobName = job.metadata?.name as string;
  const labelSelector = `${JOB_UID_LABEL}=${job.metadata?.uid}`;
  const pods = makeInformer<V1Pod>(
    config,
    `/api/v1/namespaces/${namespace}/pods`,
    () => core.listNamespacedPod({ namespace, labelSelector }),
    labelSelector,
  );
  const context = `the new version, which KEDA keeps at zero replicas, does not start (verification Job ${jobName})`;
  const pod = () => pods.list(namespace)[0];
  const notCreated = jobCreateFailures(core, namespace, jobName, () => pod() !== undefined);
  let failure: unknown;
  try {
    await Promise.race([
      settle([pods], () => [[id, verificationVerdict(pod())]], new Map(), seconds),
      notCreated.failure,
    ]).catch(async (reason: unknown) => {
      if (reason instanceof RolloutFailure) {
        // At the deadline: what the Job and its pod were told (a failing probe, a missing volume) says why.
        const current = pod();
        const events = [
          await warningEvents(core, namespace, { kind: 'Job', name: jobName }),
          current ? await warningEvents(core, namespace, { kind: 'Pod', name: current.metadata?.name ?? '' }) : '',
        ].join('');
        throw new RolloutFailure(`${id}: ${context}: ${reason.message}${events}`);
      }
      if (!Array.isArray(reason)) throw reason;
      const verdict = reason[1] as Verdict & { state: 'failed' };
      const events = verdict.events ? await warningEvents(core, namespace, verdict.events) : '';
      throw new RolloutFailure(`${id}: ${context}: ${verdict.why}${events}`);
    });
  } catch (error) {
    failure = error ?? new Error('the verification failed');
  }
  notCreated.stop();
  // Its pod goes with it. A Job already gone (its TTL, a namespace deleted) is nothing left; one that stays is named,
  // but neither fails a proven version nor hides why one failed: its deadline and TTL still remove it.
  const leftBehind = await batch
    .deleteNamespacedJob({ name: jobName, namespace, propagationPolicy: 'Background' })
    .then(
      () => undefined,
      (error: unknown) =>
        isNotFound(error)
          ? undefined
          : `verification Job ${jobName} could not be deleted (${describeFailure(error).message}): its deadline ` +
            `stops its pod within ${seconds + FINISHED_JOB_SECONDS}s and it is removed ${FINISHED_JOB_SECONDS}s later`,
    );
  if (failure === undefined) return leftBehind;
  if (leftBehind && failure instanceof RolloutFailure) throw new RolloutFailure(`${failure.message}; ${leftBehind}`);
  throw failure;
}

/** How often a Job with no pod yet is asked why: a pod it may not create (Pod Security, a quota) makes no pod event. */
const CREATE_CHECK_MS = 3000;

/**
 * A Job controller's refusal to create the pod that retrying will not mend: admission (Pod Security, a webhook), an
 * invalid pod. A quota may free up within seconds (the old version's pods still terminating hold it), so it fails
 * only at the deadline, with its events.
 */
export function isLastingCreateFailure(event: CoreV1Event): boolean {
  return event.type === 'Warning' && event.reason === 'FailedCreate' && !/exceeded quota/i.test(event.message ?? '');
}

/** Fails as soon as the Job controller says it cannot create the pod for good, rather than at the deadline. */
function jobCreateFailures(
  core: CoreV1Api,
  namespace: string,
  jobName: string,
  hasPod: () => boolean,
): { failure: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const failure = new Promise<never>((_, reject) => {
    const look = async () => {
      if (stopped) return;
      if (!hasPod()) {
        const refused = await core
          .listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Job,involvedObject.name=${jobName}` })
          .then((events) => events.items.filter(isLastingCreateFailure))
          .catch(() => []);
        if (refused.length > 0 && !stopped)
          return reject([
            `Job/${jobName}`,
            { state: 'failed', why: `cannot create its pod: ${recentWarnings(refused)}` },
          ]);
      }
      if (!stopped) timer = setTimeout(() => void look(), CREATE_CHECK_MS);
    };
    timer = setTimeout(() => void look(), CREATE_CHECK_MS);
  });
  failure.catch(() => undefined);
  return {
    failure,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** The pod-template-hash proven, on the Deployment: a metadata change, so no new rollout. */
async function recordProof(config: KubeConfig, version: ScaledVersion): Promise<void> {
  const { name, namespace } = version.deployment.metadata as { name: string; namespace: string };
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, annotations: { [VERIFIED_TEMPLATE_ANNOTATION]: version.templateHash } },
  };
  await AppObjectsApi.forConfig(config).patch(
    body,
    undefined,
    undefined,
    VERIFY_FIELD_MANAGER,
    undefined,
    PatchStrategy.MergePatch,
  );
}
