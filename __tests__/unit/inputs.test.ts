import { UserError } from '../../src/errors.js';
import { parseKeyValueLines } from '../../src/inputs/checks.js';
import { resolveDeployCommand, resolveRenderCommand } from '../../src/inputs/resolve.js';
import { durationSeconds } from '../../src/inputs/values.js';
import { camelCase, INPUTS } from '../../src/inputs/schema.js';

const base = { name: 'orders', image: 'reg.io/orders:1', 'app-path': 'examples/orders' };
const resolve = (extra: Record<string, string>) => () => resolveRenderCommand({ ...base, ...extra });

describe('the input schema', () => {
  test('names are unique kebab-case, with camelCase spellings for task.json', () => {
    const names = INPUTS.map((input) => input.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z][a-z0-9]*)*$/);
    expect(camelCase('rollback-on-failure')).toBe('rollbackOnFailure');
  });

  test('enums have values, and defaults are among them', () => {
    for (const input of INPUTS.filter((i) => i.kind === 'enum')) {
      expect(input.values?.length).toBeGreaterThan(1);
      if (input.default !== undefined) expect(input.values).toContain(input.default);
    }
  });

  test("DESIGN.md's minimum input set is all there", () => {
    const design =
      `app-path name namespace image registry repository tag build dockerfile build-context build-args platform
      registry-username registry-password client-id tenant-id subscription-id client-secret auth cloud resource-group
      cluster-name admin kubeconfig settings-file app-settings secret-name config-map-name min-replicas max-replicas
      polling-interval cooldown-period http-replicas service-type pull-secret keda keda-version keda-namespace
      keda-manifest-url wait timeout rollback-on-failure prune dry-run manifests-output`.split(/\s+/);
    expect(INPUTS.map((i) => i.name)).toEqual(expect.arrayContaining(design));
  });

  test('secret inputs are marked', () => {
    expect(
      INPUTS.filter((i) => i.secret)
        .map((i) => i.name)
        .sort(),
    ).toEqual([
      'app-settings',
      'client-certificate',
      'client-secret',
      'http-prometheus-auth',
      'kubeconfig',
      'registry-password',
    ]);
  });
});

