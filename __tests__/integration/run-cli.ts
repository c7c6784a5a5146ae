// Running the bundled CLI against the local stack, and upsetting the stack
// while it runs: what the deploy and reliability suites share.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { captureOutput } from '../captured.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface RunOptions {
  /** Started with the process. */
  readonly during?: () => Promise<void>;
  /** Each stderr line as it arrives, with the process: to act at a given stage. */
  readonly onLine?: (line: string, child: ChildProcess) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** `node dist/cli.js …`; its output goes to the leak scan unless it shows secrets on request. */
export function cli(args: string[], { during, onLine, env = process.env }: RunOptions = {}): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], { cwd: REPO, env });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine?.(line, child);
  });
  void during?.();
  return new Promise((done) =>
    child.on('close', (status, signal) => {
      // Secrets shown on request are not leaks.
      if (!args.includes('--show-secrets')) captureOutput(stdout + stderr);
      done({ status, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    }),
  );
}

/** The AKS cluster of the ARM stand-in (rg-functions/aks-functions) and the identity reaching it through ARM. */
export function throughArm(armEndpoint: string, ids: { subscriptionId: string; clientId: string; tenantId: string }) {
  return [
    '--cloud',
    armEndpoint,
    '--subscription-id',
    ids.subscriptionId,
    '--resource-group',
    'rg-functions',
    '--cluster-name',
    'aks-functions',
    '--client-id',
    ids.clientId,
    '--tenant-id',
    ids.tenantId,
  ];
}

/** An app as the integration tests deploy it to the stack. */
export interface StackApp {
  readonly name: string;
  readonly appPath: string;
  readonly namespace: string;
  /** An image to deploy, or the build arguments instead. */
  readonly image: string | readonly string[];
  /** App settings besides AzureWebJobsStorage (Azurite's), one KEY=VALUE each. */
  readonly settings?: readonly string[];
}

/** The deploy command as the integration tests run it: a ClusterIP Service, Azurite's storage, KEDA polling every 2 s. */
export function stackDeployArgs(app: StackApp, extra: readonly string[]): string[] {
  return [
    'deploy',
    '--app-path',
    app.appPath,
    '--name',
    app.name,
    '--namespace',
    app.namespace,
    ...(typeof app.image === 'string' ? ['--image', app.image] : app.image),
    '--kubeconfig',
    process.env.KUBECONFIG as string,
    '--service-type',
    'ClusterIP',
    '--app-settings',
    [`AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`, ...(app.settings ?? [])].join('\n'),
    '--polling-interval',
    '2',
    '--timeout',
    '3m',
    ...extra,
  ];
}

/** Polls a condition the test itself needs (the code under test watches). */
export async function until(condition: () => Promise<boolean>, seconds = 60): Promise<void> {
  for (
    const deadline = Date.now() + seconds * 1000;
    Date.now() < deadline;
    await new Promise((r) => setTimeout(r, 500))
  ) {
    if (await condition()) return;
  }
  throw new Error('condition not met in time');
}

/** Kills one process of the stack (its pid file under .cluster/pids) and waits until it is gone. */
export async function killComponent(name: string): Promise<void> {
  const pid = Number(readFileSync(join(REPO, '.cluster', 'pids', `${name}.pid`), 'utf8'));
  process.kill(pid, 'SIGKILL');
  await until(async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

/** Starts whatever of the stack is not running. */
export function stackUp(): void {
  const up = spawnSync(process.execPath, [join(REPO, 'stack', 'cluster.mjs'), 'up'], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`the stack did not come back: ${up.stderr}`);
}

/**
 * KEDA removed as an admin would: its objects first, while KEDA can still run their finalizers, then everything its
 * manifest made (`kubectl delete -f`), the APIService included, whose absence would otherwise stall the namespace's
 * deletion. Returns once the CRDs and the namespace are gone.
 */
export async function removeKeda(kc: k8s.KubeConfig): Promise<void> {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  for (const plural of ['scaledobjects', 'triggerauthentications']) {
    const found = (await custom
      .listClusterCustomObject({ group: 'keda.sh', version: 'v1alpha1', plural })
      .catch(() => ({ items: [] }))) as { items: k8s.KubernetesObject[] };
    for (const item of found.items) {
      await custom
        .deleteNamespacedCustomObject({
          group: 'keda.sh',
          version: 'v1alpha1',
          plural,
          namespace: item.metadata?.namespace as string,
          name: item.metadata?.name as string,
        })
        .catch(() => undefined);
    }
  }
  // Their finalizers need KEDA's operator: gone with the manifest before it has run them, they would hold the CRDs
  // (and every later install) for good.
  const left = async () =>
    (
      (await custom
        .listClusterCustomObject({ group: 'keda.sh', version: 'v1alpha1', plural: 'scaledobjects' })
        .catch(() => ({ items: [] }))) as { items: unknown[] }
    ).items.length;
  await until(async () => (await left()) === 0, 120);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const manifest = readFileSync(join(REPO, 'keda', 'manifests', 'keda-2.20.2.yaml'), 'utf8');
  const installed = k8s.loadAllYaml(manifest) as k8s.KubernetesObject[];
  for (const object of installed.reverse()) await objects.delete(object).catch(() => undefined);
  const apiextensions = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const crds = async () =>
    (await apiextensions.listCustomResourceDefinition()).items.filter((item) => item.spec.group === 'keda.sh');
  await until(async () => (await crds()).length === 0, 120);
  await until(async () => !(await core.listNamespace()).items.some((ns) => ns.metadata?.name === 'keda'), 120);
}

/** The KEDA operator, found where KEDA's APIService says, with `annotations` merged in for `body`. */
export async function withOperatorAnnotations(
  kc: k8s.KubeConfig,
  annotations: Record<string, string>,
  body: () => Promise<void>,
): Promise<void> {
  const apiService = await kc
    .makeApiClient(k8s.ApiregistrationV1Api)
    .readAPIService({ name: 'v1beta1.external.metrics.k8s.io' });
  const target = { name: 'keda-operator', namespace: apiService.spec?.service?.namespace as string };
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const patch = (values: Record<string, string | null>) =>
    apps.patchNamespacedDeployment(
      { ...target, body: { metadata: { annotations: values } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  await patch(annotations);
  try {
    await body();
  } finally {
    await patch(Object.fromEntries(Object.keys(annotations).map((key) => [key, null])));
  }
}
