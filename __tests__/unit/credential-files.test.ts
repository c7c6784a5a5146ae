import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificatePem, createCredential } from '../../src/azure/credential.js';
import { knownCloud, type AzureCloud } from '../../src/azure/clouds.js';
import { kubeConfigFrom } from '../../src/cluster/kube.js';
import { deployApp } from '../../src/commands/deploy.js';
import { writeManifests } from '../../src/commands/render.js';
import { UserError } from '../../src/errors.js';
import { resolveDeployCommand } from '../../src/inputs/resolve.js';
import type { Platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/render/render.js';
import { runTask } from '../task-runner/run-task.js';
import { captureSecrets } from '../captured.js';
import { runCli } from './shared-fixtures.js';
import { workFolder } from './temp-app.js';

const work = workFolder('credential-files');
const SETTING = 'Endpoint=sb://bus/;SharedAccessKey=bWFuaWZlc3RzLW91dHB1dA==';
const SETTING_BASE64 = Buffer.from(SETTING).toString('base64');
captureSecrets([SETTING, SETTING_BASE64]);

const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'orders' },
  data: { AzureWebJobsStorage: SETTING_BASE64 },
} as KubeObject;

function recordingPlatform() {
  const outputs: [string, string, boolean | undefined][] = [];
  const secrets: string[] = [];
  const platform: Platform = {
    info: () => undefined,
    warning: () => undefined,
    setSecret: (value) => secrets.push(value),
    setOutput: (name, value, isSecret) => outputs.push([name, value, isSecret]),
    run: {},
  };
  return { platform, outputs, secrets };
}

/** The committed CLI deploying the orders example by a given image, with this kubeconfig. */
const deployOrders = (kubeconfig: string, extra: string[] = []) =>
  runCli([
    'deploy',
    '--app-path',
    'examples/orders',
    '--name',
    'orders',
    '--image',
    'reg.io/orders:1',
    '--kubeconfig',
    kubeconfig,
    ...extra,
  ]);

