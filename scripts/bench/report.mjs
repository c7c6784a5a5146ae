// The report: the table of figures with their goals, the lines behind them,
// warnings, and with --json one JSON object as the last line of stdout.

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { started } from './common.mjs';
import { round } from './numbers.mjs';

// Each goal is on the median of its figure, or of the figure it is checkedOn:
// renderSmallAppMs <= 1.6 x nodeFloorMs is checked on renderVsNodeFloor, the
// median of the per-pair ratios, since the two are measured alternately.
const GOALS = {
  k8sPhaseRatioVsKubectl: { max: 0.6 },
  coldStartMs: { max: 400 },
  renderSmallAppMs: { max: 1.6, times: 'nodeFloorMs', checkedOn: 'renderVsNodeFloor' },
  render500FunctionsMs: { max: 300 },
  indexCodeFirst500Ms: { max: 300 },
  noopRedeploySeconds: { max: 0.8 },
  pipelineOverlapRatio: { max: 1.15 },
  detectionLatencyMs: { max: 250 },
  runCommandsPerDeploy: { max: 3 },
};

const goalText = (goal) => `<= ${goal.times ? `${goal.max} x ${goal.times}` : goal.max}`;
const goalMet = (figures, name, goal) => figures[goal.checkedOn ?? name].median <= goal.max;

/** The goal a figure's row shows: its own, or the one checked on it. */
function rowGoal(name) {
  if (GOALS[name]) return { owner: name, goal: GOALS[name], text: goalText(GOALS[name]) };
  const [owner, goal] = Object.entries(GOALS).find(([, g]) => g.checkedOn === name) ?? [];
  return owner ? { owner, goal, text: `<= ${goal.max}` } : undefined;
}

const DIGITS = {
  k8sPhaseRatioVsKubectl: 3,
  coldStartMs: 0,
  renderSmallAppMs: 0,
  renderSmallV4AppMs: 0,
  nodeFloorMs: 0,
  renderVsNodeFloor: 2,
  render500FunctionsMs: 1,
  indexCodeFirst500Ms: 1,
  noopRedeploySeconds: 2,
  pipelineOverlapRatio: 3,
  detectionLatencyMs: 0,
  peakRssMiB: 0,
  runCommandsPerDeploy: 0,
  privatePathOverheadRatio: 2,
};

