// The figures and the details behind them, from what each part of the bench measured.

import { round, rounded, stats } from './numbers.mjs';

const stageNames = ['image', 'cluster', 'apply', 'rollout', 'total'];

function stageStats(runs) {
  const s = {};
  for (const name of stageNames) {
    const values = runs.map((r) => r.timings?.[name]).filter((x) => typeof x === 'number');
    if (values.length) s[name] = rounded(stats(values), 3);
  }
  return s;
}

function summarizeColdStart(cold, figures, details) {
  figures.coldStartMs = cold.cli;
  details.coldStart = {
    command: 'node dist/cli.js --version',
    ms: rounded(cold.cli, 1),
    nodeAloneMs: rounded(cold.nodeAlone, 1),
  };
}

function summarizeSmallAppRender(small, figures, details) {
  figures.renderSmallAppMs = small.render;
  figures.nodeFloorMs = small.nodeFloor;
  figures.renderVsNodeFloor = small.ratio;
  details.renderSmallApp = {
    command: small.command,
    ms: rounded(small.render, 1),
    nodeFloorMs: rounded(small.nodeFloor, 1),
    // The median of the per-pair ratios, on which the goal is checked; and the ratio of the two medians.
    ratio: rounded(small.ratio, 3),
    ratioOfMedians: round(small.render.median / small.nodeFloor.median, 3),
  };
  // No goal: what reading a Node.js v4 app from source adds (the parser loads only for such apps).
  figures.renderSmallV4AppMs = small.v4.render;
  details.renderSmallV4App = {
    command: small.v4.command,
    ms: rounded(small.v4.render, 1),
    ratio: rounded(small.v4.ratio, 3),
  };
}

function summarizeRender(render, figures, details) {
  const sizes = render.sizes;
  figures.render500FunctionsMs = sizes[500].cold;
  const perFunction = Object.fromEntries(
    Object.entries(sizes).map(([n, s]) => [n, round(s.cold.median / Number(n), 4)]),
  );
  details.render = {
    source: render.source,
    // Loading the pipeline chunk in a fresh process (not part of the render figure; the CLI pays it on every deploy and render).
    importRenderChunkMs: rounded(sizes[500].importMs, 0),
    coldMs: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, rounded(s.cold, 1)])),
    warmMs: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, rounded(s.warm, 1)])),
    objects: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, s.objects])),
    yamlBytes: Object.fromEntries(Object.entries(sizes).map(([n, s]) => [n, s.yamlBytes])),
    coldMsPerFunction: perFunction,
    // 1.0 = exactly linear from 500 to 5000 functions.
    growth500to5000: round(sizes[5000].cold.median / sizes[500].cold.median / 10, 2),
    warmGrowth500to5000: round(sizes[5000].warm.median / sizes[500].warm.median / 10, 2),
  };
}

/**
 * The slower of the two indexers is the figure: a reader of indexCodeFirst500Ms asks how long an app of either model
 * waits for its functions to be read. Both are in the details.
 */
function summarizeIndex(index, figures, details) {
  const [slowest] = Object.entries(index).sort(([, a], [, b]) => b.sizes[500].cold.median - a.sizes[500].cold.median);
  figures.indexCodeFirst500Ms = slowest[1].sizes[500].cold;
  details.indexCodeFirst = Object.fromEntries(
    Object.entries(index).map(([language, result]) => [
      language,
      {
        chunk: result.chunk,
        coldMs: Object.fromEntries(Object.entries(result.sizes).map(([n, s]) => [n, rounded(s.cold, 1)])),
        warmMs: Object.fromEntries(Object.entries(result.sizes).map(([n, s]) => [n, rounded(s.warm, 1)])),
        importChunkMs: rounded(result.sizes[500].importMs, 1),
        // 1.0 = exactly linear (from 100 to 500, from 500 to 2000 functions); start-up costs keep the first below.
        growth100to500: round(result.sizes[500].cold.median / result.sizes[100].cold.median / 5, 2),
        growth500to2000: round(result.sizes[2000].cold.median / result.sizes[500].cold.median / 4, 2),
        warmGrowth500to2000: round(result.sizes[2000].warm.median / result.sizes[500].warm.median / 4, 2),
      },
    ]),
  );
  details.indexCodeFirst.figureIs = slowest[0];
}

/** Full deploys and no-op redeploys. */
function summarizeDeploys({ pipeline, noop }, figures, details) {
  const withTimings = pipeline.filter((r) => r.timings);
  if (withTimings.length) {
    const ratio = (r) => {
      const t = r.timings;
      return t.total / (Math.max(t.image, t.cluster) + t.apply + t.rollout);
    };
    figures.pipelineOverlapRatio = stats(withTimings.map(ratio));
    details.pipeline = {
      ratio: rounded(figures.pipelineOverlapRatio, 3),
      // The same with the whole CLI process as the numerator.
      processRatio: rounded(
        stats(
          withTimings.map(
            (r) =>
              r.wallMs / 1000 / (Math.max(r.timings.image, r.timings.cluster) + r.timings.apply + r.timings.rollout),
          ),
        ),
        3,
      ),
      stagesSeconds: stageStats(pipeline),
      outsideStagesSeconds: rounded(
        stats(
          withTimings.map(
            (r) => r.timings.total - Math.max(r.timings.image, r.timings.cluster) - r.timings.apply - r.timings.rollout,
          ),
        ),
        3,
      ),
      processSeconds: rounded(stats(pipeline.map((r) => r.wallMs / 1000)), 3),
      // Every measured deploy found KEDA already there, and rolled both Deployments.
      kedaPresent: pipeline.every((r) => /is present/.test(r.kedaLine ?? '')),
      rolled: pipeline.map((r) => r.rolled),
    };
  }
  figures.noopRedeploySeconds = stats(noop.map((r) => r.wallMs / 1000));
  details.noop = {
    seconds: rounded(figures.noopRedeploySeconds, 3),
    buildSkipped: noop.map((r) => r.buildSkipped),
    nothingChanged: noop.map((r) => r.nothingChanged),
    stagesSeconds: stageStats(noop),
    processOutsideDeployAppSeconds: noop.some((r) => r.timings)
      ? rounded(stats(noop.filter((r) => r.timings).map((r) => r.wallMs / 1000 - r.timings.total)), 3)
      : undefined,
  };
}

