import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificatePem, createCredential } from '../../src/azure/credential.js';
import { knownCloud, type AzureCloud } from '../../src/azure/clouds.js';
import { deployApp } from '../../src/commands/deploy.js';
import { writeManifests } from '../../src/commands/render.js';
import { UserError } from '../../src/errors.js';
import { resolveDeployCommand } from '../../src/inputs/resolve.js';
import type { Platform } from '../../src/platform.js';
import type { KubeObject } from '../../src/render/render.js';
import { runTask } from '../task-runner/run-task.js';
import { captureSecrets } from '../captured.js';
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
  const platform: Platform = {
    info: () => undefined,
    warning: () => undefined,
    setSecret: () => undefined,
    setOutput: (name, value, isSecret) => outputs.push([name, value, isSecret]),
    run: {},
  };
  return { platform, outputs };
}

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
