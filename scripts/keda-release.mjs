// Reproduces KEDA's release install manifests (keda-<version>.yaml) from KEDA's source at each release tag, the
// way KEDA's own release build makes them, into keda/manifests/ with their provenance, and regenerates
// src/keda/embedded.ts from that. Run on demand when a KEDA version is added, not in CI: it needs Go and the
// module proxy (GitHub is not needed: the Go module zip of the tag holds the Makefile and config/).
//
//   node scripts/keda-release.mjs [--check]   (--check: fail when the committed files differ from a fresh run)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE } from '../stack/cluster/config.mjs';

const VERSIONS = ['2.19.0', '2.20.2'];
const KEDA_MODULE = 'github.com/kedacore/keda/v2';
const KUSTOMIZE_MODULE = 'sigs.k8s.io/kustomize/kustomize/v5';
const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, 'keda', 'manifests');
const GENERATED = join(REPO, 'src', 'keda', 'embedded.ts');
// The release target's prerequisites that change nothing its kustomize build reads: controller-gen regenerates
// the CRDs and RBAC committed under config/ (KEDA's CI fails a tag where they differ), set-version edits
// version/version.go and generate-scalers-schema writes schema/generated/. They need controller-gen and a full
// Go build of KEDA, so make is told they are done.
const SKIPPED_PREREQUISITES = ['manifests', 'kustomize', 'set-version', 'generate-scalers-schema'];

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The recipe of one Makefile target, continuation lines joined. */
function recipe(makefile, target) {
  const lines = makefile.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${target}:`));
  if (start < 0) throw new Error(`KEDA's Makefile has no ${target} target`);
  const body = [];
  for (const line of lines.slice(start + 1)) {
    if (!/^\t/.test(line) && !/^ {4}/.test(line)) break;
    body.push(line.trim());
  }
  return body.join('\n');
}