function summarizeK8sPhase({ pairs, kubectlVersion }, figures, details) {
  const complete = pairs.filter((p) => p.oursMs !== undefined);
  if (complete.length) {
    figures.k8sPhaseRatioVsKubectl = stats(complete.map((p) => p.oursMs / p.kubectl.totalMs));
    details.k8sPhase = {
      ratio: rounded(figures.k8sPhaseRatioVsKubectl, 3),
      ratioOfMedians: round(
        stats(complete.map((p) => p.oursMs)).median / stats(complete.map((p) => p.kubectl.totalMs)).median,
        3,
      ),
      oursApplyPlusWaitMs: rounded(stats(complete.map((p) => p.oursMs)), 0),
      oursStagesSeconds: stageStats(complete.map((p) => p.ours)),
      kubectlMs: rounded(stats(complete.map((p) => p.kubectl.totalMs)), 0),
      kubectlApplyMs: rounded(stats(complete.map((p) => p.kubectl.applyMs)), 0),
      kubectlRolloutStatusMs: rounded(stats(complete.map((p) => p.kubectl.rolloutMs)), 0),
      // CPU time (user + system) of the processes, where GNU time measured it: what the wall time is made of.
      kubectlApplyCpuSeconds: complete.every((p) => p.kubectl.applyCpuSeconds !== undefined)
        ? rounded(stats(complete.map((p) => p.kubectl.applyCpuSeconds)), 2)
        : undefined,
      oursDeployProcessCpuSeconds: complete.every((p) => p.ours.cpuSeconds !== undefined)
        ? rounded(stats(complete.map((p) => p.ours.cpuSeconds)), 2)
        : undefined,
      kubectlVersion: kubectlVersion,
      // Each side really rolled both Deployments in every pair (ours: seen by the watch; kubectl: "configured").
      oursRolled: complete.map((p) => p.ours.rolled),
      kubectlRolled: complete.map((p) => p.kubectl.rolled),
    };
  }
}

function summarizeDetectionAndRss({ pipeline, pairs, peakRssMethod }, figures, details) {
  const detection = pairs.map((p) => p.ours.detectionMs).filter((x) => x !== undefined);
  if (detection.length) {
    figures.detectionLatencyMs = stats(detection);
    const pipelineDetection = pipeline.map((r) => r.detectionMs).filter((x) => x !== undefined);
    details.detection = {
      ms: rounded(figures.detectionLatencyMs, 1),
      fullDeploysMs: pipelineDetection.length ? rounded(stats(pipelineDetection), 1) : undefined,
    };
  }
  const rss = pipeline.map((r) => r.rssKiB).filter((x) => x > 0);
  if (rss.length) {
    figures.peakRssMiB = stats(rss.map((k) => k / 1024));
    const k8sRss = pairs
      .map((p) => p.ours.rssKiB)
      .filter((x) => x > 0)
      .map((k) => k / 1024);
    details.peakRss = {
      method: peakRssMethod,
      fullDeploysMiB: rounded(figures.peakRssMiB, 1),
      imageDeploysMiB: k8sRss.length ? rounded(stats(k8sRss), 1) : undefined,
    };
  }
}

/** The private path (AKS run command) against the direct one, redeploy by redeploy. */
function summarizePrivatePath({ privatePath }, figures, details) {
  if (!privatePath?.length) return;
  figures.privatePathOverheadRatio = stats(privatePath.map((p) => p.privateMs / p.directMs));
  figures.runCommandsPerDeploy = stats(privatePath.map((p) => p.runCommands));
  details.privatePath = {
    ratio: rounded(figures.privatePathOverheadRatio, 3),
    privateSeconds: rounded(stats(privatePath.map((p) => p.privateMs / 1000)), 2),
    directSeconds: rounded(stats(privatePath.map((p) => p.directMs / 1000)), 2),
    runCommands: privatePath.map((p) => p.runCommands),
  };
}

export function summarize(results) {
  const figures = {};
  const details = {};
  if (results.cold) summarizeColdStart(results.cold, figures, details);
  if (results.renderSmall) summarizeSmallAppRender(results.renderSmall, figures, details);
  if (results.render) summarizeRender(results.render, figures, details);
  if (results.index) summarizeIndex(results.index, figures, details);
  if (results.cluster) {
    details.failedAndRetried = results.cluster.failures;
    summarizeDeploys(results.cluster, figures, details);
    summarizeK8sPhase(results.cluster, figures, details);
    summarizeDetectionAndRss(results.cluster, figures, details);
    summarizePrivatePath(results.cluster, figures, details);
  }
  return { figures, details };
}
