import type { KubernetesObject, V1APIService, V1Deployment, V1ObjectMeta } from '@kubernetes/client-node';
import type { AppliedObject } from '../apply/apply.js';
import { withDeployRecord, WORKLOADS } from '../apply/apply.js';
import { notThroughRunCommand, safeLine, type CommandOutput } from '../azure/run-command.js';
import type { RunCommandAccess } from '../cluster/connect.js';
import {
  applyStep,
  keyPad,
  keyThroughPad,
  metadataLines,
  type Section,
  sectionJson,
  sections,
  stateStep,
} from '../cluster/private-steps.js';
import { UserError } from '../errors.js';
import { federationNeeds } from '../azure/federation-needs.js';
import { appLabels, deployRecordAnnotations, instanceOf, objectKey, OWNED_KINDS } from '../inventory/labels.js';
import { notOwnedBecause } from '../inventory/inventory.js';
import { describeKeda, type KedaFound, kedaBeingDeleted, otherMetricsAdapter, planKeda } from '../keda/keda.js';
import { kedaOperatorWarning, OPERATOR } from '../keda/workload-identity.js';
import { mask, type Platform } from '../platform.js';
import { isSettingsHashKey, newSettingsHashKey } from '../render/objects.js';
import type { KubeObject } from '../render/render.js';
import { type DeployRecord, type DeployResult, stage, timed } from '../report/record.js';
import type { ClusterNeeds, ClusterStagesOptions } from './deploy-cluster.js';
import type { FederationPlan } from '../azure/federation.js';
import { waitThroughRunCommand } from '../wait/run-command-wait.js';

/**
 * The deploy's cluster half for a private AKS cluster this runner cannot reach: three AKS run commands (read the
 * state; ensure KEDA, apply and prune; wait and read the rollout), each batching what the direct path does in many
 * requests, with the same checks, field manager, prune and verdicts where the API allows (README, "Private clusters").
 */

export interface PreparedPrivateCluster {
  readonly access: RunCommandAccess;
  readonly state: ClusterState;
  readonly kedaVersion?: string;
  readonly kedaObjects?: readonly KubernetesObject[];
  readonly settingsHashKey?: string;
  readonly federation?: FederationPlan;
}

/** What command 1 read. */
export interface ClusterState {
  readonly namespace?: KubernetesObject & { status?: { phase?: string } };
  /** Every object this product manages in the namespace, by `Kind/name`. */
  readonly managed: ReadonlyMap<string, V1ObjectMeta>;
  readonly unserved: ReadonlySet<string>;
  /** The rendered objects that exist, by `Kind/name`. */
  readonly existing: ReadonlyMap<string, V1ObjectMeta>;
  readonly keda?: KedaFound;
  /** The settings-hash key the app's settings Secret holds, read through the one-time pad. */
  readonly settingsHashKey?: string;
}

/** Command 1's output as the deploy reads it. */
export function readState(
  logs: string,
  objects: readonly KubeObject[],
  addonEnabled?: boolean,
  pad: readonly number[] = [],
): ClusterState {
  const found = sections(logs);
  const managed = new Map<string, V1ObjectMeta>();
  const unserved = new Set<string>();
  for (const kind of OWNED_KINDS) {
    const section = found.get(`list ${kind.kind}`);
    if (section?.failed) {
      if (!/resource type|could not find the requested resource/i.test(section.text))
        throw listFailure(kind.kind, section);
      unserved.add(`${kind.apiVersion}/${kind.kind}`);
    }
    for (const [name, metadata] of metadataLines(section)) managed.set(`${kind.kind}/${name}`, metadata);
  }
  const existing = new Map<string, V1ObjectMeta>();
  for (const object of objects) {
    const key = objectKey(object);
    const section = found.get(`get ${key}`);
    // A kind the cluster does not serve has no object: the listing said so, and the apply refuses it.
    if (section?.failed && unserved.has(`${object.apiVersion}/${object.kind}`)) continue;
    const metadata = metadataLines(read(section, key)).get(object.metadata.name);
    if (metadata) existing.set(key, metadata);
  }
  const settingsKey = found.get('settings-key');
  read(settingsKey, "the settings Secret's settings-hash key");
  return {
    namespace: sectionJson(read(found.get('namespace'), 'the namespace')),
    managed,
    unserved,
    existing,
    keda: readKeda(found, addonEnabled),
    settingsHashKey: keyThroughPad(settingsKey, pad),
  };
}

/** KEDA as command 1 read it, with the direct path's refusals (findKeda): absent is only what kubectl found absent. */
function readKeda(found: Map<string, Section>, addonEnabled: boolean | undefined): KedaFound | undefined {
  const crd = sectionJson<V1ObjectMeta>(read(found.get('keda-crd'), "KEDA's ScaledObject CRD"));
  const apiService = sectionJson<V1APIService>(read(found.get('keda-apiservice'), 'the external metrics APIService'));
  const operator = sectionJson<V1Deployment>(read(found.get('keda-operator'), "KEDA's operator"));
  if (!crd) return undefined;
  if (crd.deletionTimestamp) throw kedaBeingDeleted();
  const service = apiService?.spec?.service;
  if (!service?.namespace) return undefined;
  if (!service.name?.startsWith('keda-')) throw otherMetricsAdapter(service);
  return operator ? describeKeda(operator, { metadata: crd }, service.namespace, addonEnabled) : undefined;
}

