// AKS run command stand-in: ManagedClusters_RunCommand and ManagedClusters_GetCommandResult
// (Azure/azure-rest-api-specs specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/
// 2025-10-01/managedClusters.json, examples RunCommandRequest.json and RunCommandResultFailed.json): the POST takes
// RunCommandRequest { command, context (a base64 zip of the files the command reads), clusterToken (for an Entra ID
// cluster) } and answers 202 with a Location to poll; the GET of commandResults/{id} answers 202 with that Location
// while the command runs, then 200 with RunCommandResult { id, properties: { provisioningState, exitCode, startedAt,
// finishedAt, logs, reason } }. Where AKS runs the command in a pod with kubectl, this runs it for real with the
// stack's kubectl (stack/go/kubectl) in a temporary folder holding the unpacked context, against the local apiserver.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import JSZip from 'jszip';
import { binary } from '../cluster/go-builds.mjs';
import { checkEntraToken } from './entra.mjs';
import { armError, readBody, sendJson } from './http.mjs';
import { AKS_SERVER_APP_ID, isoNow, uuid } from './state.mjs';

/** How much of a command's output the truncated-log fault keeps. */
const TRUNCATED_LOG_CHARACTERS = 200;

/**
 * The kubeconfig the command's kubectl uses: the cluster's admin one, or for an Entra ID cluster the same cluster
 * with the caller's cluster token as its user, so the apiserver judges that identity as it judges a direct deploy's.
 */
function commandKubeconfig(o, clusterToken) {
  if (!clusterToken) return o.kubeconfig;
  const config = yaml.load(o.kubeconfig);
  config.users = config.users.map((user) => ({ name: user.name, user: { token: clusterToken } }));
  return yaml.dump(config);
}

/** The reason the request cannot run, as AKS refuses it, or undefined. */
function refusal(state, clusterToken) {
  const { cluster } = state;
  if (cluster.aadManaged) {
    if (!clusterToken)
      return 'The cluster is AAD enabled: a clusterToken for the AKS AAD server application is required.';
    const known = clusterToken === state.options.aksServerToken;
    const audiences = [AKS_SERVER_APP_ID, `api://${AKS_SERVER_APP_ID}`];
    if (!known && !checkEntraToken(state, clusterToken, audiences).claims) return 'The clusterToken is not valid.';
    return undefined;
  }
  if (cluster.disableLocalAccounts)
    return 'Getting static credential is not allowed because this cluster is set to disable local accounts.';
  return undefined;
}

async function unpack(context, dir) {
  if (!context) return;
  const zip = await JSZip.loadAsync(Buffer.from(context, 'base64'));
  for (const entry of Object.values(zip.files)) {
    const target = path.join(dir, entry.name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`context entry outside its folder: ${entry.name}`);
    if (entry.dir) fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await entry.async('nodebuffer'));
    }
  }
}

/** Runs the command in a folder of its own; resolves to its exit code and its output (stdout and stderr). */
async function execute(state, request) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-run-command-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'afd-run-command-home-'));
  try {
    await unpack(request.context, dir);
    const kubeconfig = path.join(home, 'config');
    fs.writeFileSync(kubeconfig, commandKubeconfig(state.options, request.clusterToken), { mode: 0o600 });
    const kubectl = path.dirname(binary('kubectl', 'kubectl'));
    const env = { PATH: `${kubectl}:/usr/bin:/bin`, HOME: home, KUBECONFIG: kubeconfig };
    return await new Promise((resolve) => {
      const child = spawn('sh', ['-c', request.command], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks = [];
      child.stdout.on('data', (chunk) => chunks.push(chunk));
      child.stderr.on('data', (chunk) => chunks.push(chunk));
      child.on('error', (error) => resolve({ exitCode: 127, logs: String(error) }));
      child.on('close', (code) => resolve({ exitCode: code ?? 1, logs: Buffer.concat(chunks).toString('utf8') }));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The command as AKS would report it, with the fault the tests chose (`state.cluster.runCommandFault`): `podFailed`
 * (the command pod never starts), `timeout` (it ran out of time) or `truncated` (its logs were cut short); after
 * `state.cluster.runCommandFaultAfter` commands that run as asked.
 */
async function runCommand(state, request) {
  const startedAt = isoNow();
  // `runCommandFaultAfter: n`: the next n commands run as asked, the fault hits the ones after them.
  const spared = state.cluster.runCommandFaultAfter > 0;
  if (spared) state.cluster.runCommandFaultAfter -= 1;
  const fault = spared ? undefined : state.cluster.runCommandFault;
  if (fault === 'podFailed') return { provisioningState: 'Failed', reason: 'ImagePullBackoff' };
  if (fault === 'timeout')
    return { provisioningState: 'Failed', startedAt, finishedAt: isoNow(), reason: 'command timed out' };
  const { exitCode, logs } = await execute(state, request);
  const kept = fault === 'truncated' ? logs.slice(0, TRUNCATED_LOG_CHARACTERS) : logs;
  return { provisioningState: 'Succeeded', exitCode, startedAt, finishedAt: isoNow(), logs: kept };
}

/** The runCommand and commandResults routes of the one managed cluster (`route.kind` runCommand, commandResult). */
export function createRunCommandHandler(state) {
  const commands = new Map();
  const location = (route, id, apiVersion) =>
    `${state.origin.arm}/subscriptions/${route.sub}/resourcegroups/${route.rg}/providers/Microsoft.ContainerService/managedClusters/${route.name}/commandResults/${id}?api-version=${apiVersion}`;
  return async (req, res, route, url) => {
    const apiVersion = url.searchParams.get('api-version');
    if (route.kind === 'commandResult') {
      const command = commands.get(route.id);
      if (!command) return armError(res, 404, 'NotFound', `Command '${route.id}' was not found.`);
      if (!command.result) return sendJson(res, 202, {}, { location: location(route, route.id, apiVersion) });
      commands.delete(route.id);
      return sendJson(res, 200, { id: route.id, properties: command.result });
    }
    let request;
    try {
      request = JSON.parse((await readBody(req, 8 << 20)) || '{}');
    } catch {
      return armError(
        res,
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized.',
      );
    }
    if (typeof request.command !== 'string' || request.command === '')
      return armError(res, 400, 'InvalidParameter', "Required parameter 'command' is missing (null).");
    const refused = refusal(state, request.clusterToken);
    if (refused) return armError(res, 400, 'BadRequest', refused);
    const id = uuid().replace(/-/g, '');
    const command = { result: undefined };
    commands.set(id, command);
    // Its logs too: AKS keeps them (command result, pod logs), so the tests check what they hold.
    const received = { command: request.command, contextBytes: request.context?.length ?? 0, logs: '' };
    state.runCommands.push(received);
    runCommand(state, request).then(
      (result) => {
        received.logs = result.logs ?? '';
        command.result = result;
      },
      (error) => (command.result = { provisioningState: 'Failed', reason: String(error.message) }),
    );
    return sendJson(res, 202, {}, { location: location(route, id, apiVersion) });
  };
}
