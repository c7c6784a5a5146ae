// ACR Tasks stand-in (the Microsoft.ContainerRegistry resource provider behind
// ARM): the registry resource, and the quick-run operations `az acr build`
// uses: listBuildSourceUploadUrl, scheduleRun, runs/{id} and listLogSasUrl.
// The run itself is in acr-build.mjs.
import crypto from 'node:crypto';
import { executeRun, setRun } from './acr-build.mjs';
import { armError, armNotFound, readBody, sendJson } from './http.mjs';
import { isoNow, uuid } from './state.mjs';

const registryId = (o) =>
  `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${o.registryName}`;

function registryResource(state) {
  const o = state.options;
  return {
    sku: { name: 'Standard', tier: 'Standard' },
    type: 'Microsoft.ContainerRegistry/registries',
    id: registryId(o),
    name: o.registryName,
    location: o.location,
    tags: {},
    properties: {
      loginServer: state.acrLoginServer(),
      creationDate: '2025-01-01T00:00:00.0000000Z',
      provisioningState: 'Succeeded',
      adminUserEnabled: Boolean(o.registry),
      publicNetworkAccess: 'Enabled',
      anonymousPullEnabled: false,
      policies: state.registryPolicies,
    },
  };
}

/**
 * The registry routes ARM hands over (`registries`, `registry`, `uploadUrl`, `scheduleRun`, `run`,
 * `runLog`), and `close()`, which stops running builds and deletes the storage container.
 */
export function createAcrTasks(state) {
  const o = state.options;
  // `az acr build` as ACR runs it: the context goes to a SAS URL in the registry's storage, a
  // DockerBuildRequest queues a run, the run builds and pushes, and its log is an append blob the
  // client reads in ranges. Here the storage is Azurite (one container per start, so run IDs never
  // meet an old log), the build runs on the stack's Docker daemon with the legacy builder (there
  // is no buildx), and the push goes straight to the registry behind the ACR proxy.
  const tasks = {
    runs: new Map(),
    children: new Set(),
    count: 0,
    // ACR run IDs are short: a two-letter prefix and a base-36 counter (ca1, ca2, … ca1a).
    prefix: `c${String.fromCharCode(97 + crypto.randomInt(26))}`,
    containerName: `acrtasks-${crypto.randomBytes(4).toString('hex')}`,
    container: undefined,
    /** The Azurite container, made on first use; @azure/storage-blob is loaded only then. */
    async storage() {
      tasks.container ??= (async () => {
        const connectionString = state.options.storage?.connectionString;
        if (!connectionString)
          throw new Error('ACR Tasks need options.storage.connectionString (or AZURE_STORAGE_CONNECTION_STRING)');
        const blob = await import('@azure/storage-blob');
        tasks.BlobSASPermissions = blob.BlobSASPermissions;
        const container = blob.BlobServiceClient.fromConnectionString(connectionString).getContainerClient(
          tasks.containerName,
        );
        await container.createIfNotExists();
        return container;
      })().catch((e) => {
        tasks.container = undefined;
        throw e;
      });
      return tasks.container;
    },
    /** A SAS URL for one blob, signed with the account key as the registry's storage signs it. */
    sasUrl: (blob, permissions) =>
      blob.generateSasUrl({
        permissions: tasks.BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      }),
  };

  async function handle(req, res, route) {
    // One registry, in the stand-in's resource group: both list scopes find it.
    if (route.kind === 'registries') return sendJson(res, 200, { value: [registryResource(state)] });
    if (route.name.toLowerCase() !== o.registryName.toLowerCase())
      return armNotFound(res, route, `Microsoft.ContainerRegistry/registries/${route.name}`);
    if (route.kind === 'registry') return sendJson(res, 200, registryResource(state));
    if (route.kind === 'uploadUrl') return sourceUploadUrl(tasks, res);
    if (route.kind === 'scheduleRun') return scheduleRun(state, tasks, req, res);
    const run = tasks.runs.get(route.runId);
    if (!run)
      return armNotFound(res, route, `Microsoft.ContainerRegistry/registries/${route.name}/runs/${route.runId}`);
    if (route.kind === 'run') return sendJson(res, 200, runResource(state, run));
    // route.kind === 'runLog'
    return sendJson(res, 200, { logLink: await tasks.sasUrl(run.log, 'r') });
  }

  async function close() {
    tasks.closed = true;
    for (const child of tasks.children) child.kill();
    await tasks.container?.then((c) => c.deleteIfExists()).catch(() => undefined);
  }

  return { handle, close };
}

/** POST listBuildSourceUploadUrl: a write SAS for a fresh block blob and the path a run request names it by. */
async function sourceUploadUrl(tasks, res) {
  const container = await tasks.storage();
  const relativePath = `source/${isoNow().replace(/\D/g, '').slice(0, 12)}/${uuid()}.tar.gz`;
  return sendJson(res, 200, {
    relativePath,
    uploadUrl: await tasks.sasUrl(container.getBlockBlobClient(relativePath), 'rw'),
  });
}

/** POST scheduleRun: queues a DockerBuildRequest and answers 200 with the queued Run (the SDK's LRO is then done). */
async function scheduleRun(state, tasks, req, res) {
  const request = JSON.parse((await readBody(req)) || '{}');
  const bad = (message) => armError(res, 400, 'BadRequest', message);
  if (request.type !== 'DockerBuildRequest')
    return bad(`The stand-in runs only a DockerBuildRequest, not '${request.type}'.`);
  if (!request.dockerFilePath) return bad("Required property 'dockerFilePath' is missing.");
  if (!request.platform?.os) return bad("Required property 'platform.os' is missing.");
  if (!request.sourceLocation) return bad("Required property 'sourceLocation' is missing.");
  if (request.isPushEnabled && !request.imageNames?.length)
    return bad("'imageNames' is required when 'isPushEnabled' is true.");
  const container = await tasks.storage();
  const runId = `${tasks.prefix}${(++tasks.count).toString(36)}`;
  const log = container.getAppendBlobClient(`logs/${runId}/rawtext.log`);
  await log.create();
  const t = isoNow();
  const run = { runId, status: 'Queued', createTime: t, lastUpdatedTime: t, request, log };
  tasks.runs.set(runId, run);
  setImmediate(() =>
    executeRun(state, tasks, run).catch((e) =>
      setRun(run, { status: 'Failed', finishTime: isoNow(), runErrorMessage: e.message }),
    ),
  );
  return sendJson(res, 200, runResource(state, run));
}

function runResource(state, run) {
  const { os: runOs = 'Linux', architecture = 'amd64', variant } = run.request.platform ?? {};
  const optional = Object.fromEntries(
    ['startTime', 'finishTime', 'outputImages', 'runErrorMessage']
      .filter((k) => run[k] !== undefined)
      .map((k) => [k, run[k]]),
  );
  return {
    type: 'Microsoft.ContainerRegistry/registries/runs',
    id: `${registryId(state.options)}/runs/${run.runId}`,
    name: run.runId,
    properties: {
      runId: run.runId,
      status: run.status,
      lastUpdatedTime: run.lastUpdatedTime,
      runType: 'QuickRun',
      createTime: run.createTime,
      ...optional,
      platform: { os: runOs, architecture, ...(variant ? { variant } : {}) },
      agentConfiguration: { cpu: 2 },
      provisioningState: 'Succeeded',
      isArchiveEnabled: Boolean(run.request.isArchiveEnabled),
    },
  };
}