/** A section whose kubectl read failed is one error (its last line, withheld if it may hold a secret). */
function read(section: Section | undefined, what: string): Section | undefined {
  if (!section?.failed) return section;
  throw new UserError(
    `reading ${what} in the cluster failed (AKS run command): ${safeLine(section.text.split('\n').at(-1) || 'kubectl gave no reason')}; ` +
      `nothing was changed`,
  );
}

function listFailure(kind: string, section: Section): UserError {
  return new UserError(
    `listing the app's ${kind} objects failed in the cluster: ${safeLine(section.text.split('\n').at(-1) ?? '')}`,
  );
}

/** Command 1, then what it says: the settings-hash key, KEDA's plan, the federated credentials. */
export async function preparePrivateCluster(
  access: RunCommandAccess,
  options: Pick<ClusterStagesOptions, 'keda' | 'dryRun' | 'rollout' | 'render' | 'federation'>,
  needs: ClusterNeeds & { readonly objects: readonly KubeObject[] },
  platform: Platform,
): Promise<PreparedPrivateCluster> {
  // With private-cluster: auto only ARM told that the cluster is private (true is refused with the inputs).
  const refusal = notThroughRunCommand({
    dryRun: options.dryRun,
    rollbackOnFailure: options.rollout.rollbackOnFailure,
  });
  if (refusal) throw refusal;
  if (options.keda.mode === 'addon' && !access.kedaAddon && access.enableKedaAddon) {
    platform.info('AKS: enabling the KEDA add-on');
    await access.enableKedaAddon();
  }
  const { name, namespace } = options.render;
  const pad = keyPad();
  const settingsSecret = needs.settingsHashKey ? { name, pad } : undefined;
  const output = await access.runCommand(stateStep(namespace, needs.objects, settingsSecret));
  const state = readState(output.logs, needs.objects, access.kedaAddon, pad);
  if (state.namespace?.status?.phase === 'Terminating')
    throw new UserError(`namespace ${namespace} is being deleted: wait until it is gone, then deploy again`);
  const secret = state.existing.get(`Secret/${name}`);
  const owned = Object.entries(appLabels(name)).every(([label, value]) => secret?.labels?.[label] === value);
  const key = state.settingsHashKey;
  const settingsHashKey = needs.settingsHashKey
    ? owned && isSettingsHashKey(key)
      ? key
      : newSettingsHashKey()
    : undefined;
  if (settingsHashKey !== undefined) mask(platform, settingsHashKey);
  let kedaVersion: string | undefined;
  let kedaObjects: readonly KubernetesObject[] | undefined;
  if (needs.keda && options.keda.mode !== 'skip') {
    const kedaOptions = {
      ...options.keda,
      timeoutSeconds: options.rollout.timeoutSeconds,
      addonEnabled: access.kedaAddon,
    };
    const plan = await planKeda(state.keda, kedaOptions, platform);
    if (plan.action === 'addon') kedaVersion = state.keda?.version;
    else if (plan.action === 'present') kedaVersion = plan.version;
    else [kedaVersion, kedaObjects] = [options.keda.version, plan.objects];
  }
  let federation: FederationPlan | undefined;
  if (needs.identity && access.planFederation) {
    const kedaOperator = state.keda
      ? { namespace: state.keda.namespace, serviceAccount: state.keda.operator.serviceAccount }
      : {
          namespace: access.kedaAddon || options.keda.mode === 'addon' ? 'kube-system' : 'keda',
          serviceAccount: OPERATOR,
        };
    federation = await access.planFederation(
      federationNeeds(needs.identity.objects, needs.identity.clientIds, kedaOperator),
      options.federation,
      platform,
    );
    const warning = needs.keda ? kedaOperatorWarning(state.keda, needs.identity.objects) : undefined;
    if (warning) platform.warning(warning);
  }
  return { access, state, kedaVersion, kedaObjects, settingsHashKey, federation };
}

