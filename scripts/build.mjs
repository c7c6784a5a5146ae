// Bundles the shells into dist/ so that `node dist/cli.js` (and the Action and
// the task) run from a fresh clone with no npm install. `--outdir DIR` builds
// elsewhere, which check-dist uses to compare against the committed bundle.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' } } });
rmSync(values.outdir, { recursive: true, force: true });

await build({
  entryPoints: {
    cli: 'src/shells/cli.ts',
    action: 'src/shells/action.ts',
    'action-post': 'src/shells/action-post.ts',
    task: 'src/shells/task.ts',
  },
  outdir: values.outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ESM builds first: jsonc-parser's CommonJS build is UMD that a bundler cannot follow.
  mainFields: ['module', 'main'],
  // KEDA's install manifests (keda/manifests/) as text: each dynamically imported, so a chunk of its own that only
  // an install reads. The Python runtime indexer's program (src/discovery/python-v2/runtime-index.py) as text too.
  loader: { '.yaml': 'text', '.py': 'text' },
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  // Bundled CommonJS dependencies still call require() and read __filename and __dirname; give them all.
  // The file names go through `define`, which replaces only free uses: a module that declares its own keeps it.
  define: {
    AFD_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version),
    __filename: '__afdFilename',
    __dirname: '__afdDirnameOfFile',
  },
  banner: {
    js: [
      "import { createRequire as __afdCreateRequire } from 'node:module';",
      "import { fileURLToPath as __afdFileURLToPath } from 'node:url';",
      "import { dirname as __afdDirname } from 'node:path';",
      'const require = __afdCreateRequire(import.meta.url);',
      'const __afdFilename = __afdFileURLToPath(import.meta.url);',
      'const __afdDirnameOfFile = __afdDirname(__afdFilename);',
    ].join(' '),
  },
});
