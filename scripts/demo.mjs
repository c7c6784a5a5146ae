// The main job on the example app. Until the embedded local cluster lands,
// the demo renders the HTTP + queue example and shows what would be applied.
import { spawnSync } from 'node:child_process';

const args = [
  'dist/cli.js', 'render',
  '--app-path', 'examples/orders',
  '--name', 'orders',
  '--namespace', 'demo',
  '--image', 'localhost:5000/orders:demo',
  '--settings-file', 'examples/orders/local.settings.json',
  '--polling-interval', '5s',
  '--cooldown-period', '30s',
];
console.error(`$ node ${args.join(' ')}`);
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
