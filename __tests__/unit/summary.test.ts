import { summaryMarkdown } from '../../src/report/summary.js';
import type { DeployResult } from '../../src/report/record.js';

const result: DeployResult = {
  objects: [],
  manifests: '',
  image: 'myacr.azurecr.io/orders@sha256:' + 'a'.repeat(64),
  applied: [
    { kind: 'Deployment', name: 'orders-http', action: 'configured' },
    { kind: 'ScaledObject', name: 'orders', action: 'unchanged' },
  ],
  kedaVersion: '2.20.2',
  rollout: { seconds: 12.34, addresses: {}, warnings: [], scaledVersions: [] },
  serviceIp: '20.1.2.3',
  functionUrls: { GetOrder: 'http://20.1.2.3/api/orders/{id}?code=s3cr3t%3D%3D' },
  timings: { image: 3.2, cluster: 1.05, apply: 0.4, rollout: 12.34, total: 16.1 },
};

test('the summary tells what was deployed, what changed and where it answers — never a key', () => {
  const markdown = summaryMarkdown('orders', 'shop', result);
  expect(markdown).toContain('| image | `myacr.azurecr.io/orders@sha256:' + 'a'.repeat(64) + '` |');
  expect(markdown).toContain('| KEDA | 2.20.2 |');
  expect(markdown).toContain('| rollout | healthy in 12.3s |');
  expect(markdown).toContain('| Deployment/orders-http | configured |');
  expect(markdown).toContain('| GetOrder | http://20.1.2.3/api/orders/{id} |');
  expect(markdown).toContain('| time | 16.1s (image 3.2s, cluster 1.05s, apply 0.4s, rollout 12.34s) |');
  expect(markdown).not.toContain('s3cr3t');
});
