// Writes action.yml and task.json from the input schema (src/inputs/schema.ts),
// so the three spellings of an input cannot drift apart. A unit test checks
// the committed files against the schema.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';

const bundled = await build({
  entryPoints: ['src/inputs/schema.ts'],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const { INPUTS, camelCase } = await import(
  `data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`
);
const PACKAGE_VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version;
const inputs = INPUTS.filter((input) => input.commands.includes('deploy'));
const required = (input) => input.requiredBy?.includes('deploy') ?? false;
const OUTPUTS = {
  image: 'The image deployed: registry/repository@sha256:… when built and pushed here.',
  digest: 'The image digest (sha256:…), when known.',
  manifests: 'The rendered objects as YAML, Secret values redacted unless show-secrets.',
  deployments: 'The Deployments of the app, as a JSON list.',
  'keda-version': 'The KEDA version in the cluster.',
  'rollout-seconds': 'How long the rollout took to become healthy.',
  'service-ip': 'The address of the HTTP Service: its LoadBalancer IP or host name, else its cluster IP.',
  'function-urls':
    'The URL of each HTTP function, as a JSON object; with show-secrets, including the key (?code=) once the host has written it.',
  timings:
    'Seconds each stage took, as a JSON object: signIn, image (build and push), cluster (credentials and KEDA), apply, rollout, total.',
};

const action = {
  name: 'AKS Functions Deploy',
  description:
    'Ship an Azure Functions app to AKS with KEDA: build, push, credentials, KEDA, manifests and a checked rollout.',
  author: 'aks-functions-deploy',
  branding: { icon: 'upload-cloud', color: 'blue' },
  inputs: Object.fromEntries(
    inputs
      .filter((input) => !input.serviceConnection)
      .map((input) => [
        input.name,
        {
          description: input.description,
          required: required(input),
          ...(input.default !== undefined ? { default: input.default } : {}),
        },
      ]),
  ),
  outputs: Object.fromEntries(Object.entries(OUTPUTS).map(([name, description]) => [name, { description }])),
  runs: { using: 'node24', main: 'dist/action.js', post: 'dist/action-post.js', 'post-if': 'always()' },
};
writeFileSync(
  'action.yml',
  `# Generated from src/inputs/schema.ts by npm run metadata: edit the schema, not this file.\n${yaml.dump(action, { lineWidth: -1, noRefs: true })}`,
);

const GROUPS = {
  app: 'Function app',
  image: 'Image',
  registry: 'Registry',
  azure: 'Azure identity',
  cluster: 'Cluster',
  settings: 'App settings',
  scaling: 'Scaling',
  keda: 'KEDA',
  rollout: 'Rollout',
  output: 'Output',
};
const TASK_TYPE = {
  boolean: 'boolean',
  text: 'multiLine',
  enum: 'pickList',
  path: 'string',
  string: 'string',
  integer: 'string',
  duration: 'string',
};
const task = {
  $schema: 'https://raw.githubusercontent.com/Microsoft/azure-pipelines-task-lib/master/tasks.schema.json',
  id: '6f4d3a52-8e0b-4f5e-9a53-2c1f7b9d8e41',
  name: 'AksFunctionsDeploy',
  friendlyName: 'AKS Functions Deploy',
  description: action.description,
  category: 'Deploy',
  author: 'aks-functions-deploy',
  // The task's version is the package's: the .vsix packaging checks they agree.
  version: Object.fromEntries(
    ['Major', 'Minor', 'Patch'].map((part, index) => [part, Number(PACKAGE_VERSION.split('.')[index])]),
  ),
  instanceNameFormat: 'Deploy $(name) to AKS',
  groups: Object.entries(GROUPS).map(([name, displayName]) => ({ name, displayName, isExpanded: name === 'app' })),
  inputs: inputs.map((input) => ({
    name: camelCase(input.name),
    type: input.serviceConnection ? `connectedService:${input.serviceConnection}` : TASK_TYPE[input.kind],
    label: input.name,
    required: required(input),
    ...(input.default !== undefined ? { defaultValue: input.default } : {}),
    ...(input.values ? { options: Object.fromEntries(input.values.map((value) => [value, value])) } : {}),
    groupName: input.group,
    ...(input.visibleRule ? { visibleRule: input.visibleRule } : {}),
    helpMarkDown: input.description,
  })),
  outputVariables: Object.entries(OUTPUTS).map(([name, description]) => ({ name, description })),
  // The task's result lines, through the task library's loc(): translatable where the agent has a translation.
  messages: {
    Deployed: 'Deployed %s to namespace %s: %s',
    DryRun: 'Dry run of %s in namespace %s: nothing was changed',
  },
  execution: { Node20_1: { target: 'dist/task.js' }, Node24: { target: 'dist/task.js' } },
};
writeFileSync('task.json', `${JSON.stringify(task, null, 2)}\n`);
console.log(`action.yml and task.json: ${inputs.length} inputs`);
