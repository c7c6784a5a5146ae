// Figures of whole CLI processes, spawn to exit, each taken alternately with
// `node -e 0`, the floor that Node itself sets: coldStartMs and renderSmallAppMs.

import path from 'node:path';
import { note, REPO } from './common.mjs';
import { stats } from './numbers.mjs';
import { check, run } from './processes.mjs';
import { generateApp } from './render.mjs';

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

// renderSmallAppMs: an app of two function.json functions, one HTTP and one queue-triggered, from the render
// bench's generator. examples/orders (the same two functions in the Node.js v4 model, read from source by the
// parser) is measured beside it: renderSmallV4AppMs. A render only writes the image reference into the manifests,
// so no registry is asked.
const renderOf = (appPath) => [
  'render',
  '--app-path',
  appPath,
  '--name',
  'orders',
  '--image',
  '127.0.0.1:26500/orders:1',
];

export async function benchRenderSmallApp({ cli, runs, tmp }) {
  const small = path.join(tmp, 'small-app');
  generateApp(small, 2);
  const command = `node dist/cli.js ${renderOf('<generated app>').join(' ')}`;
  const v4Command = `node dist/cli.js ${renderOf('examples/orders').join(' ')}`;
  note(
    `small app: ${command} (one HTTP and one queue-triggered function.json function), and ${v4Command}, ${runs} runs (and node alone, alternating)`,
  );
  const render = [cli, ...renderOf(small)];
  const ms = await alternately(
    runs,
    { render, renderV4: [cli, ...renderOf(path.join(REPO, 'examples', 'orders'))], nodeFloor: NODE_ALONE },
    render,
  );
  // Per round: each render and the `node -e 0` right after them.
  const ratioOf = (samples) => stats(samples.map((x, i) => x / ms.nodeFloor.samples[i]));
  return {
    command,
    render: ms.render,
    nodeFloor: ms.nodeFloor,
    ratio: ratioOf(ms.render.samples),
    v4: { command: v4Command, render: ms.renderV4, ratio: ratioOf(ms.renderV4.samples) },
  };
}