function printTable(figures) {
  const rows = [['figure', 'median', 'min', 'max', 'goal', '']];
  for (const [name, digits] of Object.entries(DIGITS)) {
    const s = figures[name];
    if (!s) continue;
    const goal = rowGoal(name);
    const mark = goal ? (goalMet(figures, goal.owner, goal.goal) ? 'PASS' : 'FAIL') : '';
    rows.push([name, s.median.toFixed(digits), s.min.toFixed(digits), s.max.toFixed(digits), goal?.text ?? '-', mark]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    process.stdout.write(`${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}\n`);
}

/** Plain lines behind the figures: what each was made of. */
function printDetails(d) {
  const m = (x, digits = 0) => (x === undefined ? '?' : x.median.toFixed(digits));
  const lines = [];
  if (d.coldStart)
    lines.push(`cold start: ${m(d.coldStart.ms)} ms; node alone (node -e 0) ${m(d.coldStart.nodeAloneMs)} ms`);
  if (d.renderSmallApp) {
    const r = d.renderSmallApp;
    lines.push(
      `render of a two-function function.json app (whole process): ${m(r.ms)} ms; node alone (node -e 0) ${m(r.nodeFloorMs)} ms; ratio ${m(r.ratio, 2)} (median of pairs), ${r.ratioOfMedians.toFixed(2)} (of the medians)`,
    );
  }
  if (d.renderSmallV4App) {
    const r = d.renderSmallV4App;
    lines.push(
      `render of examples/orders, Node.js v4, read from source (whole process): ${m(r.ms)} ms; ratio to node alone ${m(r.ratio, 2)} (median of pairs)`,
    );
  }
  if (d.render) {
    lines.push(
      `render (cold, fresh process): ${Object.entries(d.render.coldMs)
        .map(([n, s]) => `${n} functions ${m(s, 1)} ms`)
        .join(', ')}; per function ${Object.entries(d.render.coldMsPerFunction)
        .map(([n, v]) => `${n}: ${v} ms`)
        .join(', ')}`,
    );
    lines.push(
      `render growth 500 -> 5000 functions: x${d.render.growth500to5000} of linear (warm: x${d.render.warmGrowth500to5000}); loading the render chunk: ${m(d.render.importRenderChunkMs)} ms`,
    );
  }
  if (d.indexCodeFirst) {
    for (const [language, x] of Object.entries(d.indexCodeFirst)) {
      if (typeof x !== 'object') continue;
      lines.push(
        `index ${language} (cold, fresh process): ${Object.entries(x.coldMs)
          .map(([n, s]) => `${n} functions ${m(s, 1)} ms`)
          .join(
            ', ',
          )}; growth of linear 100 -> 500 x${x.growth100to500}, 500 -> 2000 x${x.growth500to2000} (warm: x${x.warmGrowth500to2000}); loading ${x.chunk}: ${m(x.importChunkMs, 1)} ms`,
      );
    }
  }
  if (d.k8sPhase) {
    const k = d.k8sPhase;
    lines.push(
      `k8s phase: ours apply+wait ${m(k.oursApplyPlusWaitMs)} ms (apply ${m(k.oursStagesSeconds.apply, 3)} s, wait ${m(k.oursStagesSeconds.rollout, 3)} s) vs kubectl ${m(k.kubectlMs)} ms (apply ${m(k.kubectlApplyMs)} ms${k.kubectlApplyCpuSeconds ? `, of it ${m(k.kubectlApplyCpuSeconds, 2)} s CPU` : ''}; rollout status ${m(k.kubectlRolloutStatusMs)} ms)`,
    );
  }
  if (d.pipeline) {
    const st = d.pipeline.stagesSeconds;
    lines.push(
      `full deploy: total ${m(st.total, 2)} s = max(image ${m(st.image, 2)}, cluster ${m(st.cluster, 2)}) + apply ${m(st.apply, 2)} + wait ${m(st.rollout, 2)} + other ${m(d.pipeline.outsideStagesSeconds, 2)} s; whole process ${m(d.pipeline.processSeconds, 2)} s`,
    );
  }
  if (d.noop) {
    const st = d.noop.stagesSeconds;
    lines.push(
      `no-op redeploy: process ${m(d.noop.seconds, 2)} s = deploy ${m(st.total, 2)} s (image lookup ${m(st.image, 2)}, cluster ${m(st.cluster, 2)}, apply ${m(st.apply, 2)}, wait ${m(st.rollout, 2)}) + process start, module loading and exit ${m(d.noop.processOutsideDeployAppSeconds, 2)} s`,
    );
  }
  if (d.peakRss)
    lines.push(
      `peak RSS: ${d.peakRss.method}; full deploys ${m(d.peakRss.fullDeploysMiB)} MiB, --image deploys ${m(d.peakRss.imageDeploysMiB)} MiB`,
    );
  for (const line of lines) process.stdout.write(`  ${line}\n`);
}

/** Runs that did not do what the figure assumes. */
function problems(d) {
  const found = [];
  if (d.noop && !d.noop.buildSkipped.every(Boolean)) found.push('a no-op redeploy did not skip the build');
  if (d.noop && !d.noop.nothingChanged.every(Boolean)) found.push('a no-op redeploy changed something');
  if (d.pipeline && !d.pipeline.kedaPresent) found.push('a full deploy did not find KEDA already present');
  if (d.pipeline && !d.pipeline.rolled.every(Boolean)) found.push('a full deploy did not roll both Deployments');
  if (d.k8sPhase && !d.k8sPhase.oursRolled.every(Boolean))
    found.push('one of our k8s-phase deploys did not roll both Deployments');
  if (d.k8sPhase && !d.k8sPhase.kubectlRolled.every(Boolean))
    found.push("one of kubectl's applies did not configure both Deployments");
  for (const f of d.failedAndRetried ?? [])
    found.push(`${f.run} failed (attempt ${f.attempt}) and was made again: ${f.reason}`);
  if (d.detection && d.detection.ms.min < -100)
    found.push('a deploy reported the rollout healthy before the watch saw it complete');
  return found;
}

export function printReport({ figures, details }, { runs, json }) {
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\naks-functions-deploy benchmarks: median of ${runs} runs, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
  );
  printTable(figures);
  process.stdout.write('\n');
  printDetails(details);
  const invalid = problems(details);
  for (const p of invalid) process.stdout.write(`  warning: ${p}\n`);
  const failed = Object.entries(GOALS)
    .filter(([name, goal]) => figures[name] && !goalMet(figures, name, goal))
    .map(([name]) => name);
  process.stdout.write(
    `\n${failed.length ? `goals not met: ${failed.join(', ')}` : 'all goals met'} (bench took ${seconds.toFixed(0)}s)\n`,
  );
  if (!json) return;
  const out = Object.fromEntries(
    Object.entries(DIGITS)
      .filter(([name]) => figures[name])
      .map(([name, digits]) => [name, round(figures[name].median, digits)]),
  );
  Object.assign(out, {
    runs,
    details: {
      ...details,
      problems: invalid,
      goals: Object.fromEntries(Object.entries(GOALS).map(([k, g]) => [k, goalText(g)])),
      date: new Date().toISOString(),
      cores: os.cpus().length,
      node: process.version,
      benchSeconds: round(seconds, 0),
    },
  });
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
