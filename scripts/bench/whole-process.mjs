// Figures of whole CLI processes, spawn to exit, each taken alternately with
// `node -e 0`, the floor that Node itself sets: coldStartMs and renderSmallAppMs.

import { note } from './common.mjs';
import { stats } from './numbers.mjs';
import { check, run } from './processes.mjs';

const NODE_ALONE = ['-e', '0'];

const wallMs = async (args) => check(await run(process.execPath, args), `node ${args.join(' ')}`).wallMs;

/**
 * `node` with each of `commands` ({ name: args }) in turn, `runs` times (A B A
 * B ...), so that drift of the machine hits all alike; stats by name, samples
 * in run order. First one unmeasured run of `warmUp`: the files are in the
 * page cache, as on a runner after checkout.
 */
async function alternately(runs, commands, warmUp) {
  await wallMs(warmUp);
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < runs; i++) {
    for (const [name, args] of Object.entries(commands)) samples[name].push(await wallMs(args));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, stats(s)]));
}

export async function benchColdStart({ cli, runs }) {
  note(`cold start: node dist/cli.js --version, ${runs} runs (and node alone, interleaved)`);
  const version = [cli, '--version'];
  return alternately(runs, { nodeAlone: NODE_ALONE, cli: version }, version);
}

// examples/orders: one HTTP function, one queue-triggered one. A render only
// writes the image reference into the manifests, so no registry is asked.
const SMALL_APP_RENDER = [
  'render',
  '--app-path',
  'examples/orders',
  '--name',
  'orders',
  '--image',
  '127.0.0.1:26500/orders:1',
];

export async function benchRenderSmallApp({ cli, runs }) {
  const command = `node dist/cli.js ${SMALL_APP_RENDER.join(' ')}`;
  note(`small app: ${command}, ${runs} runs (and node alone, alternating)`);
  const render = [cli, ...SMALL_APP_RENDER];
  const ms = await alternately(runs, { render, nodeFloor: NODE_ALONE }, render);
  // Per pair: a render and the `node -e 0` right after it.
  const ratio = stats(ms.render.samples.map((x, i) => x / ms.nodeFloor.samples[i]));
  return { command, render: ms.render, nodeFloor: ms.nodeFloor, ratio };
}
