import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { answers } from '../../src/azure/aks.js';
import {
  type CommandStep,
  commandContext,
  commandOutcome,
  END_MARKER,
  RUN_COMMAND_LIMITS,
  safeLine,
} from '../../src/azure/run-command.js';
import { applyStep, keyPad, resourceOf, sections, stateStep, waitStep } from '../../src/cluster/private-steps.js';
import { readState } from '../../src/commands/deploy-private.js';
import { UserError } from '../../src/errors.js';
import { appLabels, FIELD_MANAGER } from '../../src/inventory/labels.js';
import { newSettingsHashKey } from '../../src/render/objects.js';
import type { KubeObject } from '../../src/render/render.js';
import { readSnapshot, snapshotVerdicts } from '../../src/wait/run-command-wait.js';
import { rolloutTargets } from '../../src/wait/watch.js';

const SECRET_VALUE = 'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0;';
const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'orders', namespace: 'shop', labels: appLabels('orders') },
    stringData: { AzureWebJobsStorage: SECRET_VALUE },
  } as KubeObject,
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', namespace: 'shop', labels: appLabels('orders') },
  },
  {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'orders', namespace: 'shop', labels: appLabels('orders') },
    spec: { scaleTargetRef: { name: 'orders' }, triggers: [{ type: 'azure-queue' }] },
  } as KubeObject,
];

/**
 * Runs a step's script in a folder of its own with a kubectl that logs each call and answers these `case` lines
 * (nothing, exit 0, for the rest): what the script printed (a failed script too) and kubectl's calls.
 */