describe('resolving the render command', () => {
  test('defaults apply', () => {
    const options = resolveRenderCommand(base);
    expect(options.render).toMatchObject({
      name: 'orders',
      namespace: 'default',
      scaling: { minReplicas: 0, httpReplicas: 1, serviceType: 'LoadBalancer' },
    });
    expect(options.showSecrets).toBe(false);
    expect(options.app.indexer).toBe('static');
  });

  test('indexer: runtime reaches discovery; a value that is neither indexer is refused, naming the input', () => {
    expect(resolveRenderCommand({ ...base, indexer: 'Runtime' }).app.indexer).toBe('runtime');
    expect(() => resolveRenderCommand({ ...base, indexer: 'dynamic' })).toThrow(
      /^input 'indexer': 'dynamic' is not one of static, runtime$/,
    );
  });

  test('enum values match case-insensitively and come back as spelled in the schema', () => {
    expect(resolveRenderCommand({ ...base, 'service-type': 'clusterip' }).render.scaling.serviceType).toBe('ClusterIP');
  });

  test('durations accept seconds and unit suffixes', () => {
    expect(durationSeconds('90')).toBe(90);
    expect(durationSeconds('5m')).toBe(300);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('')).toBeUndefined();
    expect(durationSeconds('-5')).toBeUndefined();
    expect(durationSeconds('5 minutes')).toBeUndefined();
    expect(resolveRenderCommand({ ...base, 'cooldown-period': '2m' }).render.scaling.cooldownSeconds).toBe(120);
  });

  test.each([
    [{ name: 'Orders' }, /input 'name': 'Orders' is not a valid app name/],
    [{ name: 'my_app' }, /input 'name': 'my_app'/],
    [{ name: 'a'.repeat(48) }, /at most 47 characters/],
    [{ name: '1app' }, /start with a letter/],
    [{ namespace: 'Prod' }, /input 'namespace': 'Prod'/],
    [{ image: 'Reg.io/UPPER:1' }, /input 'image': 'Reg.io\/UPPER:1' is not a valid image reference/],
    [
      { 'min-replicas': '5', 'max-replicas': '2' },
      /input 'min-replicas' \(5\) is greater than input 'max-replicas' \(2\)/,
    ],
    [{ 'min-replicas': '-1' }, /input 'min-replicas': '-1' is not a whole number/],
    [{ 'max-replicas': '0' }, /input 'max-replicas': must be at least 1/],
    [{ 'http-replicas': '0' }, /input 'http-replicas': must be at least 1/],
    [{ 'polling-interval': 'soon' }, /input 'polling-interval': 'soon' is not a duration/],
    [{ 'cooldown-period': '-30' }, /input 'cooldown-period': '-30' is not a duration/],
    [{ 'polling-interval': '0' }, /input 'polling-interval': must be at least 1 second/],
    [{ 'service-type': 'Ingress' }, /input 'service-type': 'Ingress' is not one of LoadBalancer, ClusterIP, NodePort/],
    [{ 'show-secrets': 'maybe' }, /input 'show-secrets': 'maybe' is not true or false/],
    [{ 'pull-secret': 'Bad Name' }, /input 'pull-secret'/],
    [{ kubeconfig: '/tmp/kc' }, /input 'kubeconfig' does not apply to render/],
    [{ 'max-replicas': '99999999999' }, /input 'max-replicas': '99999999999' is more than 2147483647/],
    [{ 'cooldown-period': '48h' }, /input 'cooldown-period': '48h' is more than 24h/],
    [
      { 'secret-name': 'existing', 'app-settings': 'A=1' },
      /input 'secret-name' is set together with settings-file or app-settings/,
    ],
  ])('%j is refused', (extra, message) => {
    expect(resolve(extra)).toThrow(UserError);
    expect(resolve(extra)).toThrow(message);
  });

  test('min-replicas equal to max-replicas is a fixed replica count, accepted', () => {
    expect(resolveRenderCommand({ ...base, 'min-replicas': '3', 'max-replicas': '3' }).render.scaling).toMatchObject({
      minReplicas: 3,
      maxReplicas: 3,
    });
  });

  test('name and image are required', () => {
    expect(() => resolveRenderCommand({ image: 'a/b:1' })).toThrow("input 'name' is required");
    expect(() => resolveRenderCommand({ name: 'a' })).toThrow("input 'image' is required");
  });
});

