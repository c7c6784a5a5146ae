import { randomBytes } from 'node:crypto';
import { dumpYaml, type KubernetesObject, type V1ObjectMeta } from '@kubernetes/client-node';
import { END_MARKER, type CommandStep } from '../azure/run-command.js';
import { UserError } from '../errors.js';
import {
  FIELD_MANAGER,
  instanceSelector,
  MANAGED_SELECTOR,
  objectKey,
  OWNED_KINDS,
  SETTINGS_HASH_KEY_ANNOTATION,
} from '../inventory/labels.js';
import { KEDA_CRDS, METRICS_APISERVICE } from '../keda/keda.js';
import type { KubeObject } from '../render/render.js';

/**
 * The three commands a deploy runs in a private cluster through AKS run command, as shell scripts over kubectl, and
 * the reading of their output. Pure: every value a script needs is in a file of its context or written into the
 * script (names the cluster validated), and everything read back is JSON that kubectl printed, in sections.
 */

/** Starts each section of a command's output: `@@afd <name>`. */
const SECTION = '@@afd';
/** Ends a section whose kubectl command failed; what it printed is the reason. */
const FAILED = '@@afd-failed';

/** One section per line of a script's output, by name; `failed` when its command did not succeed. */
export interface Section {
  readonly text: string;
  readonly failed: boolean;
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** The prelude every script starts with: sections, and a failure that still ends with the end marker. */
const PRELUDE = [
  `section() { printf '\\n${SECTION} %s\\n' "$1"; }`,
  `failed() { printf '\\n${FAILED}\\n'; }`,
  `stop() { failed; printf '\\n${SECTION} stopped %s\\n${END_MARKER}\\n' "$1"; exit 1; }`,
  // kubectl's warnings (deprecations, policy) go to stderr: shown only when the command fails, never inside its JSON.
  `quiet() { "$@" 2>stderr.txt || { cat stderr.txt; return 1; }; }`,
];

/** kubectl's name for a kind: `kind.group`, so that one group's kind is never taken for another's. */
export function resourceOf(object: { apiVersion: string; kind: string }): string {
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  return group ? `${object.kind.toLowerCase()}.${group}` : object.kind.toLowerCase();
}

/**
 * The metadata the deploy reads, one tab-separated line per object: name, generation, resourceVersion, labels (JSON)
 * and the managers of its fields. Not annotations: a Secret's settings-hash key is one, and the command's output is
 * kept by AKS (command result, pod logs).
 */
const METADATA_FIELDS = `{.metadata.name}{"\\t"}{.metadata.generation}{"\\t"}{.metadata.resourceVersion}{"\\t"}{.metadata.labels}{"\\t"}{.metadata.managedFields[*].manager}{"\\n"}`;
const METADATA_LINES = `-o jsonpath='{range .items[*]}${METADATA_FIELDS}{end}'`;
/**
 * What an apply printed, one line per object, whether kubectl printed one object or a List of them (jsonpath's
 * missing keys print nothing): never the object itself, which for a Secret holds the app's settings.
 */
const APPLIED_LINES = `-o jsonpath='{range .items[*]}{.kind}{"\\t"}${METADATA_FIELDS}{end}{.kind}{"\\t"}${METADATA_FIELDS}'`;

/** The file of command 1's context holding the one-time pad its settings-hash key is read through. */
const PAD_FILE = 'pad.txt';

/**
 * Command 1: what the deploy must know before it changes anything. The namespace, every object this product manages
 * there (by kind, metadata only), each rendered object by name (metadata only: someone else's object of that name is
 * refused), and KEDA where its APIService says.
 */
export function stateStep(
  namespace: string,
  objects: readonly KubeObject[],
  settingsSecret?: { name: string; pad: readonly number[] },
): CommandStep {
  const ns = quote(namespace);
  const lines = [
    ...PRELUDE,
    `section namespace`,
    `quiet kubectl get namespace ${ns} --ignore-not-found -o json || failed`,
  ];
  for (const kind of OWNED_KINDS) {
    lines.push(
      `section ${quote(`list ${kind.kind}`)}`,
      `quiet kubectl get ${resourceOf(kind)} -n ${ns} -l ${quote(MANAGED_SELECTOR)} ${METADATA_LINES} || failed`,
    );
  }
  for (const object of objects.filter((candidate) => candidate.kind !== 'Namespace')) {
    lines.push(
      `section ${quote(`get ${objectKey(object)}`)}`,
      `quiet kubectl get ${resourceOf(object)} ${quote(object.metadata.name)} -n ${ns} --ignore-not-found ` +
        `-o jsonpath='${METADATA_FIELDS}' || failed`,
    );
  }
  if (settingsSecret) {
    // The key is printed XOR a one-time pad only the deploy knows: the logs alone never tell it.
    const path = `{.metadata.annotations.${SETTINGS_HASH_KEY_ANNOTATION.replace(/\./g, '\\.')}}`;
    lines.push(
      `section settings-key`,
      // A failed read is a failed section (its reason, never the key), not a new key that restarts every pod.
      `key=$(kubectl get secret ${quote(settingsSecret.name)} -n ${ns} --ignore-not-found -o jsonpath='${path}' 2>stderr.txt) || { cat stderr.txt; failed; key=; }`,
      `(set -- $(cat ${PAD_FILE}); for byte in $(printf %s "$key" | od -An -v -tu1); do [ $# -gt 0 ] || break; ` +
        `printf '%s ' $(( byte ^ $1 )); shift; done; echo)`,
    );
  }
  lines.push(
    `section keda-apiservice`,
    `quiet kubectl get apiservice ${METRICS_APISERVICE} --ignore-not-found -o json || failed`,
    `section keda-crd`,
    `quiet kubectl get crd ${KEDA_CRDS[0]} --ignore-not-found -o jsonpath='{.metadata}' || failed`,
    `section keda-operator`,
    `kns=$(quiet kubectl get apiservice ${METRICS_APISERVICE} --ignore-not-found -o jsonpath='{.spec.service.namespace}') || { printf '%s\\n' "$kns"; failed; kns=; }`,
    `if [ -n "$kns" ]; then quiet kubectl get deployment keda-operator -n "$kns" --ignore-not-found -o json || failed; fi`,
    `printf '\\n${END_MARKER}\\n'`,
  );
  const files: Record<string, string> = { 'state.sh': lines.join('\n') + '\n' };
  if (settingsSecret) files[PAD_FILE] = settingsSecret.pad.join(' ') + '\n';
  return { title: 'read the cluster state', command: 'sh state.sh', files };
}

/** What command 2 does, in order. */
export interface ApplyPlan {
  readonly namespace: string;
  /** KEDA's manifest objects to apply first (server-side, KEDA's fields forced as the direct path does). */
  readonly keda?: readonly KubernetesObject[];
  readonly kedaTimeoutSeconds: number;
  /** The namespace object, when it does not exist yet. */
  readonly createNamespace?: KubeObject;
  /** Applied one wave after another, each as one server-side apply. */
  readonly waves: readonly (readonly KubeObject[])[];
  /** The waves' objects a server-side dry run can check before anything of the app changes. */
  readonly rehearsed: readonly KubeObject[];
  readonly forceConflicts: boolean;
  /** `Kind/name` of the app's objects no longer rendered, in deletion order. */
  readonly prune: readonly string[];
}

const list = (items: readonly KubernetesObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

/**
 * Command 2: KEDA ensured, the namespace created, a server-side dry run of the app, then its server-side apply with
 * our field manager wave by wave, then the prune. The first failure stops the script and is reported with its section.
 */
export function applyStep(plan: ApplyPlan): CommandStep {
  const ns = quote(plan.namespace);
  const apply = `kubectl apply --server-side --field-manager=${FIELD_MANAGER}${plan.forceConflicts ? ' --force-conflicts' : ''}`;
  const files: Record<string, string> = {};
  const lines = [...PRELUDE];
  if (plan.keda) {
    // client-node's serializer: KEDA's CRDs hold fields its model types rename.
    files['keda.yaml'] = plan.keda.map((object) => dumpYaml(object)).join('---\n');
    const wait = `--timeout=${plan.kedaTimeoutSeconds}s`;
    lines.push(
      `section keda`,
      `quiet kubectl apply --server-side --field-manager=${FIELD_MANAGER} --force-conflicts -f keda.yaml -o name || stop keda`,
      `kubectl wait --for=condition=Established ${KEDA_CRDS.map((crd) => `crd/${crd}`).join(' ')} ${wait} 2>&1 || stop keda`,
      `kns=$(kubectl get apiservice ${METRICS_APISERVICE} -o jsonpath='{.spec.service.namespace}')`,
      // Its progress lines are dropped, its reason for failing (stderr) kept.
      `kubectl rollout status deployment/keda-operator -n "$kns" ${wait} 2>&1 >/dev/null || stop keda`,
    );
  }
  if (plan.createNamespace) {
    files['namespace.json'] = JSON.stringify(plan.createNamespace);
    lines.push(
      `section namespace`,
      `quiet kubectl create -f namespace.json -o name || kubectl get namespace ${ns} -o name 2>&1 || stop namespace`,
    );
  }
  if (plan.rehearsed.length > 0) {
    files['rehearsal.json'] = list(plan.rehearsed);
    lines.push(`section dry-run`, `quiet ${apply} --dry-run=server -f rehearsal.json -o name || stop dry-run`);
  }
  plan.waves.forEach((wave, index) => {
    if (wave.length === 0) return;
    files[`wave${index}.json`] = list(wave);
    lines.push(
      `section ${quote(`apply ${index}`)}`,
      `quiet ${apply} -f wave${index}.json ${APPLIED_LINES} || stop apply`,
    );
  });
  if (plan.prune.length > 0) {
    const names = plan.prune.map((key) => {
      const [kind, name] = key.split('/') as [string, string];
      const owned = OWNED_KINDS.find((candidate) => candidate.kind === kind) ?? { apiVersion: 'v1', kind };
      return quote(`${resourceOf(owned)}/${name}`);
    });
    lines.push(
      `section prune`,
      `quiet kubectl delete -n ${ns} ${names.join(' ')} --ignore-not-found --cascade=background -o name || stop prune`,
    );
  }
  lines.push(`printf '\\n${END_MARKER}\\n'`);
  files['apply.sh'] = lines.join('\n') + '\n';
  return { title: 'apply the app', command: 'sh apply.sh', files };
}

/** Pods waiting for one of these will not start by themselves: the wait stops for the verdict to judge them. */
const STUCK = [
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
];

/**
 * Command 3: polls in the cluster until the app looks settled (kubectl's rollout status of each Deployment, KEDA's
 * Active condition reported on each ScaledObject), a pod is stuck, a ScaledObject is not Ready, or `seconds` pass;
 * then prints the app's Deployments, ReplicaSets, Pods, Services, ScaledObjects and warning events as JSON. kubectl's
 * judgement only decides when to look: the verdict is the direct path's, from that JSON.
 */
export function waitStep(
  app: string,
  namespace: string,
  targets: { deployments: readonly string[]; scaledObjects: readonly string[] },
  seconds: number,
  minimumSeconds = 0,
): CommandStep {
  const ns = quote(namespace);
  const selector = quote(instanceSelector(app));
  // Before `minimumSeconds` pass the loop does not stop for what it saw: commands are not run back to back when
  // kubectl's "settled" is not yet the deploy's verdict.
  const done = `[ "$(date +%s)" -ge "$min" ] && break`;
  const condition = (type: string) => `'{.status.conditions[?(@.type=="${type}")].status}'`;
  const lines = [
    ...PRELUDE,
    `end=$(( $(date +%s) + ${Math.max(1, Math.floor(seconds))} ))`,
    `min=$(( $(date +%s) + ${Math.max(0, Math.floor(Math.min(minimumSeconds, seconds)))} ))`,
    `while [ "$(date +%s)" -lt "$end" ]; do`,
    // A kubectl error (a 403) ends the loop at once: the sections after it report it.
    `  waiting=$(kubectl get pods -n ${ns} -l ${selector} -o jsonpath='{range .items[*]}{range .status.containerStatuses[*]}{.state.waiting.reason}{" "}{end}{.status.reason}{" "}{end}' 2>/dev/null) || break`,
    `  case " $waiting " in ${[...STUCK, 'ProviderFailed'].map((reason) => `*${reason}*`).join('|')}) ${done} ;; esac`,
    `  settled=yes`,
    ...targets.deployments.map(
      (name) =>
        `  [ $settled = yes ] && { kubectl rollout status deployment/${quote(name)} -n ${ns} --timeout=1s >/dev/null 2>&1 || settled=no; }`,
    ),
    ...targets.scaledObjects.flatMap((name) => [
      `  ready=$(kubectl get scaledobject ${quote(name)} -n ${ns} -o jsonpath=${condition('Ready')} 2>/dev/null) || break`,
      `  [ "$ready" = False ] && { ${done}; }`,
      `  active=$(kubectl get scaledobject ${quote(name)} -n ${ns} -o jsonpath=${condition('Active')} 2>/dev/null) || break`,
      `  [ -n "$active" ] || settled=no`,
    ]),
    `  [ $settled = yes ] && { ${done}; }`,
    `  sleep 2`,
    `done`,
    `section workloads`,
    `quiet kubectl get deployments.apps,replicasets.apps,pods,services -n ${ns} -l ${selector} -o json || failed`,
    `section scaledobjects`,
    targets.scaledObjects.length > 0
      ? `quiet kubectl get scaledobjects.keda.sh -n ${ns} -l ${selector} -o json || failed`
      : `echo '{"items":[]}'`,
    `section events`,
    `quiet kubectl get events -n ${ns} --field-selector type=Warning -o json || failed`,
    `printf '\\n${END_MARKER}\\n'`,
  ];
  return { title: 'wait for the rollout', command: 'sh wait.sh', files: { 'wait.sh': lines.join('\n') + '\n' } };
}

/** A command's output cut at its section lines. */
export function sections(logs: string): Map<string, Section> {
  const found = new Map<string, Section>();
  const parts = logs.split(new RegExp(`^${SECTION} `, 'm')).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const name = (newline < 0 ? part : part.slice(0, newline)).trim();
    const body = newline < 0 ? '' : part.slice(newline + 1);
    const failed = body.includes(FAILED);
    found.set(name, { text: body.replace(FAILED, '').trim(), failed });
  }
  return found;
}

/** One JSON document a section holds (kubectl's -o json or jsonpath of an object); undefined when it is empty. */
export function sectionJson<T>(section: Section | undefined): T | undefined {
  if (section === undefined || section.failed || section.text === '') return undefined;
  return parsed<T>(section.text);
}

/** kubectl's JSON, or one error that shows none of it (it may be a Secret's metadata). */
function parsed<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UserError(
      `the AKS run command printed something that is not kubectl's JSON (${text.length} characters), so the ` +
        `cluster's answer cannot be read; deploy again, and report it if it persists`,
    );
  }
}