function reproduce(version, goVersion) {
  const module = JSON.parse(run('go', ['mod', 'download', '-json', `${KEDA_MODULE}@v${version}`]));
  const makefile = readFileSync(join(module.Dir, 'Makefile'), 'utf8');
  const release = recipe(makefile, 'release');
  // What is reproduced here is what this release target does; a KEDA that builds its manifest otherwise needs a look.
  for (const step of [
    'edit set image',
    'metadataLabelTransformer.yaml',
    'build config/default > keda-$(VERSION).yaml',
  ]) {
    if (!release.includes(step)) throw new Error(`KEDA ${version}'s release target no longer has "${step}": review it`);
  }
  // The Makefile installs kustomize with no version, so from KEDA's module: go.mod's version and KEDA's build list.
  const install = recipe(makefile, '$(KUSTOMIZE)');
  if (!new RegExp(`go install ${KUSTOMIZE_MODULE.replace(/\./g, '\\.')}$`, 'm').test(install)) {
    throw new Error(`KEDA ${version}'s Makefile installs kustomize otherwise (${install}): review it`);
  }
  const gomod = readFileSync(join(module.Dir, 'go.mod'), 'utf8');
  const kustomizeVersion = new RegExp(`^\\s*${KUSTOMIZE_MODULE.replace(/\./g, '\\.')}\\s+(v\\S+)`, 'm').exec(
    gomod,
  )?.[1];
  if (!kustomizeVersion) throw new Error(`KEDA ${version}'s go.mod does not require ${KUSTOMIZE_MODULE}`);

  // Keyed by KEDA's tag too: the binary is built with KEDA's dependency versions, not kustomize's own.
  const kustomizeDir = join(CACHE, `kustomize-${kustomizeVersion}-keda-v${version}`);
  const kustomize = join(kustomizeDir, 'kustomize');
  const installCommand = `GOBIN=<cache>/${basename(kustomizeDir)} go install ${KUSTOMIZE_MODULE}  (in ${KEDA_MODULE}@v${version})`;
  if (!existsSync(kustomize)) {
    const building = `${kustomizeDir}.tmp-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    console.log(`building kustomize ${kustomizeVersion} from KEDA ${version}'s go.mod ...`);
    run('go', ['install', KUSTOMIZE_MODULE], {
      cwd: module.Dir,
      env: { ...process.env, GOBIN: building, GOFLAGS: '-mod=readonly' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    rmSync(kustomizeDir, { recursive: true, force: true });
    renameSync(building, kustomizeDir);
  }

  // The module cache is read-only and the release target edits config/ in place.
  const work = mkdtempSync(join(tmpdir(), `afd-keda-${version}-`));
  try {
    cpSync(module.Dir, work, { recursive: true });
    run('chmod', ['-R', 'u+w', work]);
    const makeArgs = [
      ...SKIPPED_PREREQUISITES.flatMap((target) => ['-o', target]),
      'release',
      `VERSION=${version}`,
      `KUSTOMIZE=${kustomize}`,
      // Read by no step of release; set so that make does not ask git, which a module zip has no history for.
      `GIT_VERSION=v${version}`,
      `GIT_COMMIT=${module.Origin?.Hash ?? 'unknown'}`,
    ];
    run('make', makeArgs, { cwd: work });
    const manifest = readFileSync(join(work, `keda-${version}.yaml`));
    return {
      manifest,
      provenance: {
        version,
        tag: `v${version}`,
        module: { path: KEDA_MODULE, version: module.Version, sum: module.Sum, commit: module.Origin?.Hash },
        kustomize: { module: KUSTOMIZE_MODULE, version: kustomizeVersion, go: goVersion },
        commands: [
          `go mod download -json ${KEDA_MODULE}@v${version}`,
          installCommand,
          `cp -r <module dir> <work> && chmod -R u+w <work>`,
          `cd <work> && make ${makeArgs.join(' ').replace(kustomize, '<kustomize>')}`,
        ],
        file: `keda-${version}.yaml`,
        sha256: sha256(manifest),
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function embeddedModule(provenance) {
  const entries = provenance.map(
    (p) =>
      `  '${p.version}': {\n    tag: '${p.tag}',\n    sha256: '${p.sha256}',\n` +
      `    load: () => import('../../keda/manifests/${p.file}'),\n  },\n`,
  );
  return `// Generated by scripts/keda-release.mjs from keda/manifests/PROVENANCE.json: run it again, do not edit.

export interface EmbeddedKeda {
  /** The kedacore/keda tag the manifest was reproduced from. */
  readonly tag: string;
  /** SHA-256 of the manifest, as KEDA's release build makes it. */
  readonly sha256: string;
  /** The manifest's text: a chunk of its own, read only when KEDA is installed. */
  readonly load: () => Promise<{ readonly default: string }>;
}

/** The KEDA install manifests the product carries (keda/manifests/), by version. */
export const EMBEDDED_KEDA: Readonly<Record<string, EmbeddedKeda>> = {
${entries.join('')}};
`;
}

const goVersion = run('go', ['env', 'GOVERSION']).trim();
const results = VERSIONS.map((version) => reproduce(version, goVersion));
const files = new Map([
  ...results.map(({ manifest, provenance }) => [join(OUT, provenance.file), manifest]),
  [
    join(OUT, 'PROVENANCE.json'),
    `${JSON.stringify(
      results.map((r) => r.provenance),
      null,
      2,
    )}\n`,
  ],
  [GENERATED, embeddedModule(results.map((r) => r.provenance))],
]);
for (const { provenance } of results) console.log(`${provenance.sha256}  keda-${provenance.version}.yaml`);
if (values.check) {
  const differing = [...files].filter(
    ([path, content]) => !existsSync(path) || !readFileSync(path).equals(Buffer.from(content)),
  );
  if (differing.length > 0) {
    console.error(`error: differs from a fresh reproduction: ${differing.map(([path]) => path).join(', ')}`);
    process.exit(1);
  }
  console.log('keda/manifests/ and src/keda/embedded.ts match a fresh reproduction');
} else {
  mkdirSync(OUT, { recursive: true });
  for (const [path, content] of files) writeFileSync(path, content);
}
