import { BUILD, DEPLOY, type InputSpec } from './spec.js';

/** The image's inputs: what to deploy or build, and the registry it goes to. */

export const IMAGE_INPUTS: readonly InputSpec[] = [
  {
    name: 'image',
    group: 'image',
    kind: 'string',
    commands: BUILD,
    requiredBy: ['render'],
    description: 'Deploy this image and skip the build.',
  },
  {
    name: 'registry',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description:
      'Registry to push the built image to: an ACR name (myacr) or a login server (myacr.azurecr.io, host:port).',
  },
  {
    name: 'repository',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Repository in the registry. Default: the app name.',
  },
  {
    name: 'tag',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Image tag. Default: the commit SHA of the run, else a hash of the build inputs.',
  },
  {
    name: 'build',
    group: 'image',
    kind: 'enum',
    commands: DEPLOY,
    values: ['docker', 'acr', 'none'],
    description:
      'How to build: docker (the local Docker), acr (ACR Tasks, in Azure: no Docker needed), none. Default: none when image is given, else docker.',
  },
  {
    name: 'dockerfile',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'path',
    commands: DEPLOY,
    default: 'Dockerfile',
    description: 'Dockerfile, relative to the build context.',
  },
  {
    name: 'build-context',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'path',
    commands: DEPLOY,
    description: 'Build context. Default: app-path.',
  },
  {
    name: 'build-args',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'text',
    commands: DEPLOY,
    description: 'Build arguments, one KEY=VALUE a line.',
  },
  {
    name: 'platform',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    default: 'linux/amd64',
    description: 'Target platform of the image.',
  },
  {
    name: 'target',
    visibleRule: 'build != none',
    group: 'image',
    kind: 'string',
    commands: DEPLOY,
    description: 'Build stage of a multi-stage Dockerfile to build.',
  },
];

export const REGISTRY_INPUTS: readonly InputSpec[] = [
  {
    name: 'registry-username',
    visibleRule: 'registryLogin != azure',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    description: 'Registry user name; without it, see registry-login.',
  },
  {
    name: 'registry-password',
    visibleRule: 'registryLogin != azure',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    secret: true,
    description: 'Registry password or token.',
  },
  {
    name: 'docker-registry-service-connection',
    group: 'registry',
    kind: 'string',
    commands: DEPLOY,
    serviceConnection: 'dockerregistry',
    description:
      'A Docker Registry service connection to log into instead of registry-username and registry-password: user name and password, or an Azure Container Registry with a service principal. Sets registry when neither registry nor image is given.',
  },
  {
    name: 'registry-login',
    group: 'registry',
    kind: 'enum',
    commands: DEPLOY,
    default: 'auto',
    values: ['auto', 'azure', 'docker'],
    description:
      "Without a user name: azure exchanges the Azure identity's token at the registry (ACR); docker uses Docker's own login; auto: azure for the cloud's ACR login servers (*.azurecr.io), else docker.",
  },
];