/** The metadata lines of a section (METADATA_FIELDS, after `kind` when withKind), by `Kind/name` or name. */
export function metadataLines(section: Section | undefined, withKind = false): Map<string, V1ObjectMeta> {
  const found = new Map<string, V1ObjectMeta>();
  if (section === undefined || section.failed) return found;
  for (const line of section.text.split('\n')) {
    const fields = line.split('\t');
    const kind = withKind ? fields.shift() : undefined;
    const [name, generation, resourceVersion, labels, managers] = fields;
    if (!name) continue;
    found.set(kind ? `${kind}/${name}` : name, {
      name,
      ...(generation ? { generation: Number(generation) } : {}),
      ...(resourceVersion ? { resourceVersion } : {}),
      ...(labels ? { labels: parsed<Record<string, string>>(labels) } : {}),
      managedFields: (managers ?? '')
        .split(' ')
        .filter(Boolean)
        .map((manager) => ({ manager })),
    });
  }
  return found;
}

/** A one-time pad for the settings-hash key (bytes as numbers), and the key read back through it. */
export function keyPad(): number[] {
  return [...randomBytes(64)];
}
export function keyThroughPad(section: Section | undefined, pad: readonly number[]): string | undefined {
  if (section?.failed) return undefined;
  const bytes = (section?.text ?? '').split(/\s+/).filter(Boolean).map(Number);
  if (bytes.length === 0 || bytes.length > pad.length) return undefined;
  return Buffer.from(bytes.map((byte, index) => byte ^ (pad[index] as number))).toString('latin1');
}