function runWithKubectl(step: CommandStep, answers: readonly string[]): { logs: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'afd-private-script-'));
  try {
    const fake = ['#!/bin/sh', `echo "$*" >> "${dir}/calls"`, 'case "$*" in', ...answers, 'esac'];
    writeFileSync(join(dir, 'kubectl'), fake.join('\n'));
    chmodSync(join(dir, 'kubectl'), 0o755);
    for (const [file, text] of Object.entries(step.files)) writeFileSync(join(dir, file), text);
    const script = step.command.replace(/^sh /, '');
    let logs: string;
    try {
      logs = execFileSync('sh', [script], { cwd: dir, env: { PATH: `${dir}:/usr/bin:/bin` } }).toString();
    } catch (error) {
      logs = String((error as { stdout: Buffer }).stdout);
    }
    return { logs, calls: readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the run commands of a private cluster', () => {
  test('values travel in the context: the command line is only the script', () => {
    const plan = {
      namespace: 'shop',
      kedaTimeoutSeconds: 60,
      waves: [objects.slice(1, 2), objects.slice(2)],
      rehearsed: objects.slice(1),
      forceConflicts: false,
      prune: ['ConfigMap/old'],
    };
    const steps = [
      stateStep('shop', objects),
      applyStep(plan),
      waitStep('orders', 'shop', { deployments: ['orders'], scaledObjects: ['orders'] }, 30),
    ];
    for (const step of steps) {
      expect(step.command).toMatch(/^sh \w+\.sh$/);
      expect(step.command).not.toContain(SECRET_VALUE);
    }
    const apply = steps[1]!;
    expect(apply.files['wave0.json']).toContain(SECRET_VALUE);
    expect(apply.files['apply.sh']).not.toContain(SECRET_VALUE);
    expect(apply.files['apply.sh']).toContain(`--server-side --field-manager=${FIELD_MANAGER} --dry-run=server`);
    expect(apply.files['apply.sh']).not.toContain('--force-conflicts');
    expect(applyStep({ ...plan, forceConflicts: true }).files['apply.sh']).toContain('--force-conflicts');
    expect(apply.files['apply.sh']).toContain(`'configmap/old'`);
    // The state never reads a Secret's data, nor its annotations: chosen metadata fields only.
    expect(steps[0]!.files['state.sh']).toMatch(
      /get secret 'orders' -n 'shop' --ignore-not-found -o jsonpath='\{\.metadata\.name\}/,
    );
    expect(steps[0]!.files['state.sh']).not.toContain(`{range .items[*]}{.metadata}{`);
    expect(steps[0]!.files['state.sh']).not.toMatch(/get secret[^\n]*jsonpath='\{\.metadata\}'/);
    // An apply prints what it applied as lines of metadata, never the objects (a Secret's data).
    expect(apply.files['apply.sh']).not.toMatch(/-o (json|yaml)\b/);
    expect(apply.files['apply.sh']).toMatch(/wave0\.json -o jsonpath='\{range \.items\[\*\]\}\{\.kind\}/);
  });

  test("the settings Secret's hash key is read through a one-time pad: the logs never hold it", () => {
    const key = newSettingsHashKey();
    const pad = keyPad();
    const step = stateStep('shop', objects, { name: 'orders', pad });
    const { logs } = runWithKubectl(step, [
      `  *"get secret orders"*"annotations"*) printf '%s' '${key}' ;;`,
      `  *"get secret orders"*) printf 'orders\t\t7\t{"app.kubernetes.io/instance":"orders"}\t${FIELD_MANAGER}\n' ;;`,
    ]);
    expect(logs).not.toContain(key);
    expect(logs).not.toContain(Buffer.from(key, 'latin1').toString('hex'));
    const read = commandOutcome(step, { provisioningState: 'Succeeded', logs }, 1).logs;
    const state = readState(read, objects, false, pad);
    expect(state.settingsHashKey).toBe(key);
    expect(state.existing.get('Secret/orders')).toMatchObject({
      resourceVersion: '7',
      labels: { 'app.kubernetes.io/instance': 'orders' },
      managedFields: [{ manager: FIELD_MANAGER }],
    });
    // Another pad reads something else: the printed bytes alone do not give the key.
    expect(readState(read, objects, false, keyPad()).settingsHashKey).not.toBe(key);
  });

  test('kubectl names kinds with their group', () => {
    expect(resourceOf({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe('deployment.apps');
    expect(resourceOf({ apiVersion: 'v1', kind: 'Secret' })).toBe('secret');
  });

  test('a script run with a stand-in kubectl prints sections the deploy reads', () => {
    // Answers a list of scaledobjects as an unserved kind, a get of the Deployment with its metadata.
    const step = stateStep('shop', objects);
    const { logs } = runWithKubectl(step, [
      '  *"get scaledobject.keda.sh"*) echo "error: the server doesn\'t have a resource type \\"scaledobject\\"" >&2; exit 1 ;;',
      '  *"get deployment.apps orders"*) printf \'orders\\t1\\t5\\t{"app.kubernetes.io/instance":"other"}\\t\\n\' ;;',
    ]);
    const outcome = commandOutcome(step, { provisioningState: 'Succeeded', exitCode: 0, logs }, 1);
    const state = readState(outcome.logs, objects);
    expect([...state.unserved]).toEqual(['keda.sh/v1alpha1/ScaledObject']);
    expect(state.existing.get('Deployment/orders')?.labels).toEqual({ 'app.kubernetes.io/instance': 'other' });
    expect(state.keda).toBeUndefined();
    expect(state.namespace).toBeUndefined();
  });
});

describe('a failed read in command 1', () => {
  /** Runs the state script with a kubectl that answers these `case` lines (and nothing else), and reads it. */
  function stateWith(answers: string[]) {
    const pad = keyPad();
    const step = stateStep('shop', objects, { name: 'orders', pad });
    const { logs } = runWithKubectl(step, answers);
    return () => readState(commandOutcome(step, { provisioningState: 'Succeeded', logs }, 1).logs, objects, false, pad);
  }
  const forbidden = (what: string) =>
    `  *"${what}"*) echo 'Error from server (Forbidden): ${what} is forbidden' >&2; exit 1 ;;`;
  const crd = `  *"get crd"*) printf '{"name":"scaledobjects.keda.sh"}' ;;`;

  test('is an error, not KEDA absent (which would apply the manifest over it)', () => {
    expect(stateWith([crd, forbidden('get apiservice')])).toThrow(
      /^reading the external metrics APIService in the cluster failed \(AKS run command\): Error from server \(Forbidden\)/,
    );
    expect(stateWith([forbidden('get crd')])).toThrow(/reading KEDA's ScaledObject CRD in the cluster failed/);
  });

  test("is an error for the app's Secret and its settings-hash key, not a new key", () => {
    expect(stateWith([forbidden('get secret orders')])).toThrow(/reading Secret\/orders in the cluster failed/);
    expect(stateWith([`  *"get secret orders"*"annotations"*) echo 'Unable to connect' >&2; exit 1 ;;`])).toThrow(
      /reading the settings Secret's settings-hash key in the cluster failed \(AKS run command\): Unable to connect/,
    );
  });

  test("refuses KEDA's API served by another adapter, and KEDA being deleted, as the direct path does", () => {
    const apiService = (name: string) =>
      `  *"get apiservice"*"-o json"*) printf '{"spec":{"service":{"name":"${name}","namespace":"monitoring"}}}' ;;`;
    expect(stateWith([crd, apiService('prometheus-adapter')])).toThrow(/served by monitoring\/prometheus-adapter/);
    const deleting = `  *"get crd"*) printf '{"name":"scaledobjects.keda.sh","deletionTimestamp":"2026-01-01T00:00:00Z"}' ;;`;
    expect(stateWith([deleting, apiService('keda-metrics-apiserver')])).toThrow(/KEDA is being uninstalled/);
    // Nothing there is KEDA absent.
    expect(stateWith([])().keda).toBeUndefined();
  });
});

test("KEDA's rollout failing names its reason", () => {
  const step = applyStep({
    namespace: 'shop',
    keda: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keda' } }],
    kedaTimeoutSeconds: 60,
    waves: [],
    rehearsed: [],
    forceConflicts: false,
    prune: [],
  });
  const { logs } = runWithKubectl(step, [
    '  *"get apiservice"*) printf keda ;;',
    '  *"rollout status"*) echo \'Waiting for deployment "keda-operator" rollout\'; echo \'error: timed out waiting for the condition\' >&2; exit 1 ;;',
  ]);
  expect(sections(logs).get('keda')).toEqual({ text: 'error: timed out waiting for the condition', failed: true });
});

describe('the wait script', () => {
  const waitCalls = (answers: string[], seconds: number, minimumSeconds?: number) =>
    runWithKubectl(
      waitStep('orders', 'shop', { deployments: ['orders'], scaledObjects: ['orders'] }, seconds, minimumSeconds),
      answers,
    ).calls;
  const polls = (calls: string[]) => calls.filter((call) => call.startsWith('get pods')).length;
  const settled = [`  *"rollout status"*) exit 0 ;;`, `  *"get scaledobject orders"*) printf True ;;`];

  test('a kubectl error ends the loop at once', () => {
    const forbidden = `  *"get pods"*) echo 'Error from server (Forbidden)' >&2; exit 1 ;;`;
    expect(polls(waitCalls([forbidden], 4))).toBe(1);
  });

  test('looks at least the minimum time before it stops for what it saw', () => {
    expect(polls(waitCalls(settled, 4))).toBe(1);
    expect(polls(waitCalls(settled, 10, 3))).toBeGreaterThan(1);
  });
});

describe('AKS run command results', () => {
  const step = { title: 'read the cluster state', command: 'sh state.sh', files: {} };

  test('a command that did not run, or whose logs were cut, is one clear error', () => {
    expect(() => commandOutcome(step, { provisioningState: 'failed', reason: 'ImagePullBackoff' }, 1)).toThrow(
      'read the cluster state: the AKS run command failed: ImagePullBackoff',
    );
    expect(() =>
      commandOutcome(step, { provisioningState: 'Succeeded', exitCode: 0, logs: '@@afd namespace\n{' }, 1),
    ).toThrow(/output was cut short/);
    const done = commandOutcome(
      step,
      { provisioningState: 'succeeded', exitCode: 3, logs: `text\n${END_MARKER}\n` },
      2,
    );
    expect(done).toEqual({ exitCode: 3, logs: 'text\n', seconds: 2 });
  });

  test('a line that may hold a credential is withheld', () => {
    expect(safeLine(SECRET_VALUE)).not.toContain('AccountKey');
    expect(safeLine('deployment "orders" not found')).toBe('deployment "orders" not found');
  });

  test('the context is a zip of the files, refused over the limit', async () => {
    const context = await commandContext({ ...step, files: { 'a.sh': 'echo a' } });
    const zip = await JSZip.loadAsync(Buffer.from(context, 'base64'));
    expect(await zip.file('a.sh')?.async('string')).toBe('echo a');
    // Random text does not compress: over the limit once zipped.
    const big = Buffer.from(
      Array.from({ length: RUN_COMMAND_LIMITS.contextBytes + 1024 }, () => Math.floor(Math.random() * 256)),
    ).toString('latin1');
    await expect(commandContext({ ...step, files: { 'big.json': big } })).rejects.toThrow(UserError);
  });
});

describe('the rollout judged from JSON', () => {
  const targets = rolloutTargets('orders', 'shop', objects, 'registry.local/orders:v2');
  const deployment = {
    kind: 'Deployment',
    metadata: { name: 'orders', uid: 'd1', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 1 },
    status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  };
  const set = {
    kind: 'ReplicaSet',
    metadata: {
      name: 'orders-abc',
      labels: { 'pod-template-hash': 'abc' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
      ownerReferences: [{ uid: 'd1' }],
    },
  };
  const pod = (waiting?: string) => ({
    kind: 'Pod',
    metadata: { name: 'orders-abc-1', labels: { 'pod-template-hash': 'abc' } },
    status: {
      containerStatuses: waiting ? [{ name: 'host', restartCount: 0, state: { waiting: { reason: waiting } } }] : [],
    },
  });
  const scaled = {
    kind: 'ScaledObject',
    metadata: { name: 'orders' },
    status: {
      triggersTypes: 'azure-queue',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'Active', status: 'False' },
      ],
    },
  };
  const logs = (items: object[], events: object[] = []) =>
    [
      '@@afd workloads',
      JSON.stringify({ items }),
      '@@afd scaledobjects',
      JSON.stringify({ items: [scaled] }),
      '@@afd events',
      JSON.stringify({ items: events }),
    ].join('\n');

  test('healthy objects are healthy', () => {
    const verdicts = snapshotVerdicts(readSnapshot(logs([deployment, set, pod()])), targets, new Map(), false);
    expect(verdicts.map(([id, verdict]) => [id, verdict.state])).toEqual([
      ['Deployment/orders', 'ok'],
      ['ScaledObject/orders', 'ok'],
    ]);
  });

  test("a pod of the new version that cannot pull its image fails the Deployment, with the pod's reason", () => {
    const snapshot = readSnapshot(logs([deployment, set, pod('ErrImagePull')]));
    const [id, verdict] = snapshotVerdicts(snapshot, targets, new Map(), false)[0]!;
    expect(id).toBe('Deployment/orders');
    expect(verdict).toMatchObject({ state: 'failed', why: expect.stringContaining('ErrImagePull') });
  });

  test('a section kubectl could not print is an error, not an empty app', () => {
    expect(() => readSnapshot('@@afd workloads\nForbidden\n@@afd-failed\n')).toThrow(
      /reading the rollout in the cluster failed/,
    );
  });

  test('an answer that is not JSON is one error that quotes none of it', () => {
    const logs = `@@afd workloads\nWarning: ${SECRET_VALUE}\n{}\n@@afd scaledobjects\n{}\n@@afd events\n{}`;
    expect(() => readSnapshot(logs)).toThrow(/not kubectl's JSON \(\d+ characters\)/);
    expect(() => readSnapshot(logs)).not.toThrow(/AccountKey/);
  });

  test('sections split a command output by their lines', () => {
    const found = sections('noise\n@@afd one\n{"a":1}\n\n@@afd two\nerror: boom\n@@afd-failed\n');
    expect(found.get('one')).toEqual({ text: '{"a":1}', failed: false });
    expect(found.get('two')).toEqual({ text: 'error: boom', failed: true });
  });
});

describe('whether a private API server can be reached', () => {
  test('a listening address answers, a closed one does not', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await answers(new URL(`https://127.0.0.1:${port}`))).toBe(true);
    await new Promise((resolve) => server.close(resolve));
    expect(await answers(new URL(`https://127.0.0.1:${port}`))).toBe(false);
    expect(await answers(new URL('https://aks.privatelink.westeurope.azmk8s.invalid:443'))).toBe(false);
  });
});