describe('app-settings lines', () => {
  test('KEY=VALUE lines, with = in values, comments and blank lines', () => {
    expect(
      parseKeyValueLines('app-settings', 'A=1\n\n# note\nConn=Endpoint=sb://x/;Key=abc=\r\nNested__Key=v'),
    ).toEqual({
      A: '1',
      Conn: 'Endpoint=sb://x/;Key=abc=',
      Nested__Key: 'v',
    });
  });

  test('whichever of = and << comes first decides: KEY=a<<b is a plain value', () => {
    expect(parseKeyValueLines('app-settings', 'A=b<<c\nB=1')).toEqual({ A: 'b<<c', B: '1' });
  });

  test('a bad line names the line, never the value', () => {
    const act = () => parseKeyValueLines('app-settings', 'A=1\nhunter2-no-equals');
    expect(act).toThrow("input 'app-settings', line 2: expected KEY=VALUE");
    try {
      act();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });

  test('a key that cannot be an environment variable is refused, by its line and not its text', () => {
    expect(() => parseKeyValueLines('app-settings', 'A=1\nValues:Key=1')).toThrow(
      /^input 'app-settings', line 2: the key is not a valid setting name/,
    );
  });

  const PEM =
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nbm90LWEta2V5+/x=\n-----END PRIVATE KEY-----';

  test('a multi-line value as KEY<<DELIMITER: its lines, = and # included, up to the delimiter', () => {
    expect(parseKeyValueLines('app-settings', `A=1\nCert<<EOF\n${PEM}\n# kept\n\nEOF\r\nB<<END\nEND\nC=2`)).toEqual({
      A: '1',
      Cert: `${PEM}\n# kept\n`,
      B: '',
      C: '2',
    });
  });

  test.each([
    [
      'a continuation line with = read as a setting',
      `Cert=${PEM.split('\n')[0]}\nMIIE/abc+def=ghij`,
      1,
      'a PEM value spans several lines: write it as KEY<<DELIMITER',
    ],
    ['a continuation line with = and a bad key', `A=1\nMIIE/abc+def=ghij`, 2, 'the key is not a valid setting name'],
    ['a line that is only a value', `A=1\nhunter2-no-equals`, 2, 'expected KEY=VALUE or KEY<<DELIMITER'],
    [
      'an unterminated KEY<<DELIMITER',
      `A=1\nCert<<EOF\n${PEM}\nhunter2`,
      2,
      'KEY<<DELIMITER has no line with its DELIMITER',
    ],
    ['KEY<< with no delimiter', `Cert<<\nhunter2`, 1, 'KEY<<DELIMITER needs a delimiter'],
  ])('%s: an error naming the line, quoting none of the input', (_, text, line, what) => {
    let message = '';
    try {
      parseKeyValueLines('app-settings', text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`input 'app-settings', line ${line}: ${message.slice(message.indexOf(': ') + 2)}`);
    expect(message).toContain(what);
    for (const fragment of ['MIIE', 'abc', 'hunter2', 'Cert', 'EOF', 'BEGIN']) expect(message).not.toContain(fragment);
  });
});

describe('resolving the deploy command', () => {
  const deploy = { ...base, kubeconfig: '/tmp/kc' };

  test('a dry run needs no cluster; a deploy does', () => {
    expect(resolveDeployCommand({ ...base, 'dry-run': 'true' }).cluster).toBeUndefined();
    expect(() => resolveDeployCommand(base)).toThrow(
      "input 'resource-group' and 'cluster-name' (an AKS cluster), or 'kubeconfig', are required (or dry-run: true to render only)",
    );
  });

  test('a KEDA version the step does not carry needs a copy and its hash, unless KEDA is left alone', () => {
    const hash = 'A'.repeat(64);
    const url = 'https://mirror.example/keda-2.21.0.yaml';
    expect(
      resolveDeployCommand({
        ...deploy,
        'keda-version': '2.21.0',
        'keda-manifest-url': url,
        'keda-manifest-sha256': hash,
      }).keda,
    ).toMatchObject({ version: '2.21.0', manifestUrl: url, manifestSha256: 'a'.repeat(64) });
    expect(() => resolveDeployCommand({ ...deploy, 'keda-version': '2.21.0', 'keda-manifest-sha256': hash })).toThrow(
      "input 'keda-version': this step carries the manifests of KEDA 2.19.0 or 2.20.2 only; for KEDA 2.21.0 give " +
        "input 'keda-manifest-url' (a copy of its install manifest), or use 2.19.0 or 2.20.2",
    );
    expect(() => resolveDeployCommand({ ...deploy, 'keda-version': '2.21.0', 'keda-manifest-url': url })).toThrow(
      "for KEDA 2.21.0 give input 'keda-manifest-sha256', or use",
    );
    expect(resolveDeployCommand({ ...deploy, 'keda-version': '2.21.0', keda: 'skip' }).keda).toMatchObject({
      mode: 'skip',
      manifestSha256: undefined,
    });
    expect(resolveDeployCommand(deploy).keda).toMatchObject({
      mode: 'auto',
      version: '2.20.2',
      manifestSha256: undefined,
    });
  });

  test('rollout defaults', () => {
    const { rollout, apply } = resolveDeployCommand(deploy);
    expect({ ...rollout, ...apply }).toEqual({
      wait: true,
      timeoutSeconds: 600,
      rollbackOnFailure: false,
      allowScalerErrors: false,
      verifyIdleVersion: true,
      prune: true,
      forceConflicts: false,
      lease: 'if-permitted',
    });
    expect(resolveDeployCommand({ ...deploy, 'deploy-lease': 'required' }).apply.lease).toBe('required');
    expect(resolveDeployCommand({ ...deploy, 'allow-scaler-errors': 'true' }).rollout.allowScalerErrors).toBe(true);
    expect(resolveDeployCommand({ ...deploy, 'verify-idle-version': 'false' }).rollout.verifyIdleVersion).toBe(false);
    expect(() => resolveDeployCommand({ ...deploy, 'deploy-lease': 'maybe' })).toThrow(/input 'deploy-lease'/);
  });

  test.each([
    [{ keda: 'addon' }, /input 'keda': addon needs an AKS cluster given by resource-group and cluster-name/],
    [{ 'keda-namespace': 'autoscaling' }, /input 'keda-namespace': KEDA's install manifest installs into 'keda' only/],
    [{ 'keda-version': 'latest' }, /input 'keda-version': 'latest' is not a version/],
    [{ timeout: '0' }, /input 'timeout': must be at least 1 second/],
    [
      { 'keda-version': '2.21.0' },
      /input 'keda-version': this step carries the manifests of KEDA 2\.19\.0 or 2\.20\.2 only; for KEDA 2\.21\.0 give input 'keda-manifest-url' \(a copy of its install manifest\) and 'keda-manifest-sha256', or use 2\.19\.0 or 2\.20\.2/,
    ],
    [{ 'keda-manifest-sha256': 'abc123' }, /input 'keda-manifest-sha256': 'abc123' is not a SHA-256/],
    [{ build: 'acr' }, /input 'subscription-id' is required for build: acr \(the registry's subscription\)/],
    [
      {
        build: 'acr',
        'subscription-id': '0b1f6471-1bf0-4dda-aec3-111122223333',
        'registry-username': 'u',
        'registry-password': 'p',
      },
      /input 'registry-username': build: acr signs in with the Azure identity/,
    ],
    [{ build: 'docker', target: '-x' }, /input 'target': '-x' is not a build stage name/],
    [
      { build: 'acr', 'subscription-id': '0b1f6471-1bf0-4dda-aec3-111122223333', 'registry-login': 'docker' },
      /input 'registry-login': build: acr signs in with the Azure identity/,
    ],
  ])('%j is refused before anything runs', (extra, message) => {
    expect(() => resolveDeployCommand({ ...deploy, ...extra })).toThrow(message);
  });
});

describe('the image to deploy: given, or built and pushed', () => {
  const noImage = { ...base, image: undefined, kubeconfig: '/tmp/kc' };
  const plan = (extra: Record<string, string>) => resolveDeployCommand({ ...noImage, ...extra }).image;

  test('an image alone is deployed as given, with no build', () => {
    expect(plan({ image: 'registry.local/orders@sha256:' + 'a'.repeat(64) })).toEqual({
      build: 'none',
      image: 'registry.local/orders@sha256:' + 'a'.repeat(64),
      platform: 'linux/amd64',
      login: 'auto',
    });
    // A login given with an image reads the tag's digest.
    expect(
      plan({ image: 'reg.example.com/orders:1', 'registry-username': 'bot', 'registry-password': 'pw' }),
    ).toMatchObject({ build: 'none', credentials: { username: 'bot', password: 'pw' } });
  });

  test('a registry given by ACR name resolves to the login server of the cloud; the repository defaults to the app name', () => {
    expect(plan({ registry: 'MyAcr01' })).toMatchObject({
      build: 'docker',
      server: 'myacr01.azurecr.io',
      repository: base.name,
      tag: undefined,
    });
    expect(plan({ registry: 'myacr01', cloud: 'AzureChinaCloud' })).toMatchObject({ server: 'myacr01.azurecr.cn' });
    expect(plan({ registry: 'myacr01', cloud: 'AzureUSGovernment' })).toMatchObject({ server: 'myacr01.azurecr.us' });
    expect(plan({ registry: 'myacr01', cloud: 'azurechinacloud' })).toMatchObject({ server: 'myacr01.azurecr.cn' });
  });

  test('a login server with a port, a nested repository and a tag', () => {
    expect(plan({ registry: '127.0.0.1:5000', repository: 'team/orders', tag: 'v1.2' })).toMatchObject({
      server: '127.0.0.1:5000',
      repository: 'team/orders',
      tag: 'v1.2',
    });
  });

  test('image references: a first component without a dot or port is part of the path', () => {
    expect(plan({ build: 'docker', image: 'localhost/team/orders:v1' })).toMatchObject({
      server: 'localhost',
      repository: 'team/orders',
      tag: 'v1',
    });
    expect(() => plan({ build: 'docker', image: 'team/orders:v1' })).toThrow(/does not name a registry to push to/);
    expect(() => plan({ build: 'docker', image: 'Team/orders:v1' })).toThrow(/is not a valid image reference/);
  });

  test('with build: docker, an image names the push target', () => {
    expect(plan({ build: 'docker', image: 'reg.example.com/team/orders:7' })).toMatchObject({
      server: 'reg.example.com',
      repository: 'team/orders',
      tag: '7',
    });
    expect(plan({ build: 'docker', image: 'localhost:5000/orders' })).toMatchObject({
      server: 'localhost:5000',
      repository: 'orders',
      tag: undefined,
    });
  });

  test('the build context defaults to the app path; build arguments are KEY=VALUE lines', () => {
    expect(plan({ registry: 'reg.example.com', 'build-args': 'NODE=20\nFLAVOUR=slim' })).toMatchObject({
      context: base['app-path'],
      dockerfile: 'Dockerfile',
      buildArgs: { NODE: '20', FLAVOUR: 'slim' },
      platform: 'linux/amd64',
    });
  });

  test('registry credentials travel together', () => {
    expect(
      plan({ registry: 'reg.example.com', 'registry-username': 'bot', 'registry-password': 's3cret-pw' }),
    ).toMatchObject({ credentials: { username: 'bot', password: 's3cret-pw' } });
  });

  test.each([
    [{}, /input 'registry' is required to push the built image/],
    [{ build: 'none' }, /input 'image' is required when input 'build' is none/],
    [
      { image: 'reg.example.com/orders:1', registry: 'reg.example.com' },
      /inputs 'image' and 'registry' both name the image/,
    ],
    [
      { image: 'reg.example.com/orders:1', tag: '2', build: 'none' },
      /input 'tag' is for pushing a build, but input 'build' is none/,
    ],
    [
      { build: 'docker', image: 'reg.example.com/orders@sha256:' + 'b'.repeat(64) },
      /has a digest, but build: docker pushes a new image/,
    ],
    [{ build: 'docker', image: 'orders:1' }, /'orders:1' does not name a registry to push to/],
    [
      { registry: 'https://reg.example.com' },
      /input 'registry': 'https:\/\/reg.example.com' is not a registry login server/,
    ],
    [{ registry: 'acr' }, /neither an ACR name .* nor a login server/],
    [{ registry: 'myacr01', cloud: 'https://management.local' }, /give the login server of the registry/],
    [
      { registry: 'reg.example.com', repository: 'Team/Orders' },
      /input 'repository': 'Team\/Orders' is not a repository path/,
    ],
    [{ registry: 'reg.example.com', tag: '-bad' }, /input 'tag': '-bad' is not an image tag/],
    [{ registry: 'reg.example.com', platform: 'amd64' }, /input 'platform': 'amd64' is not a platform/],
    [
      { registry: 'reg.example.com', 'registry-username': 'bot' },
      /input 'registry-password' is required with input 'registry-username'/,
    ],
  ])('%j is refused', (extra, message) => {
    expect(() => plan(extra)).toThrow(message);
  });

  test('a password given without a user name is refused without being quoted', () => {
    expect(() => plan({ registry: 'reg.example.com', 'registry-password': 'pw-never-shown' })).toThrow(
      /^input 'registry-username' is required with input 'registry-password'$/,
    );
  });
});