/** Commands 2 and 3: apply and prune, then wait until the same verdicts as the direct path's say healthy or failed. */
export async function applyAndWaitPrivate(
  prepared: PreparedPrivateCluster,
  objects: readonly KubeObject[],
  options: ClusterStagesOptions,
  platform: Platform,
  record: DeployRecord,
): Promise<DeployResult> {
  const { name, namespace } = options.render;
  const { state, access } = prepared;
  const image = record.image as string;
  const applied = await stage(record, platform, 'Apply', () =>
    timed(record, 'apply', async () => {
      refuseOthers(objects, state, name, namespace);
      await prepared.federation?.create?.();
      const annotations = deployRecordAnnotations(image, platform.run);
      const applicable = objects
        .filter((object) => object.kind !== 'Namespace')
        .map((object) => withDeployRecord(object, annotations));
      const waves = [
        applicable.filter((object) => !WORKLOADS.has(object.kind)),
        applicable.filter((object) => WORKLOADS.has(object.kind)),
      ];
      const rendered = new Set(objects.map(objectKey));
      const prune = options.apply.prune
        ? [...state.managed]
            .filter(([key, metadata]) => instanceOf(metadata.labels) === name && !rendered.has(key))
            .map(([key]) => key)
        : [];
      const namespaceObject = objects.find((object) => object.kind === 'Namespace');
      const output = await access.runCommand(
        applyStep({
          namespace,
          keda: prepared.kedaObjects,
          kedaTimeoutSeconds: options.rollout.timeoutSeconds,
          createNamespace: state.namespace ? undefined : namespaceObject,
          // A RoleBinding to a Role not yet there cannot be dry-run: the direct path checks it at apply too.
          rehearsed: state.namespace ? applicable.filter((object) => object.kind !== 'RoleBinding') : [],
          waves,
          forceConflicts: options.apply.forceConflicts,
          prune,
        }),
      );
      return appliedObjects(output, objects, state, prune, platform);
    }),
  );
  record.deployments = objects.filter((object) => object.kind === 'Deployment').map((object) => object.metadata.name);
  const result = { objects, manifests: record.manifests as string, image, applied, kedaVersion: record.kedaVersion };
  if (!options.rollout.wait) return result;
  return stage(record, platform, 'Wait for the rollout', async () => {
    const rollout = await timed(record, 'rollout', () =>
      waitThroughRunCommand(access.runCommand, options.render, objects, options.rollout, image),
    );
    for (const warning of rollout.warnings) platform.warning(warning);
    platform.info(`rollout healthy in ${rollout.seconds.toFixed(1)}s`);
    record.rollout = rollout;
    const service = Object.values(rollout.addresses)[0];
    if (service) record.serviceIp = service;
    return { ...result, rollout, serviceIp: record.serviceIp };
  });
}

/** The direct path's refusals, from command 1's reading: another app's object, or one this product did not make. */
function refuseOthers(objects: readonly KubeObject[], state: ClusterState, app: string, namespace: string): void {
  for (const object of objects) {
    const metadata = state.existing.get(objectKey(object));
    if (object.kind === 'Namespace' || metadata === undefined) continue;
    const why = notOwnedBecause({ metadata }, app);
    if (why)
      throw new UserError(
        `${objectKey(object)} in namespace ${namespace} ${why}: an app takes over nothing it did not create; remove it or choose another name for this app; nothing was changed`,
      );
  }
  const missing = [...new Set(objects.map((object) => `${object.apiVersion}/${object.kind}`))].filter(
    (kind) => state.unserved.has(kind) && !kind.startsWith('keda.sh/'),
  );
  if (missing.length > 0) throw new UserError(`the cluster does not serve ${missing.join(', ')}; nothing was changed`);
}

/** What command 2 did, object by object; its first failure as one error naming the step. */
function appliedObjects(
  output: CommandOutput,
  objects: readonly KubeObject[],
  state: ClusterState,
  prune: readonly string[],
  platform: Platform,
): AppliedObject[] {
  const found = sections(output.logs);
  const stopped = [...found.keys()].find((key) => key.startsWith('stopped '));
  if (stopped || output.exitCode !== 0) {
    const failed = [...found.entries()].find(([, section]) => section.failed);
    const reason = failed
      ? failed[1].text.split('\n').filter(Boolean).map(safeLine).join(' ')
      : `exit ${output.exitCode}`;
    const step = stopped?.slice('stopped '.length) ?? 'apply';
    const nothing =
      step === 'dry-run' || step === 'keda'
        ? '; nothing of the app was changed'
        : '; the objects before it were applied';
    throw new UserError(`${step} failed in the cluster (AKS run command): ${reason}${nothing}`);
  }
  const after = new Map<string, V1ObjectMeta>();
  for (const [key, section] of found) {
    if (key.startsWith('apply ')) for (const [id, metadata] of metadataLines(section, true)) after.set(id, metadata);
  }
  const results: AppliedObject[] = objects.map((object) => {
    const key = objectKey(object);
    const before = state.existing.get(key);
    const now = after.get(key);
    const same =
      before &&
      (before.generation !== undefined
        ? before.generation === now?.generation
        : before.resourceVersion === now?.resourceVersion);
    return {
      kind: object.kind,
      name: object.metadata.name,
      action: before === undefined ? 'created' : same ? 'unchanged' : 'configured',
    };
  });
  for (const key of prune) {
    const [kind, name] = key.split('/') as [string, string];
    results.push({ kind, name, action: 'pruned' });
  }
  for (const object of results) platform.info(`${object.action.padEnd(10)} ${object.kind}/${object.name}`);
  return results;
}
