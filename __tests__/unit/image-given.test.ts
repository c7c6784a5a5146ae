import { obtainImage } from '../../src/image/image.js';
import { doesNotResolve } from '../../src/image/registry-hints.js';
import type { Platform } from '../../src/platform.js';

function recording() {
  const warnings: string[] = [];
  const platform: Platform = {
    info: () => undefined,
    warning: (message) => warnings.push(message),
    setSecret: () => undefined,
    setOutput: () => undefined,
    run: {},
  };
  return { platform, warnings };
}

describe('an image given by tag', () => {
  test('whose registry host does not resolve is deployed by its tag at once, saying so', async () => {
    // .invalid never resolves (RFC 6761): no retry of the registry read can reach it.
    const image = 'registry.invalid/orders:v1';
    const { platform, warnings } = recording();
    const options = { build: 'none', image, platform: 'linux/amd64', login: 'docker' } as const;
    const deployed = await obtainImage(
      { route: 'given', reference: image, warnings: [], options },
      undefined,
      platform,
    );
    expect(deployed).toEqual({ image });
    expect(warnings).toEqual([
      `deploying ${image} by its tag: its digest could not be read (registry.invalid does not resolve)`,
    ]);
  });
});

describe('a registry host that does not resolve', () => {
  test.each([
    ['127.0.0.1:26500', false],
    ['localhost:5000', false],
    ['[::1]:5000', false],
    ['registry.invalid', true],
    ['registry.invalid:5000', true],
  ])('%s: %s', async (server, unresolved) => {
    expect(await doesNotResolve(server)).toBe(unresolved);
  });

  test.each(['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'HTTP_PROXY'])(
    'behind a proxy (%s), where the proxy resolves names, is not concluded here',
    async (variable) => {
      process.env[variable] = 'http://proxy.example:3128';
      try {
        expect(await doesNotResolve('registry.invalid')).toBe(false);
      } finally {
        delete process.env[variable];
      }
    },
  );
});
