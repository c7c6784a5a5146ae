import type { Platform } from '../../src/platform.js';
import { type DeployResult, interruptedReport, newRecord, publishDeploy } from '../../src/report/record.js';

function recordingPlatform() {
  const outputs: [string, string, boolean | undefined][] = [];
  const platform: Platform = {
    info: () => undefined,
    warning: () => undefined,
    setSecret: () => undefined,
    setOutput: (name, value, secret) => outputs.push([name, value, secret]),
    run: {},
  };
  return { platform, outputs };
}

const done: DeployResult = { objects: [], manifests: 'kind: Namespace\n', image: 'reg.io/app:1', applied: [] };

describe('the deploy record', () => {
  test('a failed deploy still publishes what it learnt, once, timings included', async () => {
    const { platform, outputs } = recordingPlatform();
    await expect(
      publishDeploy(platform, async (record) => {
        record.timed = true;
        record.image = 'reg.io/app@sha256:' + 'b'.repeat(64);
        record.digest = 'sha256:' + 'b'.repeat(64);
        record.timings.image = 1.5;
        throw new Error('apply failed');
      }),
    ).rejects.toThrow('apply failed');
    expect(outputs.map(([name]) => name)).toEqual(['image', 'digest', 'timings']);
    const timings = JSON.parse(outputs[2]?.[1] ?? '{}');
    expect(timings.image).toBe(1.5);
    expect(typeof timings.total).toBe('number');
  });

  test('a finished deploy returns its timings with the total, and function URLs with keys are published as secret', async () => {
    const { platform, outputs } = recordingPlatform();
    const result = await publishDeploy(platform, async (record) => {
      record.timed = true;
      record.manifests = done.manifests;
      record.functionUrls = { Get: 'http://10.0.0.1/api/get?code=k' };
      record.functionUrlsHaveKeys = true;
      return done;
    });
    expect(result.timings?.total).toEqual(expect.any(Number));
    expect(outputs).toContainEqual(['function-urls', '{"Get":"http://10.0.0.1/api/get?code=k"}', true]);
    expect(outputs.filter(([name]) => name === 'manifests')).toHaveLength(1);
  });

  test('a deploy that never reached a cluster has no timings', async () => {
    const { platform, outputs } = recordingPlatform();
    const result = await publishDeploy(platform, async (record) => {
      record.image = done.image;
      return done;
    });
    expect(result.timings).toBeUndefined();
    expect(outputs.map(([name]) => name)).toEqual(['image']);
  });

  test('the report of an interrupted deploy names what changed, not what was left as it was', () => {
    const record = newRecord();
    record.stage = 'Apply';
    record.applied.push(
      { kind: 'Secret', name: 'orders-settings', action: 'unchanged' },
      { kind: 'Deployment', name: 'orders-http', action: 'configured' },
    );
    record.leaseHeld = true;
    expect(interruptedReport('SIGTERM', record)).toBe(
      'stopped by SIGTERM during "Apply": changed so far: Deployment/orders-http (configured); ' +
        "the rollout was not checked; the app's deploy Lease lapses in 30 s",
    );
  });
});
