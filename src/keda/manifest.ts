/** The KEDA install manifest: the one the product carries, or a mirror's copy, always checked by its SHA-256. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { type KubernetesObject, loadAllYaml } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { readUserFile } from '../files.js';
import { EMBEDDED_KEDA } from './embedded.js';
import type { KedaPolicy } from './keda.js';
import { KEDA_MANIFEST_SHA256 } from './releases.js';

/** The manifest to install and where it came from, checked against its expected SHA-256 before it is parsed. */
export async function loadManifest(options: KedaPolicy): Promise<{ objects: KubernetesObject[]; source: string }> {
  const expected = options.manifestSha256 ?? KEDA_MANIFEST_SHA256[options.version];
  // resolveDeployCommand refuses this; ensureKeda may be called without it.
  if (expected === undefined) {
    throw new UserError(`input 'keda-manifest-sha256' is required for KEDA ${options.version}, which is not carried`);
  }
  const url = options.manifestUrl;
  const shown = url === undefined ? 'the embedded manifest' : shownUrl(url);
  let bytes: Buffer;
  let source: string;
  if (url === undefined) {
    const embedded = EMBEDDED_KEDA[options.version];
    if (!embedded)
      throw new UserError(`input 'keda-manifest-url' is required for KEDA ${options.version}, which is not carried`);
    bytes = Buffer.from((await embedded.load()).default, 'utf8');
    source = `the embedded KEDA ${options.version} manifest (reproduced from kedacore/keda ${embedded.tag}, sha256 ${embedded.sha256})`;
  } else if (/^https?:\/\//.test(url)) {
    ({ bytes, source } = await downloadManifest(url, expected, options));
  } else {
    bytes = readUserFile(url.replace(/^file:\/\//, ''), "input 'keda-manifest-url'");
    source = `${shown} (sha256 ${expected})`;
  }
  checkSha256(bytes, expected, shown, options);
  // client-node's own YAML loading: it keeps fields like x-kubernetes-int-or-string
  // that its serializer would drop from plain parsed objects.
  const objects = loadAllYaml(bytes.toString('utf8')).filter(
    (object): object is KubernetesObject => typeof object === 'object' && object !== null,
  );
  if (
    !objects.some(
      (object) => object.kind === 'CustomResourceDefinition' && object.metadata?.name === 'scaledobjects.keda.sh',
    )
  ) {
    throw new UserError(`input 'keda-manifest-url': ${shown} is not a KEDA install manifest (no ScaledObject CRD)`);
  }
  return { objects, source };
}

function checkSha256(bytes: Buffer, expected: string, shown: string, options: KedaPolicy): void {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    throw new UserError(
      `the KEDA manifest from ${shown} has SHA-256 ${actual}, not the expected ${expected} (${options.manifestSha256 ? "input 'keda-manifest-sha256'" : `KEDA ${options.version}'s`}): refusing to apply it`,
    );
  }
}

/** A URL as errors and logs show it: a mirror's credentials (user info, a SAS token in the query) left out. */
function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? parsed.pathname : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/**
 * A mirror's copy, through the runner's tool cache keyed by its SHA-256: a second deploy on the same runner
 * downloads nothing. Only a copy with the expected hash is cached.
 */
async function downloadManifest(
  url: string,
  expected: string,
  options: KedaPolicy,
): Promise<{ bytes: Buffer; source: string }> {
  const shown = shownUrl(url);
  const tool = `aks-functions-deploy-keda-manifest-${expected}`;
  return withToolCache(async () => {
    const cached = toolCache.find(tool, options.version);
    if (cached) {
      return {
        bytes: readFileSync(join(cached, MANIFEST_FILE)),
        source: `${shown} (sha256 ${expected}, from the tool cache)`,
      };
    }
    // Fetched here, not by tool-cache's downloadTool: its retries print each error's message, which holds the URL's
    // path and query (a mirror's SAS token), as plain log lines.
    const response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) }).catch((error: unknown) => {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new UserError(
        `input 'keda-manifest-url': cannot download the KEDA manifest from ${shown} (${timedOut ? 'no answer in 60 s' : (cause ?? 'failed')})`,
      );
    });
    if (!response.ok) throw new UserError(`input 'keda-manifest-url': ${shown} answered ${response.status}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    checkSha256(bytes, expected, shown, options);
    // Not RUNNER_TEMP: outside GitHub nothing sets it, and a run's download is gone with the run either way.
    const scratch = mkdtempSync(join(tmpdir(), 'aks-functions-deploy-keda-'));
    try {
      writeFileSync(join(scratch, MANIFEST_FILE), bytes);
      await toolCache.cacheFile(join(scratch, MANIFEST_FILE), MANIFEST_FILE, tool, options.version);
      return { bytes, source: `${shown} (sha256 ${expected}, downloaded)` };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
}

const DOWNLOAD_TIMEOUT_MS = 60_000;
const MANIFEST_FILE = 'keda.yaml';

/**
 * tool-cache keeps its cache where RUNNER_TOOL_CACHE says, and fails without it: outside GitHub, the agent's tools
 * folder on Azure Pipelines, else a per-user cache, so the CLI on one machine downloads once too. It reports through
 * @actions/core's debug, which writes `::debug::` lines to stdout on every platform: they would land in the CLI's
 * summary (the CLI's stdout), so they are dropped while it runs.
 */
async function withToolCache<T>(run: () => Promise<T>): Promise<T> {
  const given = process.env.RUNNER_TOOL_CACHE;
  process.env.RUNNER_TOOL_CACHE =
    given ||
    process.env.AGENT_TOOLSDIRECTORY ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aks-functions-deploy', 'tool-cache');
  const write = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: never[]) =>
    typeof chunk === 'string' && chunk.startsWith('::debug::')
      ? true
      : write.call(process.stdout, chunk as string, ...rest)) as typeof write;
  try {
    return await run();
  } finally {
    process.stdout.write = write;
    if (given === undefined) delete process.env.RUNNER_TOOL_CACHE;
    else process.env.RUNNER_TOOL_CACHE = given;
  }
}
