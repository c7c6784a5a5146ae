import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFrom, kubeconfigFromServiceAccount, kubeconfigSecrets } from '../../src/cluster/kube.js';
import { workFolder } from './temp-app.js';

const YAML = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]
users: [{name: u, user: {token: s3cr3t-token-value}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
const work = workFolder('kubeconfig');

describe('the kubeconfig input', () => {
  test('a path, YAML content, JSON content and base64 content all load', () => {
    const path = join(work, 'config');
    writeFileSync(path, YAML);
    const json = JSON.stringify({
      apiVersion: 'v1',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    });
    for (const input of [path, YAML, json, Buffer.from(YAML).toString('base64')]) {
      expect(kubeConfigFrom(input).getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    }
  });

  test('a path that is a folder or a device is refused by what it is, at once (a FIFO is in the fuzz family)', () => {
    const folder = join(work, 'config-folder');
    mkdirSync(folder);
    const zero = join(work, 'config-zero');
    symlinkSync('/dev/zero', zero);
    expect(() => kubeConfigFrom(folder)).toThrow(`${folder}: is a folder, not a file`);
    expect(() => kubeConfigFrom(zero)).toThrow(`${zero}: not a regular file (a device, FIFO or socket)`);
  });

  test('anything else is refused without quoting it', () => {
    const secretish = Buffer.from('not a kubeconfig but secret-ish').toString('base64');
    expect(() => kubeConfigFrom(secretish)).toThrow(
      "input 'kubeconfig': neither an existing file nor kubeconfig content",
    );
    try {
      kubeConfigFrom(secretish);
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
    }
    expect(() => kubeConfigFrom(YAML.replace('current-context: x', 'current-context: nowhere'))).toThrow(
      /current context names no cluster/,
    );
  });
});

describe('kubeconfigs made from a Kubernetes service connection', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl';
  const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  test.each([
    ['base64, as the Secret holds them', Buffer.from(jwt).toString('base64'), Buffer.from(caPem).toString('base64')],
    ['as they are', jwt, caPem],
  ])('token and CA %s', (_, token, certificate) => {
    const config = new KubeConfig();
    config.loadFromString(kubeconfigFromServiceAccount('https://aks.example:443', token, certificate, false));
    expect(config.getCurrentUser()?.token).toBe(jwt);
    expect(config.getCurrentCluster()).toMatchObject({
      server: 'https://aks.example:443',
      caData: Buffer.from(caPem).toString('base64'),
      skipTLSVerify: false,
    });
    expect(kubeconfigSecrets(config.exportConfig())).toEqual([jwt]);
  });

  test("a kubeconfig's secrets are its credentials, not its common lines", () => {
    const content =
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://k:6443"}}]\nusers: [{name: u, user: {client-key-data: S0VZREFUQQ==, password: hunter2-long}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n';
    expect(kubeconfigSecrets(content).sort()).toEqual(['S0VZREFUQQ==', 'hunter2-long']);
  });

  test("an exec plugin's credential flags are secrets, in either spelling", () => {
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--server-id', 'abc', '--client-secret', 'cs-value-1', '--token=tk-value-2'],
    };
    const content = `apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: [{name: u, user: {exec: ${JSON.stringify(exec)}}}]\n`;
    expect(kubeconfigSecrets(content).sort()).toEqual(['cs-value-1', 'tk-value-2']);
  });
});
