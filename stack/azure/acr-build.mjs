// An ACR Tasks quick run on the stack's Docker daemon: fetch the context,
// `docker build` it with the legacy builder, push each image with the
// registry's own credentials, and write the log the way acb does, as an append
// blob that `az acr build` reads in ranges until its `Complete` metadata.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { isoNow } from './state.mjs';

/** acb's timestamp at the start of its own log lines: UTC, 2025/01/31 12:00:00. */
const stamp = () => isoNow().slice(0, 19).replace('T', ' ').replace(/-/g, '/');

/** `repo:tag` (or `loginServer/repo:tag`, with `{{.Run.ID}}` filled in) as repository and tag. */
function imageName(state, name, runId) {
  let ref = name.replaceAll('{{.Run.ID}}', runId).replaceAll('{{.Run.Registry}}', state.acrLoginServer());
  for (const host of [state.acrLoginServer(), `${state.options.registryName}.azurecr.io`]) {
    if (ref.toLowerCase().startsWith(`${host.toLowerCase()}/`)) ref = ref.slice(host.length + 1);
  }
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/')
    ? { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) }
    : { repository: ref, tag: 'latest' };
}

/**
 * The run's log: CRLF lines appended as they come (az acr build splits on \r\n), secrets masked,
 * the upstream registry named as the ACR login server. Appends are chained, so lines that
 * arrive during one append go out together in the next. On close the blob gets the metadata
 * `Complete: <status>`, which is how a log reader knows the log has ended.
 */
function runLog(state, run, secrets) {
  const o = state.options;
  let pending = '';
  let chain = Promise.resolve();
  const flush = () =>
    (chain = chain
      .then(async () => {
        const data = Buffer.from(pending);
        pending = '';
        for (let i = 0; i < data.length; i += 4 << 20) {
          const block = data.subarray(i, i + (4 << 20));
          await run.log.appendBlock(block, block.length);
        }
      })
      .catch(() => undefined));
  return {
    line(text) {
      for (const secret of secrets) text = text.split(secret).join('*****');
      if (o.registry) text = text.split(o.registry.upstream).join(state.acrLoginServer());
      pending += `${text}\r\n`;
      flush();
    },
    async close(status) {
      await flush();
      await run.log.setMetadata({ Complete: status }).catch(() => undefined);
    },
  };
}

/** Runs the docker CLI on the stack's daemon, each output line to the log; rejects with the last error line. */
function docker(state, tasks, args, { config, input, log }) {
  const o = state.options;
  return new Promise((resolve, reject) => {
    if (tasks.closed) return reject(new Error('the stand-ins were closed'));
    const env = {
      ...process.env,
      DOCKER_BUILDKIT: '0',
      DOCKER_CONFIG: config,
      ...(o.docker?.host ? { DOCKER_HOST: o.docker.host } : {}),
    };
    const child = spawn('docker', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    tasks.children.add(child);
    let output = '';
    let reason = '';
    const follow = (stream, isError) => {
      let rest = '';
      const take = (line) => {
        // The CLI's own notice that the legacy builder is deprecated is not build output.
        if (/^DEPRECATED: The legacy builder|^\s+(BuildKit is currently disabled|environment-variable\.)/.test(line))
          return;
        if (isError && line.trim()) reason = line.trim();
        output += `${line}\n`;
        log?.line(line);
      };
      // A '\r' rewrites the line on a terminal: only what it ends with is kept.
      const text = (line) => line.split('\r').filter(Boolean).pop() ?? '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        lines.map(text).forEach(take);
      });
      stream.on('end', () => rest && take(text(rest)));
    };
    follow(child.stdout, false);
    follow(child.stderr, true);
    child.stdin.on('error', () => undefined); // docker may stop reading once the build fails
    if (input) input.on('error', (e) => ((reason = e.message), child.kill())).pipe(child.stdin);
    else child.stdin.end();
    child.on('error', (e) => (tasks.children.delete(child), reject(e)));
    child.on('close', (code) => {
      tasks.children.delete(child);
      if (code === 0) resolve(output);
      else reject(Object.assign(new Error(`exit status ${code}`), { reason }));
    });
  });
}

/** The build context: the uploaded blob (by its relative path) or any http(s) URL of a tar.gz. */
async function openSource(tasks, location) {
  if (/^https?:\/\//i.test(location)) {
    const reply = await fetch(location);
    if (!reply.ok) throw new Error(`GET ${location.split('?')[0]} returned ${reply.status}`);
    return Readable.fromWeb(reply.body);
  }
  const download = await (await tasks.storage()).getBlobClient(location).download();
  return download.readableStreamBody;
}

