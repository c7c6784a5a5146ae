/**
 * A private AKS cluster: the ARM stand-in marks it private and hands out kubeconfigs naming its private FQDN, which
 * does not resolve here, so only the AKS run command (run for real with the stack's kubectl) reaches it.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import * as k8s from '@kubernetes/client-node';
import { captureOutput, captureSecrets } from '../captured.js';
import { throughArm } from './run-cli.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const APP_PATH = join(REPO, '__tests__/fixtures/private-cluster-app');
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

interface Standins {
  caFile: string;
  armEndpoint: string;
  tokensIssued: string[];
  runCommands: { command: string; contextBytes: number; logs: string }[];
  setCluster(partial: {
    private?: boolean;
    aadManaged?: boolean;
    disableLocalAccounts?: boolean;
    runCommandFault?: 'podFailed' | 'timeout' | 'truncated';
    runCommandFaultAfter?: number;
  }): void;
  close(): Promise<void>;
}

const tenantId = randomUUID();
const clientId = randomUUID();
const clientSecret = `cs-${randomBytes(18).toString('base64url')}`;
const subscriptionId = randomUUID();
const stamp = Date.now().toString(36);
const [privateNs, directNs] = [`afd-private-${stamp}`, `afd-direct-${stamp}`];
const kc = new k8s.KubeConfig();
kc.loadFromDefault();
const core = kc.makeApiClient(k8s.CoreV1Api);
const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
let standins: Standins;

beforeAll(async () => {
  const { startAzureStandins } = (await import(join(REPO, 'stack/azure/standins.mjs'))) as {
    startAzureStandins: (options: Record<string, unknown>) => Promise<Standins>;
  };
  standins = await startAzureStandins({
    tenantId,
    clientId,
    clientSecret,
    subscriptionId,
    resourceGroup: 'rg-functions',
    clusterName: 'aks-functions',
    kubeconfig: readFileSync(process.env.KUBECONFIG as string, 'utf8'),
    lroPolls: 0,
    cluster: { private: true },
  });
  await QueueServiceClient.fromConnectionString(process.env.AZURE_STORAGE_CONNECTION_STRING as string)
    .getQueueClient('shipments')
    .createIfNotExists();
});
afterAll(async () => {
  captureSecrets([clientSecret, ...(standins?.tokensIssued ?? [])]);
  await standins?.close();
  for (const name of [privateNs, directNs]) await core.deleteNamespace({ name }).catch(() => undefined);
});

interface Run {
  status: number | null;
  output: string;
}

/** The CLI as a user runs it against the AKS cluster through ARM, with defaults (private-cluster: auto). */
function deploy(
  namespace: string,
  image: string,
  { extra = [], direct = false, appPath = APP_PATH }: { extra?: string[]; direct?: boolean; appPath?: string } = {},
): Promise<Run> {
  const args = [
    join(REPO, 'dist', 'cli.js'),
    'deploy',
    '--app-path',
    appPath,
    '--name',
    'shipping',
    '--namespace',
    namespace,
    '--image',
    image,
    '--app-settings',
    `AzureWebJobsStorage=${process.env.AZURE_STORAGE_CONNECTION_STRING}`,
    '--polling-interval',
    '2',
    '--timeout',
    '2m',
    ...extra,
  ];
  if (direct) args.push('--kubeconfig', process.env.KUBECONFIG as string);
  else
    args.push(
      ...throughArm(standins.armEndpoint, { subscriptionId, clientId, tenantId }),
      '--client-secret',
      clientSecret,
    );
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: standins.caFile };
  const child = spawn(process.execPath, args, { cwd: REPO, env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((done) =>
    child.on('close', (status) => {
      captureOutput(output);
      done({ status, output });
    }),
  );
}

const errorLines = (run: Run) => run.output.split('\n').filter((line) => line.startsWith('error:'));

async function specs(namespace: string): Promise<Record<string, unknown>> {
  const found: Record<string, unknown> = {};
  for (const [apiVersion, kind] of [
    ['apps/v1', 'Deployment'],
    ['keda.sh/v1alpha1', 'ScaledObject'],
    ['v1', 'ServiceAccount'],
  ] as const) {
    const list = await objects.list(apiVersion, kind, namespace);
    for (const item of list.items) {
      const spec = structuredClone((item as { spec?: Record<string, unknown> }).spec ?? {});
      const text = JSON.stringify(spec)
        .replaceAll(namespace, 'NS')
        // The settings hash is keyed by a random key each namespace's settings Secret keeps.
        .replace(/"aks-functions-deploy\/settings-hash":"\w+"/g, '"settings-hash":"…"');
      found[`${kind}/${item.metadata?.name}`] = JSON.parse(text);
    }
  }
  return found;
}

test('a private cluster is deployed to through AKS run command with defaults, in at most 3 commands', async () => {
  const run = await deploy(privateNs, `registry.local/shipping@${digest(1)}`);
  expect(errorLines(run)).toEqual([]);
  expect(run.status).toBe(0);
  expect(run.output).toMatch(/reached through AKS run command/);
  expect(run.output).toMatch(/AKS run command: wait for the rollout \(\d+\.\ds, exit 0\)/);
  const scaled = (await objects.read({
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'shipping', namespace: privateNs },
  })) as { status?: { conditions?: { type: string; status: string }[] } };
  expect(scaled.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  // No manifest or setting on the command line: they travel in the context.
  for (const command of standins.runCommands) expect(command.command).toMatch(/^sh \w+\.sh$/);

  const settingsKey = async () =>
    (await core.readNamespacedSecret({ name: 'shipping', namespace: privateNs })).metadata?.annotations?.[
      'aks-functions-deploy/settings-hash-key'
    ];
  const firstKey = await settingsKey();
  const before = standins.runCommands.length;
  const again = await deploy(privateNs, `registry.local/shipping@${digest(2)}`);
  expect(errorLines(again)).toEqual([]);
  expect(standins.runCommands.length - before).toBeLessThanOrEqual(3);

  // AKS keeps each command's output: no setting, nor the settings-hash key, is in it.
  const secret = await core.readNamespacedSecret({ name: 'shipping', namespace: privateNs });
  const key = secret.metadata?.annotations?.['aks-functions-deploy/settings-hash-key'];
  // The redeploy read the key back (through its pad): unchanged settings keep their hash.
  expect(key).toBe(firstKey);
  const connection = process.env.AZURE_STORAGE_CONNECTION_STRING as string;
  const secrets = [connection, Buffer.from(connection).toString('base64'), key, secret.data?.AzureWebJobsStorage];
  expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  expect(standins.runCommands.map((command) => command.logs).join('')).toMatch(/@@afd apply/);
  for (const command of standins.runCommands)
    for (const value of secrets) expect(command.logs).not.toContain(value as string);
});

test('a redeploy whose image does not pull fails naming the reason', async () => {
  // A pod of the new version must exist to fail: KEDA would keep the app at zero replicas.
  const run = await deploy(privateNs, 'registry.local/shipping:v3-pullfail', { extra: ['--min-replicas', '1'] });
  expect(run.status).not.toBe(0);
  expect(errorLines(run)).toHaveLength(1);
  expect(errorLines(run)[0]).toMatch(/Deployment\/shipping: .*(ErrImagePull|ImagePullBackOff)/);
});

test('the same app deployed directly leaves the same objects', async () => {
  const image = `registry.local/shipping@${digest(4)}`;
  expect(errorLines(await deploy(privateNs, image))).toEqual([]);
  expect(errorLines(await deploy(directNs, image, { direct: true }))).toEqual([]);
  const [throughRunCommand, directly] = [await specs(privateNs), await specs(directNs)];
  expect(Object.keys(throughRunCommand).length).toBeGreaterThan(1);
  expect(throughRunCommand).toEqual(directly);
});

test('what the app no longer renders is pruned, through run command too', async () => {
  // The app with an HTTP function more: its Service, Deployment, keys Secret and their RBAC.
  const withHttp = mkdtempSync(join(tmpdir(), 'afd-private-app-'));
  try {
    cpSync(APP_PATH, withHttp, { recursive: true });
    mkdirSync(join(withHttp, 'Track'));
    const bindings = [
      { type: 'httpTrigger', direction: 'in', name: 'req', authLevel: 'anonymous', methods: ['get'] },
      { type: 'http', direction: 'out', name: 'res' },
    ];
    writeFileSync(join(withHttp, 'Track', 'function.json'), JSON.stringify({ bindings }));
    writeFileSync(join(withHttp, 'Track', 'index.js'), 'module.exports = async () => ({ body: "ok" });\n');
    const image = `registry.local/shipping@${digest(7)}`;
    expect(
      errorLines(await deploy(privateNs, image, { appPath: withHttp, extra: ['--service-type', 'ClusterIP'] })),
    ).toEqual([]);
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shipping-http', namespace: privateNs } };
    await objects.read(service);
    const back = await deploy(privateNs, image);
    expect(errorLines(back)).toEqual([]);
    expect(back.output).toMatch(/pruned +Service\/shipping-http/);
    await expect(objects.read(service)).rejects.toMatchObject({ code: 404 });
  } finally {
    rmSync(withHttp, { recursive: true, force: true });
  }
});

test("an Entra ID cluster without local accounts takes the identity's cluster token with each command", async () => {
  standins.setCluster({ aadManaged: true, disableLocalAccounts: true });
  try {
    const run = await deploy(privateNs, `registry.local/shipping@${digest(6)}`);
    expect(errorLines(run)).toEqual([]);
    expect(run.status).toBe(0);
  } finally {
    standins.setCluster({ aadManaged: false, disableLocalAccounts: false });
  }
});

test.each([
  ['podFailed', /the AKS run command failed: ImagePullBackoff/],
  ['timeout', /the AKS run command failed: command timed out/],
  ['truncated', /output was cut short/],
] as const)('run command fault %s gives one error line', async (fault, message) => {
  standins.setCluster({ runCommandFault: fault });
  try {
    const run = await deploy(privateNs, `registry.local/shipping@${digest(5)}`);
    expect(run.status).not.toBe(0);
    expect(errorLines(run)).toHaveLength(1);
    expect(errorLines(run)[0]).toMatch(message);
  } finally {
    standins.setCluster({ runCommandFault: undefined });
  }
});

test('a run command fault on command 2 says how far the deploy got', async () => {
  standins.setCluster({ runCommandFault: 'podFailed', runCommandFaultAfter: 1 });
  try {
    const run = await deploy(privateNs, `registry.local/shipping@${digest(8)}`);
    expect(run.status).not.toBe(0);
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/apply the app: the AKS run command failed: ImagePullBackoff; nothing more was run/),
    ]);
  } finally {
    standins.setCluster({ runCommandFault: undefined, runCommandFaultAfter: 0 });
  }
});
