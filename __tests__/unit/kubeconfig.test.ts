import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubeConfigFrom } from '../../src/cluster/kube.js';
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

  test('anything else is refused without quoting it', () => {
    const secretish = Buffer.from('not a kubeconfig but secret-ish').toString('base64');
    expect(() => kubeConfigFrom(secretish)).toThrow("input 'kubeconfig': neither an existing file nor kubeconfig content");
    try {
      kubeConfigFrom(secretish);
    } catch (error) {
      expect((error as Error).message).not.toContain(secretish);
    }
    expect(() => kubeConfigFrom(YAML.replace('current-context: x', 'current-context: nowhere'))).toThrow(/current context names no cluster/);
  });
});
