import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appWith, workFolder } from './temp-app.js';
import yaml from 'js-yaml';
import { camelCase, INPUTS } from '../../src/inputs/schema.js';
import { REPO_ROOT } from './shared-fixtures.js';
import { outputVariables, runTask } from '../task-runner/run-task.js';
import { captureOutput, captureSecrets } from '../captured.js';
import { asShown } from '../../stack/leak-scan.mjs';

const DEPLOY_INPUTS = INPUTS.filter((input) => input.commands.includes('deploy'));
const ACTION_INPUTS = DEPLOY_INPUTS.filter((input) => !input.serviceConnection);
const SECRET = 'Endpoint=sb://bus/;SharedAccessKey=c2VjcmV0LXZhbHVl';
const work = workFolder('shells');
const CONNECTION_PASSWORD = 'pa55word-123';
captureSecrets([SECRET, CONNECTION_PASSWORD]);

// What a deploy must mask: a storage key, and a password that only its setting's name tells is one.
const STORAGE_CONNECTION =
  'DefaultEndpointsProtocol=https;AccountName=orders;AccountKey=b3JkZXJzLXN0b3JhZ2UtYWNjb3VudC1rZXk=';
const DB_PASSWORD = 'correct-horse-battery';
captureSecrets([STORAGE_CONNECTION, Buffer.from(STORAGE_CONNECTION).toString('base64'), DB_PASSWORD]);
// Node 20 raises the deprecations of dependencies that Node 24, which runs the Action, raises by default.
const NODE_24_DEPRECATIONS = { NODE_OPTIONS: '--pending-deprecation' };
// Loads the cluster half (client-node and its dependencies), then stops at once: its context names no cluster.
const KUBECONFIG_WITHOUT_CLUSTER =
  'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: prod\n';
// Not an ACR: no Azure sign-in before the cluster.
const OTHER_REGISTRY_IMAGE = 'reg.example.io/orders:1';
const deprecations = (output: string) => output.split('\n').filter((line) => line.includes('DeprecationWarning'));

function run(entry: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', entry)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  captureOutput(result.stdout + result.stderr);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Every occurrence of the secret is in a mask command, and each mask comes before any other use. The mask must be
 * the bare value: a mask of a longer text holding it hides only that text, not the secret printed alone.
 */
function expectMaskedFirst(stdout: string, maskCommand: string, secret = SECRET) {
  const lines = stdout.split('\n');
  const firstMask = lines.indexOf(`${maskCommand}${secret}`);
  expect(firstMask).toBeGreaterThanOrEqual(0);
  lines.forEach((line, index) => {
    if (line.includes(secret) && !line.startsWith(maskCommand)) {
      // Printed after the mask was registered, so the runner shows *** instead.
      expect(index).toBeGreaterThan(firstMask);
    }
  });
}

/** GITHUB_OUTPUT as the runner reads it: `name<<DELIMITER` blocks. */
function githubOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[match[1] as string] = match[3] as string;
  return outputs;
}