describe('manifests-output with show-secrets', () => {
  test('an existing 0644 file is 0600 after, with the secrets in it', () => {
    const path = join(work, 'existing.yaml');
    writeFileSync(path, 'old content that is longer than nothing\n'.repeat(100), { mode: 0o644 });
    expect(statSync(path).mode & 0o777).toBe(0o644);
    writeManifests([secret], { showSecrets: true, manifestsOutput: path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain(SETTING_BASE64);
    expect(readFileSync(path, 'utf8')).not.toContain('old content');
  });

  test('a symlink at the path is refused with one error, and its target is never written', () => {
    const target = join(work, 'target.yaml');
    const link = join(work, 'link.yaml');
    writeFileSync(target, 'kept\n', { mode: 0o644 });
    symlinkSync(target, link);
    const write = () => writeManifests([secret], { showSecrets: true, manifestsOutput: link });
    expect(write).toThrow(UserError);
    expect(write).toThrow(`input 'manifests-output': ${link} is a symlink: give the path of the file itself`);
    expect(readFileSync(target, 'utf8')).toBe('kept\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('a deploy refuses a bad manifests-output before it reaches anything: not after the build and the cluster', () => {
    const target = join(work, 'early-target.yaml');
    const link = join(work, 'early-link.yaml');
    writeFileSync(target, 'kept\n');
    symlinkSync(target, link);
    // A cluster nobody answers at: reaching for it first would make this a connection error.
    const kubeconfig = join(work, 'unreachable-kubeconfig');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n' +
        'current-context: x\n',
    );
    for (const [path, why] of [
      [link, `${link} is a symlink: give the path of the file itself`],
      [work, `${work} is not a regular file (a folder, device, FIFO or socket)`],
      [
        join(work, 'no-folder', 'out.yaml'),
        `cannot write ${join(work, 'no-folder', 'out.yaml')}: its folder does not exist`,
      ],
    ]) {
      const run = deployOrders(kubeconfig, ['--manifests-output', path as string]);
      expect(run.status).toBe(1);
      expect(run.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
        `error: input 'manifests-output': ${why}`,
      ]);
      expect(run.stderr).not.toMatch(/== Build the image/);
    }
    expect(readFileSync(target, 'utf8')).toBe('kept\n');
  });

  test('the manifests output of a deploy with show-secrets is published as secret, and without it as plain', async () => {
    const inputs = {
      name: 'orders',
      'app-path': 'examples/orders',
      image: 'myacr.azurecr.io/orders:1',
      'dry-run': 'true',
      'app-settings': `AzureWebJobsStorage=${SETTING}`,
    };
    for (const showSecrets of [true, false]) {
      const { platform, outputs } = recordingPlatform();
      await deployApp(resolveDeployCommand({ ...inputs, 'show-secrets': String(showSecrets) }), platform);
      const manifests = outputs.filter(([name]) => name === 'manifests');
      expect(manifests).toHaveLength(1);
      expect(manifests[0]?.[1].includes(SETTING_BASE64)).toBe(showSecrets);
      expect(manifests[0]?.[2] ?? false).toBe(showSecrets);
    }
  });
});

describe("the Azure Pipelines task's manifests output with show-secrets", () => {
  const inputs = {
    name: 'orders',
    appPath: 'examples/orders',
    image: 'myacr.azurecr.io/orders:1',
    dryRun: 'true',
    showSecrets: 'true',
    appSettings: `AzureWebJobsStorage=${SETTING}`,
  };
  const manifestsVariable = (stdout: string) =>
    stdout.split('\n').filter((line) => line.startsWith('##vso[task.setvariable variable=manifests;'));

  test('is never a plain variable: withheld with a warning where the agent keeps no multi-line secret', async () => {
    const result = await runTask({ inputs });
    expect(result.succeeded).toBe(true);
    expect(manifestsVariable(result.stdout)).toEqual([]);
    const shown = result.stdout.split('\n').filter((line) => !line.startsWith('##vso[task.setsecret]'));
    expect(shown.filter((line) => line.includes(SETTING_BASE64))).toEqual([]);
    expect(result.warningIssues).toContainEqual(
      expect.stringMatching(/^output 'manifests' is not set: it holds secrets/),
    );
  });

  test('is a secret output variable where the agent allows multi-line secrets', async () => {
    const result = await runTask({ inputs, env: { SYSTEM_UNSAFEALLOWMULTILINESECRET: 'true' } });
    expect(result.succeeded).toBe(true);
    const lines = manifestsVariable(result.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^##vso\[task\.setvariable variable=manifests;isOutput=true;issecret=true;\]/);
  });
});

describe('client-certificate: PEM, a PEM file or base64 of PEM; anything else is an error that never quotes it', () => {
  const pem =
    '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n' +
    '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
  // A PFX is a DER SEQUENCE (0x30 0x82 and a length), base64 at 64 columns as openssl and the portal write it.
  const pfx = Buffer.concat([Buffer.from([0x30, 0x82, 0x0a, 0x61]), randomBytes(1500)]);
  const pfxBase64 = pfx.toString('base64').replace(/.{64}/g, '$&\n');
  const randomLong = randomBytes(200).toString('hex') + '~secret-ish';
  captureSecrets([pfxBase64.split('\n')[1] as string, randomLong]);

  /** Signs in with the certificate, to the failure: a fake PEM reaches Entra ID, which no unit test may. */
  async function signInProblem(certificate: string): Promise<string> {
    try {
      const credential = createCredential(
        'secret',
        { auth: 'secret', tenantId: 't', clientId: 'c', clientCertificate: certificate },
        knownCloud('AzureCloud') as AzureCloud,
        undefined,
        recordingPlatform().platform,
      );
      await credential.getToken('https://management.azure.com/.default');
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      // No annotation on a "file": the input is secret, and may be content.
      expect((error as UserError).file).toBeUndefined();
      return (error as Error).message;
    }
    throw new Error('signed in');
  }

  test('PEM content, the path of a PEM file and base64 of PEM all give the PEM', () => {
    const path = join(work, 'cert.pem');
    writeFileSync(path, pem);
    for (const input of [pem, path, `  ${path}\n`, Buffer.from(pem).toString('base64')])
      expect(certificatePem(input)).toBe(pem);
  });

  test('a base64 PFX is refused with how to convert it, without quoting it', async () => {
    const message = await signInProblem(pfxBase64);
    expect(message).toBe(
      "input 'client-certificate': its base64 is a PFX (PKCS#12) or DER certificate, not PEM; convert it to PEM " +
        'with its private key: openssl pkcs12 -in cert.pfx -nodes -out cert.pem',
    );
  });

  test('a PFX file is refused the same way, naming the input and not the path', async () => {
    const path = join(work, 'cert.pfx');
    writeFileSync(path, pfx);
    expect(await signInProblem(path)).toMatch(/^input 'client-certificate': the file is a PFX \(PKCS#12\)/);
  });

  test('a random long string is neither PEM nor a file, and is not echoed', async () => {
    const message = await signInProblem(randomLong);
    expect(message).toBe(
      "input 'client-certificate': neither PEM content (-----BEGIN …) nor the path of an existing file",
    );
    expect(message).not.toContain(randomLong.slice(0, 16));
  });

  test('a folder or a dangling symlink for the path is one error naming the input', async () => {
    const dangling = join(work, 'dangling.pem');
    symlinkSync(join(work, 'nowhere.pem'), dangling);
    expect(await signInProblem(work)).toBe("input 'client-certificate': is a folder, not a file");
    expect(await signInProblem(dangling)).toBe(
      "input 'client-certificate': is a symlink to a file that does not exist",
    );
  });

  test('PEM without its private key is refused before Entra ID is asked', async () => {
    const certificateOnly = pem.slice(0, pem.indexOf('-----BEGIN PRIVATE KEY'));
    expect(await signInProblem(certificateOnly)).toBe(
      "input 'client-certificate': is PEM but holds no unencrypted private key: give the certificate with its key",
    );
  });
});

describe("a kubeconfig's credentials are masked once it is read, whatever form the input had", () => {
  const token = 'kc-token-7f3a9c1e5b2d';
  const keyBody = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7key';
  const keyData = Buffer.from(`-----BEGIN PRIVATE KEY-----\n${keyBody}\n-----END PRIVATE KEY-----\n`).toString(
    'base64',
  );
  const password = 'kc-password-41d8cd98';
  captureSecrets([token, keyData, keyBody, password]);
  const content = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]
users:
  - {name: u, user: {token: ${token}, client-key-data: ${keyData}}}
  - {name: p, user: {username: me, password: ${password}}}
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

  test.each([
    ['a file', () => join(work, 'kubeconfig-with-credentials')],
    ['base64 content', () => Buffer.from(content).toString('base64')],
  ])('given as %s: the token, the key (also decoded) and the password', (_, input) => {
    writeFileSync(join(work, 'kubeconfig-with-credentials'), content);
    const { platform, secrets } = recordingPlatform();
    kubeConfigFrom(input(), platform);
    expect(secrets).toEqual(expect.arrayContaining([token, keyData, keyBody, password]));
    // Not its common lines, nor the key's armour.
    expect(secrets).not.toContain('-----BEGIN PRIVATE KEY-----');
    expect(secrets.filter((secret) => secret.includes('apiVersion') || secret.includes('clusters'))).toEqual([]);
  });
});

describe('a kubeconfig path that is not a readable file: one error line naming the input, no stack, at once', () => {
  const fifo = join(work, 'kubeconfig-fifo');
  const dangling = join(work, 'kubeconfig-dangling');
  const folder = join(work, 'kubeconfig-folder');
  mkdirSync(folder);
  symlinkSync(join(work, 'no-such-kubeconfig'), dangling);
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);

  const cases: [string, string, string][] = [
    ['a folder', folder, "input 'kubeconfig': is a folder, not a file"],
    ['a dangling symlink', dangling, "input 'kubeconfig': is a symlink to a file that does not exist"],
    ['a FIFO', fifo, "input 'kubeconfig': not a regular file (a device, FIFO or socket)"],
    ['a device', '/dev/zero', "input 'kubeconfig': not a regular file (a device, FIFO or socket)"],
  ];

  // In a child process with a timeout: a FIFO read blocks, /dev/zero never ends.
  test.each(cases)('%s, through the CLI', (_, path, message) => {
    const result = runCli(['delete', '--name', 'orders', '--kubeconfig', path]);
    expect(result.signal).toBeNull();
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`error: ${message}\n`);
  });

  test('a deploy reads it before anything is built or pushed', () => {
    const result = deployOrders(folder);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
      "error: input 'kubeconfig': is a folder, not a file",
    ]);
    expect(result.stderr).not.toMatch(/== Build the image/);
  });

  // In process only what cannot block: the error annotates no file (the input is secret, and may be content).
  test.each(cases.slice(0, 2))('%s, as the function sees it', (_, path, message) => {
    let thrown: unknown;
    try {
      kubeConfigFrom(path, recordingPlatform().platform);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown).toMatchObject({ message, file: undefined });
  });
});