export function setRun(run, changes) {
  Object.assign(run, changes, { lastUpdatedTime: isoNow() });
}

/** Queued → Running → Succeeded | Failed; the status turns final only once the whole log is written. */
export async function executeRun(state, tasks, run) {
  const o = state.options;
  const r = run.request;
  const args = r.arguments ?? [];
  const log = runLog(
    state,
    run,
    args.filter((a) => a.isSecret && a.value).map((a) => String(a.value)),
  );
  const config = fs.mkdtempSync(path.join(state.dir, `run-${run.runId}-`));
  const started = Date.now();
  const images = (r.imageNames ?? []).map((n) => imageName(state, n, run.runId));
  const upstream = (i) => `${o.registry.upstream}/${i.repository}:${i.tag}`;
  let failure;
  setRun(run, { status: 'Running', startTime: isoNow() });
  try {
    if (!o.registry)
      throw Object.assign(new Error('the ACR stand-in was started without options.registry'), { early: true });
    // The registry's credentials, never the caller's: an ACR task pushes as the registry.
    const { upstream: host, username, password } = o.registry;
    const auths = username ? { [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } : {};
    fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ auths }), { mode: 0o600 });
    log.line(`${stamp()} Downloading source code...`);
    const source = await openSource(tasks, r.sourceLocation).catch((e) => {
      throw Object.assign(new Error(`failed to download the source from '${r.sourceLocation}': ${e.message}`), {
        early: true,
      });
    });
    log.line(`${stamp()} Finished downloading source code`);
    log.line(`${stamp()} Logging in to registry: ${state.acrLoginServer()}`);
    log.line(`${stamp()} Successfully logged into ${state.acrLoginServer()}`);
    log.line(
      `${stamp()} Executing step ID: build. Timeout(sec): ${r.timeout ?? 3600}, Working directory: '', Network: 'acb_default_network'`,
    );
    const { os: runOs = 'Linux', architecture = 'amd64', variant } = r.platform;
    const platform = [runOs.toLowerCase(), architecture === 'x86' ? '386' : architecture, variant]
      .filter(Boolean)
      .join('/');
    await docker(
      state,
      tasks,
      [
        'build',
        '-f',
        r.dockerFilePath,
        '--platform',
        platform,
        ...images.flatMap((i) => ['-t', upstream(i)]),
        ...args.flatMap((a) => ['--build-arg', `${a.name}=${a.value ?? ''}`]),
        ...(r.target ? ['--target', r.target] : []),
        ...(r.noCache ? ['--no-cache'] : []),
        '-',
      ],
      { config, input: source, log },
    );
    log.line(`${stamp()} Successfully executed container: build`);
    const outputImages = [];
    if (r.isPushEnabled) {
      log.line(`${stamp()} Executing step ID: push. Timeout(sec): 3600, Working directory: '', Network: ''`);
      for (const image of images) {
        const name = `${state.acrLoginServer()}/${image.repository}:${image.tag}`;
        log.line(`${stamp()} Pushing image: ${name}, attempt 1`);
        const output = await docker(state, tasks, ['push', upstream(image)], { config, log });
        const digest = /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
        log.line(`${stamp()} Successfully pushed image: ${name}`);
        outputImages.push({
          registry: state.acrLoginServer(),
          repository: image.repository,
          tag: image.tag,
          ...(digest ? { digest } : {}),
        });
      }
    }
    log.line(
      `${stamp()} Step ID: build marked as successful (elapsed time in seconds: ${((Date.now() - started) / 1000).toFixed(6)})`,
    );
    run.outputImages = outputImages.length ? outputImages : undefined;
  } catch (e) {
    // ACR says which step's process failed; the reason (docker's last error line) is added, as the log shows it.
    failure = e.early ? e.message : `failed during run, err: ${e.message}${e.reason ? `: ${e.reason}` : ''}`;
  } finally {
    // Nothing stays tagged on the daemon: the registry holds the result.
    if (images.length && o.registry)
      await docker(state, tasks, ['rmi', ...images.map(upstream)], { config }).catch(() => undefined);
    fs.rmSync(config, { recursive: true, force: true });
  }
  const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
  const status = failure ? 'Failed' : 'Succeeded';
  log.line(
    failure
      ? `Run ID: ${run.runId} failed after ${seconds}s. Error: ${failure}`
      : `Run ID: ${run.runId} was successful after ${seconds}s`,
  );
  await log.close(status);
  setRun(run, { status, finishTime: isoNow(), ...(failure ? { runErrorMessage: failure } : {}) });
}