describe('action.yml and task.json agree with the schema', () => {
  const action = yaml.load(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as Record<string, any>;
  const task = JSON.parse(readFileSync(join(REPO_ROOT, 'task.json'), 'utf8'));

  test('action.yml: every input, in order, with its description, default and required flag', () => {
    expect(Object.keys(action.inputs)).toEqual(ACTION_INPUTS.map((input) => input.name));
    for (const input of ACTION_INPUTS) {
      expect(action.inputs[input.name]).toEqual({
        description: input.description,
        required: input.requiredBy?.includes('deploy') ?? false,
        ...(input.default !== undefined ? { default: input.default } : {}),
      });
    }
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/action.js',
      post: 'dist/action-post.js',
      'post-if': 'always()',
    });
  });

  test('task.json: camelCase inputs with the same defaults, pick lists for enums, both Node handlers', () => {
    expect(task.inputs.map((input: { name: string }) => input.name)).toEqual(
      DEPLOY_INPUTS.map((input) => camelCase(input.name)),
    );
    for (const input of DEPLOY_INPUTS) {
      const entry = task.inputs.find((candidate: { name: string }) => candidate.name === camelCase(input.name));
      expect(entry.defaultValue).toBe(input.default);
      expect(entry.helpMarkDown).toBe(input.description);
      if (input.kind === 'enum') expect(Object.keys(entry.options)).toEqual(input.values);
      if (input.kind === 'boolean') expect(entry.type).toBe('boolean');
      if (input.serviceConnection) expect(entry.type).toBe(`connectedService:${input.serviceConnection}`);
      expect(entry.visibleRule).toBe(input.visibleRule);
      expect(task.groups.map((group: { name: string }) => group.name)).toContain(entry.groupName);
    }
    expect(Object.keys(task.execution)).toEqual(['Node20_1', 'Node24']);
    expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  test('every visibleRule compares an enum or boolean input of the task with one of its values', () => {
    const rules = DEPLOY_INPUTS.flatMap((input) => (input.visibleRule ? [input.visibleRule] : []));
    expect(rules.length).toBeGreaterThan(5);
    for (const rule of rules) {
      for (const condition of rule.split(/\s*(?:&&|\|\|)\s*/)) {
        const [, name, value] = /^(\w+) (?:=|!=) ([\w-]+)$/.exec(condition) ?? [];
        const input = DEPLOY_INPUTS.find((candidate) => camelCase(candidate.name) === name);
        expect({ rule, condition, input: input?.name }).toEqual({ rule, condition, input: expect.any(String) });
        expect(input?.kind === 'boolean' ? ['true', 'false'] : input?.values).toContain(value);
      }
    }
  });

  test.each(['render', 'deploy', 'delete', 'remove-keda'] as const)(
    'the CLI: %s --help lists exactly the schema inputs of the command, none of the service connections',
    (command) => {
      const help = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), command, '--help'], {
        encoding: 'utf8',
      });
      const flags = [...help.stdout.matchAll(/^ {2}--([a-z0-9-]+)/gm)]
        .map((match) => match[1])
        .filter((flag) => flag !== 'debug');
      expect(flags).toEqual(
        INPUTS.filter((input) => input.commands.includes(command) && !input.serviceConnection).map(
          (input) => input.name,
        ),
      );
    },
  );

  test('the Azure Pipelines examples give the task only inputs task.json has, and every required one', () => {
    const folder = join(REPO_ROOT, 'examples', 'azure-pipelines');
    const steps = readdirSync(folder).flatMap((file) =>
      (
        (
          yaml.load(readFileSync(join(folder, file), 'utf8')) as {
            steps: { task?: string; inputs?: Record<string, unknown> }[];
          }
        ).steps ?? []
      ).filter((step) => step.task === 'AksFunctionsDeploy@0'),
    );
    expect(steps.length).toBeGreaterThanOrEqual(2);
    const names = task.inputs.map((input: { name: string }) => input.name);
    const required = task.inputs
      .filter((input: { required: boolean }) => input.required)
      .map((input: { name: string }) => input.name);
    for (const step of steps) {
      expect(Object.keys(step.inputs ?? {}).filter((name) => !names.includes(name))).toEqual([]);
      expect(required.filter((name: string) => !(name in (step.inputs ?? {})))).toEqual([]);
    }
  });

  test('the README documents every render option', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const input of INPUTS.filter((spec) => spec.commands.includes('render')))
      expect(readme).toContain(`\`--${input.name}\``);
  });

  test("the README's render table lists the render options in the schema's order, with the schema's defaults", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('| option | default | meaning |');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    const rows = [...table.matchAll(/^\| `--([a-z0-9-]+)`(?:, `--[a-z0-9-]+`)* \| ([^|]*) \|/gm)].map((match) => [
      match[1],
      match[2]?.trim(),
    ]);
    expect(rows).toEqual(
      INPUTS.filter((spec) => spec.commands.includes('render')).map((spec) => [spec.name, spec.default ?? '']),
    );
  });

  test("the README's output table lists exactly the outputs of action.yml and task.json", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| output | what |'));
    const documented = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([a-z-]+)` \|/gm)].map(
      (match) => match[1],
    );
    expect(documented).toEqual(Object.keys(action.outputs));
    expect(task.outputVariables.map((output: { name: string }) => output.name)).toEqual(Object.keys(action.outputs));
  });
});

describe("the Action's post step", () => {
  test('removes what the main step recorded in its state and did not remove', () => {
    const left = [appWith(work, { 'config.json': '{"auths":{}}' }), appWith(work, { x: '' })];
    const result = run('action-post.js', { 'STATE_pending-cleanup': JSON.stringify(left) });
    expect(result.status).toBe(0);
    for (const path of left) expect(existsSync(path)).toBe(false);
    expect(result.stdout).toContain(`removed ${left[0]}`);
  });

  test('after a main step that cleaned up, removes nothing and says nothing', () => {
    const kept = appWith(work, { x: '' });
    const result = run('action-post.js', { 'STATE_pending-cleanup': '[]' });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
    expect(existsSync(kept)).toBe(true);
  });
});

describe('the GitHub Action, run as the runner runs it', () => {
  const inputs = (extra: Record<string, string>) => ({
    INPUT_NAME: 'orders',
    'INPUT_APP-PATH': 'examples/orders',
    INPUT_IMAGE: 'myacr.azurecr.io/orders:1',
    'INPUT_DRY-RUN': 'true',
    'INPUT_APP-SETTINGS': `AzureWebJobsStorage=${SECRET}\nFUNCTIONS_WORKER_RUNTIME=node`,
    ...extra,
  });

  test('dry-run renders under a log group, masks the settings first and sets the manifests output', () => {
    const output = join(work, 'github-output');
    const summary = join(work, 'github-step-summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const result = run('action.js', { ...inputs({}), GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
    expect(result.status).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(
      /^### orders deployed\n\n\| \| \|\n\|---\|---\|\n\| image \| `myacr\.azurecr\.io\/orders:1` \|\n\| namespace \| `default` \|\n\| rollout \| dry run: nothing applied \|/,
    );
    expect(readFileSync(summary, 'utf8')).not.toContain(SECRET);
    expectMaskedFirst(result.stdout, '::add-mask::');
    expect(result.stdout).toMatch(/^::group::Discover and render the app\n(?:.*\n)*?::endgroup::$/m);
    const written = readFileSync(output, 'utf8');
    const outputs = githubOutputs(written);
    expect(outputs.image).toBe('myacr.azurecr.io/orders:1');
    const objects = yaml.loadAll(outputs.manifests ?? '') as { kind: string; metadata: { name: string } }[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toContain('ScaledObject/orders');
    expect(written).not.toContain(SECRET);
    expect(written).not.toContain(Buffer.from(SECRET).toString('base64'));
  });

  test('a broken function.json fails with an annotation on the file and line', () => {
    const app = appWith(work, {
      'host.json': '{"version": "2.0"}',
      'F/function.json': '{\n  "bindings": [\n    {"type": "queueTrigger",}\n  ]\n}',
    });
    const result = run('action.js', inputs({ 'INPUT_APP-PATH': app }));
    expect(result.status).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toEqual([
      `::error file=${join(app, 'F', 'function.json')},line=3,col=29::${join(app, 'F', 'function.json')}:3:29: invalid JSON: property name expected`,
    ]);
  });

  test('a bad input fails with one error naming it', () => {
    const result = run('action.js', inputs({ 'INPUT_MAX-REPLICAS': 'ten' }));
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      "::error::input 'max-replicas': 'ten' is not a whole number of 0 or more",
    ]);
  });
});

describe('the log of the orders example, as the runner shows it', () => {
  const orders = {
    INPUT_NAME: 'orders',
    'INPUT_APP-PATH': 'examples/orders',
    'INPUT_SETTINGS-FILE': 'examples/orders/local.settings.json',
    INPUT_IMAGE: 'myacr.azurecr.io/orders:1',
    'INPUT_APP-SETTINGS': `AzureWebJobsStorage=${STORAGE_CONNECTION}\nOrdersDbPassword=${DB_PASSWORD}`,
    ...NODE_24_DEPRECATIONS,
  };

  test('a dry run shows the worker runtime and the queue name, and no secret', () => {
    const result = run('action.js', { ...orders, 'INPUT_DRY-RUN': 'true' });
    expect(result.status).toBe(0);
    const shown = asShown(result.stdout.split('\n')).join('\n');
    expect(shown).toContain('functions: GetOrder (httpTrigger), ProcessOrder (queueTrigger); worker runtime node');
    expect(shown).toContain(
      'ScaledObject orders: azure-queue (queueName: orders, connectionFromEnv: AzureWebJobsStorage)',
    );
    expect(shown).toContain('queueName: orders');
    expectMaskedFirst(result.stdout, '::add-mask::', STORAGE_CONNECTION);
    expectMaskedFirst(result.stdout, '::add-mask::', DB_PASSWORD);
    for (const secret of [STORAGE_CONNECTION, DB_PASSWORD]) expect(shown).not.toContain(secret);
    expect(deprecations(result.stdout + result.stderr)).toEqual([]);
  });

  test('the Action loading the cluster client prints no DeprecationWarning, and still its error', () => {
    const result = run('action.js', {
      ...orders,
      INPUT_IMAGE: OTHER_REGISTRY_IMAGE,
      INPUT_KUBECONFIG: KUBECONFIG_WITHOUT_CLUSTER,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error::input 'kubeconfig': its current context names no cluster");
    expect(deprecations(result.stdout + result.stderr)).toEqual([]);
  });

  test('the task loading the cluster client prints no DeprecationWarning, and still its error', async () => {
    const result = await runTask({
      inputs: {
        name: 'orders',
        appPath: 'examples/orders',
        image: OTHER_REGISTRY_IMAGE,
        kubeconfig: KUBECONFIG_WITHOUT_CLUSTER,
      },
      env: NODE_24_DEPRECATIONS,
    });
    expect(result.errorIssues).toEqual(["input 'kubeconfig': its current context names no cluster"]);
    expect(deprecations(result.stdout + result.stderr)).toEqual([]);
  });
});

describe("the Azure Pipelines task, through the task library's MockTestRunner", () => {
  const inputs = {
    name: 'orders',
    appPath: 'examples/orders',
    image: 'myacr.azurecr.io/orders:1',
    dryRun: 'true',
    appSettings: `AzureWebJobsStorage=${SECRET}`,
  };

  test('dry-run renders, masks the settings before the task library logs them, sets the output variable, groups the log', async () => {
    const result = await runTask({ inputs });
    expect(result.succeeded).toBe(true);
    expectMaskedFirst(result.stdout, '##vso[task.setsecret]');
    expect(outputVariables(result.stdout).manifests).toMatch(/^apiVersion: v1\nkind: Secret\n/);
    expect(result.stdout).toMatch(/^##\[group\]Discover and render the app\n(?:.*\n)*?##\[endgroup\]$/m);
    const uploaded = /^##vso\[task\.uploadsummary\](.+)$/m.exec(result.stdout)?.[1] ?? '';
    expect(readFileSync(uploaded, 'utf8')).toMatch(/^### orders deployed\n/);
    // The result line comes from task.json's messages.
    expect(result.stdout).toContain(
      '##vso[task.complete result=Succeeded;]Dry run of orders in namespace default: nothing was changed',
    );
  });

  test('a bad input fails the task with the message', async () => {
    const result = await runTask({ inputs: { ...inputs, serviceType: 'Ingress' } });
    expect(result.succeeded).toBe(false);
    expect(result.errorIssues).toEqual([
      "input 'service-type': 'Ingress' is not one of LoadBalancer, ClusterIP, NodePort",
    ]);
  });

  // Connections that cannot work are refused before anything is built or changed.
  test.each([
    [
      'a Kubernetes connection together with a kubeconfig',
      { kubernetesServiceConnection: 'k8s', kubeconfig: 'apiVersion: v1' },
      { k8s: { scheme: 'Kubernetes', data: { authorizationType: 'Kubeconfig' } } },
      "input 'kubernetesServiceConnection' is given together with 'kubeconfig': give one way to the cluster",
    ],
    [
      'a Kubernetes connection whose kubeconfig lacks the context it names',
      { kubernetesServiceConnection: 'k8s' },
      {
        k8s: {
          scheme: 'Kubernetes',
          auth: {
            kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
            clusterContext: 'prod',
          },
          data: { authorizationType: 'Kubeconfig' },
        },
      },
      "input 'kubernetesServiceConnection': the service connection's kubeconfig has no context prod",
    ],
    [
      'a registry connection with workload identity',
      { dockerRegistryServiceConnection: 'acr' },
      { acr: { scheme: 'WorkloadIdentityFederation', data: { registrytype: 'ACR' } } },
      /^input 'dockerRegistryServiceConnection': service connection acr logs in with workloadidentityfederation, which this task cannot turn into a registry login; .* registryLogin: azure$/,
    ],
    [
      'a registry connection to another registry than the one named',
      { dockerRegistryServiceConnection: 'hub', registry: 'myacr.azurecr.io', image: '' },
      {
        hub: {
          scheme: 'UsernamePassword',
          auth: { registry: 'https://index.docker.io/v1/', username: 'me', password: CONNECTION_PASSWORD },
        },
      },
      "input 'dockerRegistryServiceConnection': service connection hub logs into index.docker.io, but input 'registry' is myacr.azurecr.io",
    ],
    [
      'an Azure connection with a scheme the task cannot use',
      { azureSubscription: 'arm' },
      { arm: { scheme: 'PublishProfile' } },
      /^input 'azureSubscription': service connection arm signs in with publishprofile, which this task does not support/,
    ],
    [
      'a connection the pipeline does not have',
      { kubernetesServiceConnection: 'missing' },
      {},
      "input 'kubernetesServiceConnection': no service connection missing in this pipeline",
    ],
  ])('%s is an input error', async (_, extra, endpoints, message) => {
    const result = await runTask({ inputs: { ...inputs, ...extra }, endpoints });
    expect(result.succeeded).toBe(false);
    expect(result.errorIssues).toEqual([message instanceof RegExp ? expect.stringMatching(message) : message]);
    // A connection's password is masked before anything can print it.
    if (JSON.stringify(endpoints).includes(CONNECTION_PASSWORD))
      expectMaskedFirst(result.stdout, '##vso[task.setsecret]', CONNECTION_PASSWORD);
  });
});

describe('the Azure Pipelines extension', () => {
  test('npm run package:azdo builds a .vsix holding the task and the bundle it runs', () => {
    const packed = spawnSync('npm', ['run', '--silent', 'package:azdo'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const vsix = join(
      REPO_ROOT,
      `aks-functions-deploy-${JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version}.vsix`,
    );
    const listing = spawnSync('python3', ['-m', 'zipfile', '-l', vsix], { encoding: 'utf8' }).stdout;
    for (const file of ['extension.vsomanifest', 'task/task.json', 'task/dist/task.js'])
      expect(listing).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}\\s`, 'm'));
    expect(listing).not.toMatch(/node_modules/);
  }, 120_000);
});
