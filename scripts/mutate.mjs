// A mutation run over the unit tests (npm run mutate; not part of CI): each mutant is one exact text change in
// src/, the unit test files that cover that code run against it, and a mutant that no test fails is a survivor
// that needs a written reason in docs/mutation-report.md. `node scripts/mutate.mjs 3 7` runs only mutants 3 and 7
// and prints the table without rewriting the report.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * file, the exact text to change (it must occur once), what replaces it, the unit test files to run (a
 * --testPathPattern) and, for a survivor, why it survives. The bundle tests (cli, shells, user-files) run dist/,
 * which a mutant of src/ does not change, so none is listed here.
 */
const MUTATIONS = [
  // Render.
  {
    file: 'src/render/trigger-context.ts',
    find: 'for (const candidate of [`AzureWebJobs${name}`, name]) {\n    const key',
    replace: 'for (const candidate of [name, `AzureWebJobs${name}`]) {\n    const key',
    what: 'connection lookup: <name> before AzureWebJobs<name>',
    tests: 'mapping',
  },
  {
    file: 'src/render/trigger-context.ts',
    find: 'pattern = /%([^%]+)%/g } = references;',
    replace: 'pattern = /%([^%]+)%/ } = references;',
    what: 'only the first %Setting% of a value resolved',
    tests: 'mapping',
  },
  {
    file: 'src/render/scalers.ts',
    find: "if (protocol === 'ssl' || protocol === 'saslssl') metadata.tls = 'enable';",
    replace: "if (protocol === 'saslssl') metadata.tls = 'enable';",
    what: 'Kafka protocol ssl without SASL loses TLS',
    tests: 'mapping',
  },
  {
    file: 'src/render/scalers.ts',
    find: 'if (usesSasl && env.length + Object.keys(literals).length === 0) {',
    replace: 'if (usesSasl && env.length + Object.keys(literals).length < 0) {',
    what: 'Kafka SASL without credentials accepted',
    tests: 'mapping',
  },
  {
    file: 'src/render/event-part.ts',
    find: 'parts.alwaysOn ? Math.max(1, options.scaling.minReplicas) : options.scaling.minReplicas',
    replace: 'options.scaling.minReplicas',
    what: 'a timer next to a queue may scale to zero',
    tests: 'mapping',
  },
  {
    file: 'src/render/workloads.ts',
    find: 'serviceAccountName: pod.app } : {}), automountServiceAccountToken: false };',
    replace: 'serviceAccountName: pod.app } : {}), automountServiceAccountToken: true };',
    what: 'event pods get a service account token',
    tests: 'render.test',
  },
  {
    file: 'src/render/workloads.ts',
    find: "httpGet: { path: '/admin/host/ping', port: 'http' },",
    replace: "httpGet: { path: '/', port: 'http' },",
    what: 'probes on / instead of the host ping',
    tests: 'render.test',
  },
  {
    file: 'src/render/manifest.ts',
    find: "if (object.kind !== 'Secret') return object;",
    replace: "if (object.kind !== 'Secrets') return object;",
    what: 'redaction skips Secrets (values shown without show-secrets)',
    tests: 'masking',
  },
  // Inputs.
  {
    file: 'src/inputs/app.ts',
    find: 'if (maxReplicas !== undefined && minReplicas > maxReplicas) {',
    replace: 'if (maxReplicas !== undefined && minReplicas >= maxReplicas) {',
    what: 'min-replicas equal to max-replicas refused',
    tests: 'inputs',
  },
  {
    file: 'src/inputs/app.ts',
    find: 'if (maxReplicas !== undefined && maxReplicas < 1)',
    replace: 'if (maxReplicas !== undefined && maxReplicas < 0)',
    what: 'max-replicas 0 accepted',
    tests: 'inputs',
  },
  {
    file: 'src/inputs/app.ts',
    find: 'if (httpReplicas < 1)',
    replace: 'if (httpReplicas < 0)',
    what: 'http-replicas 0 accepted',
    tests: 'inputs',
  },
  {
    file: 'src/inputs/checks.ts',
    find: 'export const NAME_MAX_LENGTH = 47;',
    replace: 'export const NAME_MAX_LENGTH = 48;',
    what: 'a 48-character app name accepted',
    tests: 'inputs',
  },
  {
    file: 'src/inputs/checks.ts',
    find: 'if (name.startsWith(KEYS_SECRET_PREFIX)) {',
    replace: 'if (name === KEYS_SECRET_PREFIX) {',
    what: "an app named like another app's keys Secret accepted",
    tests: 'hardening',
  },
  {
    file: 'src/inputs/checks.ts',
    find: 'const isHeredoc = heredoc >= 0 && (equals < 0 || heredoc < equals);',
    replace: 'const isHeredoc = heredoc >= 0;',
    what: 'KEY=a<<b read as a heredoc',
    tests: 'inputs',
  },
  {
    file: 'src/inputs/values.ts',
    find: 'if (seconds > MAX_DURATION_SECONDS)',
    replace: 'if (seconds > MAX_DURATION_SECONDS * 2)',
    what: 'durations over 24h accepted',
    tests: 'inputs',
  },
  // Apply, prune and ownership.
  {
    file: 'src/inventory/inventory.ts',
    find: 'return writers.includes(FIELD_MANAGER) ? undefined',
    replace: 'return writers.length > 0 ? undefined',
    what: 'an unlabelled object anyone wrote counts as ours',
    tests: 'hardening',
  },
  {
    file: 'src/inventory/inventory.ts',
    find: '.filter(([, object]) => object.instance === app)',
    replace: '.filter(([, object]) => object.instance !== undefined)',
    what: "another app's objects counted as this app's (pruned)",
    tests: 'apply',
  },
  {
    file: 'src/inventory/inventory.ts',
    find: "client.delete(object, undefined, dryRun ? 'All' : undefined, undefined, undefined, 'Background'),",
    replace: "client.delete(object, undefined, undefined, undefined, undefined, 'Background'),",
    what: 'a dry-run prune really deletes',
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'const gone = [...existing.keys()].filter((key) => !rendered.has(key));',
    replace: 'const gone = [...existing.keys()].filter((key) => rendered.has(key));',
    what: 'prune removes what is rendered instead of what is not',
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'if (options.prune) {',
    replace: 'if (options.prune || options.dryRun || !options.dryRun) {',
    what: 'prune runs although prune is off',
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'if (owner !== undefined && owner !== options.app) {',
    replace: 'if (owner !== undefined && owner === options.app) {',
    what: "another app's object of the same name taken over",
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'if (first === undefined) return;',
    replace: 'if (first === undefined || first !== undefined) return;',
    what: 'an object someone else created taken over',
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'const record = WORKLOADS.has(object.kind) ? annotations : {};',
    replace: 'const record = annotations;',
    what: 'the deploy record on every object, not only the workloads',
    tests: 'apply',
  },
  {
    file: 'src/apply/apply.ts',
    find: '? before.generation === after.metadata?.generation',
    replace: '? before.generation !== after.metadata?.generation',
    what: 'configured and unchanged swapped for objects with a generation',
    tests: 'apply',
  },
  // The rollout verdicts.
  {
    file: 'src/wait/verdicts.ts',
    find: 'if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0))',
    replace: 'if ((status.observedGeneration ?? 0) < (deployment.metadata?.generation ?? 0) - 1)',
    what: "the old generation's replica counts taken for the new one's",
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'if (image !== undefined && recorded !== undefined && recorded !== image) {',
    replace: 'if (image !== undefined && recorded === undefined && recorded !== image) {',
    what: 'a deploy replaced by another one not noticed',
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: "  'CrashLoopBackOff',\n",
    replace: '',
    what: 'CrashLoopBackOff waited on until the timeout',
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'available >= desired && total === desired)',
    replace: 'available >= desired && total >= desired)',
    what: 'done while old pods still run',
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'set.metadata?.annotations?.[REVISION_ANNOTATION] === revision,',
    replace: 'set.metadata?.annotations?.[REVISION_ANNOTATION] !== undefined,',
    what: "an old ReplicaSet's failing pods blamed on this rollout",
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: "if (now - since < NOT_READY_GRACE_MS) return { state: 'pending', why };",
    replace: "if (now - since < 0) return { state: 'pending', why };",
    what: "a ScaledObject's stale Ready=False fails at once, with no grace",
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'const address = ingress?.ip ?? ingress?.hostname;',
    replace: 'const address = ingress?.ip;',
    what: 'a load balancer with a host name (AWS-style) never ready',
    tests: 'verdicts',
  },
  // Masking and redaction.
  {
    file: 'src/platform.ts',
    find: 'const MIN_MASKED_LENGTH = 4;',
    replace: 'const MIN_MASKED_LENGTH = 1;',
    what: 'one-character values masked (blanking the log)',
    tests: 'masking',
  },
  {
    file: 'src/platform.ts',
    find: 'for (const line of value.split(/\\r?\\n/)) {',
    replace: 'for (const line of [value]) {',
    what: 'a multi-line secret masked whole, not line by line',
    tests: 'masking',
  },
  {
    file: 'src/shells/ci-step.ts',
    find: "if (input.kind === 'text' && equals > 0 && equals < line.length - 1) mask(platform, line.slice(equals + 1));",
    replace: '',
    what: 'KEY=VALUE lines masked whole, not by value',
    tests: 'masking',
  },
  {
    file: 'src/shells/ci-step.ts',
    find: '  if (!input.secret) return;\n',
    replace: '',
    what: 'inputs that are not secret masked too',
    tests: 'masking',
  },
  {
    file: 'src/commands/render.ts',
    find: "mask(platform, Buffer.from(value, 'utf8').toString('base64'));",
    replace: '',
    what: 'the base64 form of settings values not masked',
    tests: 'masking',
  },
  {
    file: 'src/commands/render.ts',
    find: 'const manifests = toYaml(options.showSecrets ? objects : redactSecrets(objects));',
    replace: 'const manifests = toYaml(objects);',
    what: 'manifests shown unredacted without show-secrets',
    tests: 'masking',
  },
  {
    file: 'src/commands/render.ts',
    find: 'if (secret) fchmodSync(fd, 0o600);',
    replace: '',
    what: 'a manifests file holding secrets readable by all',
    tests: 'masking|credential-files',
  },
  // Node.js v4 apps read from source.
  {
    file: 'src/discovery/node-v4/registrations.ts',
    find: "const authLevel = options.authLevel || 'anonymous';",
    replace: "const authLevel = options.authLevel || 'function';",
    what: "an HTTP function's default auth level not the library's",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/walk.ts',
    find: 'guard: where.guard ?? guardOf(node),',
    replace: 'guard: where.guard,',
    what: 'a registration inside a loop, if or function counted as if it ran once',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: 'if (!allowed) throw strayApp(',
    replace: 'if (false) throw strayApp(',
    what: 'app handed to other code, whose registrations the index cannot see, let through',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/index.ts',
    find: 'if (via === undefined && load.guard === undefined) always.push(target.path);',
    replace: 'if (via === undefined && load.guard === undefined) void target;',
    what: 'the local modules an entry file loads not read',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-exports.ts',
    find: 'if (path !== undefined) out.named.set(key, path);',
    replace: '',
    what: '`module.exports = { app }` not followed: the modules taking app from it lose their functions',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/literal.ts',
    find: 'if (required !== undefined) return scope.required(required);',
    replace: 'if (required !== undefined) return undefined;',
    what: "`require('@azure/functions').app.http(...)` not read as a registration",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: 'if (suspect !== undefined) throw unresolvedApp(suspect.node, file);',
    replace: '',
    what: 'a registration on an app the index cannot follow silently dropped',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: '(hasHandler || (base !== undefined && !SHORTCUT_METHODS.has(method) && fromElsewhere(base, scope)))',
    replace: '(base !== undefined && !SHORTCUT_METHODS.has(method) && fromElsewhere(base, scope))',
    what: 'a registration on a renamed, unfollowable app (`shared.storageQueue(..., { handler })`) dropped',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: "const syntax: ParserPlugin[] = ['decorators-legacy', ",
    replace: 'const syntax: ParserPlugin[] = [',
    what: 'legacy decorators (TypeORM entities) fail the parse',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: 'if (!mentionsRegistrations(text)) return',
    replace: 'if (false) return',
    what: 'a module unrelated to the libraries that cannot be parsed fails the deploy',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: 'if (isShadowed(node, where.shadowed)) return;',
    replace: '',
    what: "a handler's own `app` taken for the library's",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/run-at-load.ts',
    find: "if (holder.kind === 'named') return holder.name;",
    replace: "if (holder.kind === 'named') return TOP;",
    what: 'a computed require() inside a helper function, never run at load time, fails the deploy',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/run-at-load.ts',
    find: 'for (const name of this.facts.get(key)?.calls ?? []) pending.push(name);',
    replace: '',
    what: 'a computed load in a function called only through another one not seen as run at load time',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/run-at-load.ts',
    find: '    this.of(key).calls.add(name);\n',
    replace: '',
    what: 'a computed load in a function the module calls as it loads let through',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "if (runtime !== undefined) return runtime.trim().toLowerCase() === 'node';",
    replace: '',
    what: 'the worker runtime setting ignored when telling a Node.js app',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "isObject(dependencies) && ('@azure/functions' in dependencies ||",
    replace: 'isObject(dependencies) && (true ||',
    what: "any package.json with dependencies read as a Node.js v4 app (a Python app's tooling)",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/entry-files.ts',
    find: 'const newer = sources.find((source) => modified(source) > oldest);',
    replace: 'const newer = sources.find((source) => modified(source) < oldest);',
    what: 'sources newer than the build output not warned about',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/interop.ts',
    find: "const IMPORT_HELPERS = new Set(['__importStar', '__importDefault', '__toESM']);",
    replace: 'const IMPORT_HELPERS = new Set<string>([]);',
    what: "tsc's and esbuild's import helpers (`__importStar(require(...))`) not read: built TypeScript loses its functions",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: "const method = callee.type === 'Identifier' ? callee.name : propertyName(callee);",
    replace: "const method = callee.type === 'Identifier' ? undefined : propertyName(callee);",
    what: 'a registration method taken off an unfollowable app and called alone dropped',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: "(propertyName(base) === 'client' && nameOf((base as t.MemberExpression).object) === 'app')",
    replace: "propertyName(base) === 'client'",
    what: 'any `x.client.get(...)` in a handler taken for a durable registration',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/changes.ts',
    find: "  if (how.kind === 'member') return memberUse(use, how.member, change);\n",
    replace: '',
    what: 'a const changed by a property set or a method call read as its initial value',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/changes.ts',
    find: "    return change('handed to other code');\n  }\n  // `output.generic",
    replace: '    return;\n  }\n  // `output.generic',
    what: 'a const handed to other code read as its initial value',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/run-at-load.ts',
    find: 'if (entry.deep || identity) grew = add(from, entry) || grew;',
    replace: 'if (entry.deep && identity && !entry.deep) grew = add(from, entry) || grew;',
    what: 'a const changed through another name for it read as its initial value',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/changes.ts',
    find: "change(`given to ${method}, which writes '${written}' into it,`, nested || written === 'extraInputs', how.call);",
    replace: '',
    what: 'options a registration writes into (`app.get` sets `methods`) read again by another as written',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/index.ts',
    find: 'if (via === undefined && load.guard === undefined) always.push(target.path);\n      else',
    replace: 'if (true) always.push(target.path);\n      else',
    what: 'a module loaded inside an if or a function read as if it always ran',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/walk.ts',
    find: "return isExportGetter(parent, child) ? { kind: 'getter' } : { kind: 'argument', call: parent };",
    replace: "return { kind: 'getter' };",
    what: 'a computed load in a function handed inline to a call (`files.forEach((f) => require(f))`) let through',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/run-at-load.ts',
    find: "if (use.kind === 'written' || (use.kind === 'argument' && this.isLibraryCall(use.call))) return;",
    replace: "if (use.kind === 'argument' && this.isLibraryCall(use.call)) return;",
    what: 'a function only assigned to exports taken as called at load',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/index.ts',
    find: 'for (const use of reached.imports) {',
    replace: 'for (const use of reached.imports.slice(0, 0)) {',
    what: 'loads in an exported function an importer calls at load not seen',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/walk.ts',
    find: "  ClassPrivateMethod: 'a function',\n",
    replace: '',
    what: 'a registration in a private method read as if it ran',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/walk.ts',
    find: "if (field) return node.static ? undefined : 'a class field';",
    replace: 'if (field) return undefined;',
    what: 'a registration in an instance field initialiser read as if it ran',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/walk.ts',
    find: "  BlockStatement: 'a block',\n",
    replace: '',
    what: "a registration in a bare block read with the module's names, not the block's",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: 'const where = skippable && place.guard === undefined ? { ...place, guard } : place;',
    replace: 'const where = place;',
    what: 'a registration after a top-level return read as if it ran',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: '} else takeApart(member.value, inner, undefined, fromLibrary && inner !== undefined, scope, undefined);',
    replace: '}',
    what: '`const { app: { storageQueue } } = require(...)` not followed',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: '        if (fromLibrary) throw unfollowedPattern(member, scope.file);\n',
    replace: '',
    what: 'the library taken apart with a rest element let through',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: 'bindWhole(statement.id.name, reference.expression.value, scope);',
    replace: 'void reference;',
    what: "`import func = require('@azure/functions')` not followed",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/resolve.ts',
    find: "if (specifier.startsWith('#')) return packageImport(from, specifier, kind, root);",
    replace: '',
    what: 'package.json `imports` (`#functions/x`) not followed',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/resolve.ts',
    find: "return aliasOf(specifier, aliases) ?? { kind: 'package' };",
    replace: "return { kind: 'package' };",
    what: "a load through a tsconfig paths alias taken for a package's",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/index.ts',
    find: 'throw unfollowedLoad(from, load, `cannot be resolved: ${target.why}`);',
    replace: 'continue;',
    what: 'a load that resolves to nothing let through',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-exports.ts',
    find: 'if (path !== undefined) out.named.set(exportedAs, path);',
    replace: '',
    what: "tsc's `Object.defineProperty(exports, 'app', { get })` re-export not followed",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/literal.ts',
    find: 'const name = exportTarget(inner);',
    replace: "const name = '';",
    what: "tsc's `exports.blobIn` read of its own export refused",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: "const hoisted = right.type === 'UnaryExpression' && right.operator === 'void';",
    replace: 'const hoisted = false;',
    what: "tsc's `exports.x = void 0` taken for the export's value",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-exports.ts',
    find: "for (const [key, path] of module?.named ?? []) if (key !== 'default' && !named.has(key)) named.set(key, path);",
    replace: '',
    what: "`export * from './az'` of a module that names app not followed",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: '      reExported(statement.expression, scope);\n',
    replace: '',
    what: "esbuild's bundled `__reExport(ns, require(...))` not followed",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/interop.ts',
    find: '|| commonJsNamespace(call) !== undefined;',
    replace: ';',
    what: "esbuild's `module.exports = __toCommonJS(ns)` refused",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/literal.ts',
    find: "if (member.type === 'ObjectMethod' && member.kind !== 'method')",
    replace: 'if (false)',
    what: 'a getter in the options read as a function',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module-scope.ts',
    find: '    else if (\n      declarator.init &&',
    replace: "    else if (\n      kind === 'const' &&\n      declarator.init &&",
    what: "a var never assigned again (esbuild's bundles) refused",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: "if (path[1] === 'default') throw",
    replace: 'if (false) throw',
    what: "the library's default export, undefined in CommonJS, let through",
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/literal.ts',
    find: 'if (constant.end > context.at)',
    replace: 'if (false)',
    what: 'a value read before its declaration read as its initialiser',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: '(hasHandler || (base !== undefined && !SHORTCUT_METHODS.has(method) && fromElsewhere(base, scope)))',
    replace: 'hasHandler',
    what: 'a registration method called on a package or an unfollowable module, with options by name, dropped',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/module.ts',
    find: 'const suspect = suspects.find(({ where }) => graph.runsAtLoad(where));',
    replace: 'const suspect = suspects[0];',
    what: 'a registration-like call in a handler (which never registers) fails the deploy',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/library-uses.ts',
    find: '!SHORTCUT_METHODS.has(method) && fromElsewhere',
    replace: 'fromElsewhere',
    what: "a client's `get('users', config)` as the module loads taken for `app.get`",
    tests: 'node-v4',
  },
  // KEDA.
  {
    file: 'src/keda/keda.ts',
    find: 'const difference = (left[index] ?? 0) - (right[index] ?? 0);',
    replace: 'const difference = (left[0] ?? 0) - (right[0] ?? 0);',
    what: 'versions compared by their major number only',
    tests: 'keda',
  },
  {
    file: 'src/keda/keda.ts',
    find: '    if (compareVersions(found.version, MINIMUM_KEDA) < 0) {\n      throw new UserError(\n        `KEDA ${found.version} in',
    replace:
      '    if (compareVersions(found.version, MINIMUM_KEDA) < -1) {\n      throw new UserError(\n        `KEDA ${found.version} in',
    what: 'a KEDA older than the minimum used as it is',
    tests: 'keda',
  },
  {
    file: 'src/keda/keda.ts',
    find: "if (options.addonEnabled === true || found?.installedBy === 'aks-addon') return { action: 'addon' };",
    replace: "if (options.addonEnabled === true) return { action: 'addon' };",
    what: "the AKS add-on's KEDA, found by its markers, overwritten from the manifest",
    tests: 'keda',
  },
  {
    file: 'src/keda/manifest.ts',
    find: 'if (actual !== expected) {',
    replace: 'if (actual === undefined) {',
    what: 'a KEDA manifest with the wrong SHA-256 applied',
    tests: 'keda',
  },
  {
    file: 'src/keda/keda.ts',
    find: '(status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&',
    replace: '',
    what: "KEDA's operator counted ready on its old generation",
    tests: 'keda',
  },
  {
    file: 'src/keda/keda.ts',
    find: "operator = await withRetries(() =>\n        config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'keda-operator', namespace }),",
    replace:
      "operator = await withRetries(() =>\n        config.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'keda-operator', namespace: 'aaa-tenant' }),",
    what: "KEDA's operator looked for outside the namespace its APIService names",
    tests: 'keda.test',
  },
  {
    file: 'src/keda/keda.ts',
    find: "if (!service.name?.startsWith('keda-')) {",
    replace: 'if (false) {',
    what: 'another metrics adapter holding the external metrics API taken for KEDA',
    tests: 'keda.test',
  },
  {
    file: 'src/keda/manifest.ts',
    find: 'const expected = options.manifestSha256 ?? KEDA_MANIFEST_SHA256[options.version];',
    replace: 'const expected = KEDA_MANIFEST_SHA256[options.version] ?? options.manifestSha256;',
    what: 'keda-manifest-sha256 ignored for a version the product carries',
    tests: 'keda',
  },
  // What a deploy checks before its first change.
  {
    file: 'src/apply/apply.ts',
    find: 'if (!options.dryRun) refuseUnservedKinds(applicable, managed.unserved);',
    replace: '',
    what: "a kind the cluster does not serve (KEDA's with keda: skip) applied halfway",
    tests: 'apply.test',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'if (exists && !options.dryRun) await rehearse(clients, checkable(applicable, managed.objects), options);',
    replace: '',
    what: 'no server-side dry run of the whole set before the first change',
    tests: 'apply.test',
  },
  {
    file: 'src/apply/apply.ts',
    find: "if (found.metadata?.deletionTimestamp || found.status?.phase === 'Terminating') throw terminating(name);",
    replace: '',
    what: 'a namespace being deleted deployed into',
    tests: 'apply.test',
  },
  {
    file: 'src/apply/lease.ts',
    find: 'if (apiStatus(error)?.code !== 403 || isNamespaceTerminating(error)) throw error;',
    replace: 'if (apiStatus(error)?.code !== 403) throw error;',
    what: 'a terminating namespace taken for a missing permission on Leases',
    tests: 'hardening',
  },
  {
    file: 'src/apply/lease.ts',
    find: "if (policy === 'required')",
    replace: 'if (false)',
    what: 'deploy-lease: required goes on without the Lease',
    tests: 'hardening',
  },
  {
    file: 'src/apply/apply.ts',
    find: 'return !managed.has(key) && objects.some((candidate) => objectKey(candidate) === key);',
    replace: 'return false;',
    what: 'a RoleBinding dry-run against a Role the deploy has not made yet',
    tests: 'apply.test',
  },
  // KEDA's own reason for a ScaledObject not Ready.
  {
    file: 'src/wait/verdicts.ts',
    find: 'if (allowScalerErrors && ready.reason === SCALER_ERROR_REASON)',
    replace: 'if (allowScalerErrors)',
    what: 'allow-scaler-errors accepts a ScaledObject not Ready for any reason',
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: "if (ready?.status === 'True' && reconciled && checked) {",
    replace: "if (ready?.status === 'True' && reconciled) {",
    what: 'Ready before KEDA has checked the scalers taken for healthy',
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'if (seen !== undefined && now - seen.last < checkMs)',
    replace: 'if (false)',
    what: "a reconcile's Ready=True after a failed check of the scalers taken for healthy",
    tests: 'verdicts',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: "const message = looksSecret(event.message ?? '') ? '(message withheld: it may hold a credential)' : event.message;",
    replace: 'const message = event.message;',
    what: 'an event message quoting a credential shown in the failure',
    tests: 'verdicts',
  },
  // Secrets kept out of non-Secret objects.
  {
    file: 'src/render/trigger-context.ts',
    find: 'if (isSecretSetting(name, setting)) {',
    replace: 'if (false) {',
    what: 'a connection string inlined into ScaledObject metadata',
    tests: 'hardening',
  },
  {
    file: 'src/render/objects.ts',
    find: "const settingsHash = createHmac('sha256', Buffer.from(key, 'base64'))",
    replace: "const settingsHash = createHash('sha256')",
    what: 'the settings-hash unkeyed again',
    tests: 'render.test',
  },
  // Which settings are secret.
  {
    file: 'src/render/secret-values.ts',
    find: 'return value.length > LONGEST_NAME || hasSecretName(name) || looksSecret(value);',
    replace: 'return value.length > LONGEST_NAME || looksSecret(value);',
    what: "a password whose value looks plain, not secret by its setting's name",
    tests: 'hardening|masking',
  },
  {
    file: 'src/render/secret-values.ts',
    find: 'const ending = words.slice(-2).join',
    replace: 'const ending = words.slice(-1).join',
    what: 'a name ending in CONNECTION_STRING not secret',
    tests: 'hardening',
  },
  {
    file: 'src/commands/render.ts',
    find: '    if (isShownSetting(name, value, shown)) continue;\n',
    replace: '',
    what: 'every settings value masked (a worker runtime blanked in the log)',
    tests: 'masking',
  },
  {
    file: 'src/shells/ci-step.ts',
    find: 'if (!isShownSetting(name, setting, shown)) mask(platform, setting);',
    replace: 'mask(platform, setting);',
    what: 'every app-settings value masked (a worker runtime blanked in the log)',
    tests: 'masking',
  },
  {
    file: 'src/render/secret-values.ts',
    find: 'if (value.length > LONGEST_NAME || looksSecret(value)) return false;',
    replace: 'if (value.length > LONGEST_NAME) return false;',
    what: 'a secret-looking setting a binding reads is shown in the log',
    tests: 'masking',
  },
  {
    file: 'src/render/secret-values.ts',
    find: 'shown.namingTriggerEntities.has(name)\n  );',
    replace: 'shown.namingTriggerEntities.has(name) ||\n    value.length < 12\n  );',
    what: 'a short plain value nothing vouches for (hunter2) shown in the log',
  },
  {
    file: 'src/render/secret-values.ts',
    find: 'if (hasSecretName(name)) return false;\n  return (',
    replace: 'return (',
    what: 'a setting whose name says secret shown when its value is plain (ADMIN_PIN=4829)',
    tests: 'masking',
  },
  {
    file: 'src/render/secret-values.ts',
    find: "if (typeof value === 'string' && ENTITY_PROPERTIES.has(key.toLowerCase()))",
    replace: "if (typeof value === 'string')",
    what: "a trigger's credential read by %Name% (Kafka's password) shown as if it named an entity",
    tests: 'masking',
  },
  {
    file: 'src/shells/ci-step.ts',
    find: 'const shown = shownInputValues(raw);',
    replace: 'const shown = new Set<string>();',
    what: "an app setting equal to the app's name masked (blanking it in the log and dropping the job's outputs)",
    tests: 'masking',
  },
  {
    file: 'src/image/image.ts',
    find: 'if (await doesNotResolve(host)) return byTag(',
    replace: 'if (false && (await doesNotResolve(host))) return byTag(',
    what: 'a registry host that does not resolve is retried for 40 s before the tag is deployed',
    tests: 'image-given',
  },
  {
    file: 'src/image/registry-hints.ts',
    find: "const host = server.replace(/:\\d+$/, '').replace(",
    replace: 'const host = server.replace(',
    what: 'a registry given with its port (127.0.0.1:5000) taken for a host that does not resolve',
    tests: 'image-given',
  },
  // The Python v2 indexer.
  {
    file: 'src/discovery/python-v2/bindings.ts',
    find: '.filter(([, entry]) => entry !== null)',
    replace: '',
    what: "None-valued binding keys kept (get_dict_repr's skip_none)",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/bindings.ts',
    find: 'isLetter ? (afterLetter ? char.toLowerCase() : char.toUpperCase()) : char',
    replace: 'isLetter ? (afterLetter ? char : char.toUpperCase()) : char',
    what: 'camel case keeps later capitals (not str.title())',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/index.ts',
    find: "  fill('auth_level', app.authLevel ?? null);\n",
    replace: '',
    what: "an HTTP trigger without auth_level does not get the app's",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/apply.ts',
    find: '    builder.bindings = [];\n',
    replace: '',
    what: 'a durable decorator on a plain FunctionApp keeps what was added below it',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/decorated.ts',
    find: 'if (isDurable && target !== innermost &&',
    replace: 'if (isDurable && false &&',
    what: 'a DFApp orchestration trigger not nearest the def accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/module.ts',
    find: 'const once = run.counts.get(name) === 1 && !run.globals.has(name);',
    replace: 'const once = !run.globals.has(name);',
    what: 'a variable bound twice read as a constant',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: '  let only = true;',
    replace: '  let only = true;\n  return only;',
    what: 'a list the module changes read as a constant',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: 'if (known.object.has(name)) throw strayUse(',
    replace: 'if (known.object.has(name) && use.guard === undefined) throw strayUse(',
    what: 'app used inside a function not refused',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/strings.ts',
    find: "if ((char === '{' || char === '}') && body[i + 1] === char) i++;",
    replace: '',
    what: "an f-string's {{ kept doubled",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/decorators.ts',
    find: '`cardinality:Cardinality=One lag_threshold=1000 ${DATA}`',
    replace: '`cardinality:Cardinality=One lag_threshold=100 ${DATA}`',
    what: "kafka_trigger's lag_threshold default not the library's",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/apply.ts',
    find: "if (conversion === 'BlobSource') return value instanceof PyEnum ? (BLOB_SOURCE_VALUES[value.member] ?? null) : value;",
    replace: "if (conversion === 'BlobSource') return value;",
    what: 'a BlobSource member kept by name, not by value',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "if (runtime !== undefined && runtime.trim().toLowerCase() !== 'python') return undefined;",
    replace: '',
    what: 'an app whose settings name another runtime read as Python',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/index.ts',
    find: "const shadowed = !name.includes('.') && STDLIB_MODULES.has(name);",
    replace: 'const shadowed = false;',
    what: "an app's module named like a standard library module read as the app's",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/index.ts',
    find: ' || (shadowed && path === undefined)',
    replace: '',
    what: "a folder without __init__.py named like a standard module taken for the app's",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/index.ts',
    find: '    if (first !== undefined) {',
    replace: '    if (first !== undefined && false) {',
    what: 'two functions of one name accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/index.ts',
    find: ' || importsLocal(text, root))',
    replace: ')',
    what: "an unparsable module importing the app's modules skipped",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: '      clauses.forEach((clause) => captureNames(clause, name));\n',
    replace: '',
    what: 'match captures not counted as bindings',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: "      bodies = clauses.flatMap((clause) => clause.getChildren('Body'));\n",
    replace: '',
    what: 'names bound in a match case body not counted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: "      if (node.name === 'AsPattern') name(node.lastChild);\n",
    replace: '',
    what: 'a match as-pattern not counted as a binding',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: ': argumentWalrus(child, source);',
    replace: ': null;',
    what: 'a walrus written as a call argument not counted as a binding',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/statements.ts',
    find: "    case 'TypeDefinition':\n      name(statement.getChild('VariableName'));\n      break;\n",
    replace: '',
    what: 'a type statement not counted as a binding',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/apply.ts',
    find: '} else if (argumentWalrus(first, context.scope.source) && third !== undefined) {',
    replace: '} else if (false) {',
    what: 'a walrus argument to a decorator read as a keyword',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/imports.ts',
    find: "&& base !== 'azure' && loadAll(base, run.load)) {",
    replace: "&& base !== 'azure' && false) {",
    what: "a star import from the app's module read as binding nothing",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/imports.ts',
    find: "    run.bind(name, { kind: 'other', what: `a name '${shown}' may have bound again` });",
    replace: '    void name;',
    what: 'a star import from elsewhere leaves the names bound so far as they were',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/module.ts',
    find: "        eachNode(statement, (node) => void (node.name === 'ImportStatement' && runImport(node, context)));\n",
    replace: '',
    what: 'a star import inside a try not read',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/module.ts',
    find: '  run.load.objects.push(object);\n',
    replace: '',
    what: 'registrations by a module imported in a function not seen',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: 'if (chainNode.to !== node.to && isWriteTarget(chainNode))',
    replace: 'if (false)',
    what: 'an assignment through a module accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: '      return at === 0;',
    replace: '      return false;',
    what: 'an augmented assignment through a module accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: "      return keyword === 'for';",
    replace: '      return false;',
    what: 'a loop target through a module accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: "if (attributes.length === 0 || attributes[0]?.startsWith('__'))",
    replace: 'if (attributes.length === 0)',
    what: "a module's __dict__ read as one of its names",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: "if (attributes.length === 0 || attributes[0]?.startsWith('__'))",
    replace: 'if (false)',
    what: 'a module handed to other code accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: '  if (depth !== undefined) throw strayUse(',
    replace: '  if (false) throw strayUse(',
    what: 'a Blueprint reached through a module used freely',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: '  if (!isModule && !known.library.has(name)) return;',
    replace: '  if (!isModule) return;',
    what: 'an assignment through the library accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/uses.ts',
    find: "  if (parent === 'ImportStatement') return true;\n",
    replace: '',
    what: 'an import of a module in a handler taken for a use of it',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: "new Set(['globals', 'exec',",
    replace: "new Set(['exec',",
    what: 'globals() accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: '(TOP_LEVEL_BUILTINS.has(name) && !inFunction(node))',
    replace: 'TOP_LEVEL_BUILTINS.has(name)',
    what: 'vars() in a handler refused',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: '(TOP_LEVEL_BUILTINS.has(name) && !inFunction(node))',
    replace: 'false',
    what: 'vars() and locals() at the top level accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: "if (name === 'modules' && onSys)",
    replace: 'if (false)',
    what: 'sys.modules accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: "      else if (entry.imported === 'modules') throw reached(source, node, 'sys.modules');\n",
    replace: '',
    what: 'from sys import modules accepted',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/reach.ts',
    find: '      if (registrations(run) !== before) {',
    replace: '      if (false) {',
    what: 'a module imported inside a try may register functions',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/syntax.ts',
    find: ".normalize('NFKC')",
    replace: '',
    what: 'a name read without NFKC normalisation (ＱＵＥＵＥ taken for a name other than QUEUE)',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/module.ts',
    find: ' ?? unreached.get(name);',
    replace: ';',
    what: 'a Blueprint reached through a module imported in a function used freely',
    tests: 'python-v2',
  },
  // The verification pod of a version KEDA keeps at zero.
  {
    file: 'src/wait/verify.ts',
    find: '[VERIFIED_TEMPLATE_ANNOTATION] === version.templateHash)',
    replace: '[VERIFIED_TEMPLATE_ANNOTATION] !== version.templateHash)',
    what: 'a version proven before is proven again, a new one is not',
    tests: 'verify',
  },
  {
    file: 'src/wait/verify.ts',
    find: "`AzureWebJobs.${entry.value}.Disabled`, value: 'true'",
    replace: "`AzureWebJobs.${entry.value}.Disabled`, value: 'false'",
    what: 'the verification pod runs its functions',
    tests: 'verify',
  },
  {
    file: 'src/wait/verify.ts',
    find: 'const labels = { ...appLabels(app), [VERIFIES_LABEL]: name };',
    replace: 'const labels = { ...(template.metadata?.labels ?? {}), [VERIFIES_LABEL]: name };',
    what: "the verification pod carries the template's labels, so the Deployment's selector matches it",
    tests: 'verify',
  },
  // indexer: runtime (Node.js v4): the app loaded in a child by its own library.
  {
    file: 'src/discovery/node-v4/runtime-child.ts',
    find: "(args[0] === '@azure/functions-core' ? core :",
    replace: "(args[0] === '@azure/functions-core-stand-in' ? core :",
    what: 'the stand-in core module not answered by name: the library runs in its test mode and registers nothing',
    tests: 'node-v4',
  },
  // The child process both runtime indexers run the app's code in.
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: 'const environment: NodeJS.ProcessEnv = {};',
    replace: 'const environment: NodeJS.ProcessEnv = { ...process.env };',
    what: "the runner's environment (its tokens and credentials) handed to the app's code",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: '    cwd: spec.cwd,\n',
    replace: '',
    what: "the app loaded from the tool's working folder rather than its own",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: "const timer = setTimeout(() => stop('time limit'), spec.timeLimitMs);",
    replace: 'const timer = setTimeout(() => undefined, spec.timeLimitMs);',
    what: 'an app that takes too long to load waited on',
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: "else process.kill(-child.pid, 'SIGKILL');",
    replace: "else child.kill('SIGKILL');",
    what: 'only the child killed at the time limit: a process the app started lives on',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: 'if (received > MAX_CHANNEL_BYTES) return on.overflow();',
    replace: '',
    what: 'whatever the app writes to the channel kept, unbounded',
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: 'for (const line of lines.filter((text) => text.startsWith(prefix))) {',
    replace: "for (const line of lines.map((text) => prefix + text.slice(text.indexOf(' ') + 1))) {",
    what: "the nonce not checked: a line the app writes to the channel taken for the child's answer",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/node-v4/runtime-child.ts',
    find: 'sent += writeSync(channelFd, bytes, sent);',
    replace: 'sent += writeSync(1, bytes, sent);',
    what: "the answer sent on stdout, which the app's output shares",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: "for (const value of hidden) message = message.split(value).join('***');",
    replace: '',
    what: "a setting's value quoted by the app's error shown",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/runtime-child-process.ts',
    find: "message = message.split('\\n')[0]?.trim() ?? '';",
    replace: '',
    what: "more of the app's error than its first line shown",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/node-v4/runtime.ts',
    find: "? `${where}: the app threw ${failure.thrown} with no message while loading (indexer 'runtime')`",
    replace: "? `${where}: the app threw while loading (indexer 'runtime'): `",
    what: 'an error with no message shown as an empty one',
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/python-v2/runtime-index.py',
    find: '    sys.path.append(root)\n',
    replace: '    sys.path.insert(0, root)\n',
    what: "the app's folder first on sys.path: its module named like the standard library's replaces it",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/runtime-index.py',
    find: 'if len(names) != 1:',
    replace: 'if len({id(getattr(module, name)) for name in names}) != 1:',
    what: 'two names for one FunctionApp accepted (the worker refuses them)',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/python-v2/runtime-index.py',
    find: '    if not filename or not os.path.isfile(filename):\n',
    replace: '    if not filename:\n',
    what: 'code compiled from a string placed at a file <string> in the app',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "join(resolve(root), '.venv', windows",
    replace: "join(root, '.venv', windows",
    what: "a relative app-path's .venv Python looked for from the app folder the child starts in",
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/node-v4/runtime-child.ts',
    find: "|| file.split(sep).includes('node_modules')) continue;",
    replace: ') continue;',
    what: "a function placed in the library's code rather than the app's call",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/node-v4/runtime.ts',
    find: "if (file.endsWith('.mjs')) return true;",
    replace: '',
    what: '.mjs files loaded by require() (the worker imports them)',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/runtime.ts',
    find: "return manifest.type === 'module';",
    replace: 'return false;',
    what: 'package.json "type": "module" ignored: ES module .js files loaded by require()',
    tests: 'node-v4',
  },
  {
    file: 'src/discovery/node-v4/runtime.ts',
    find: '  requireInstalledLibrary(root);\n',
    replace: '',
    what: "an app whose dependencies are not installed run anyway, ending in the app's own error",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/node-v4/runtime.ts',
    find: 'bindings: fn.bindings.map(({ properties, ...binding }) => (void properties, binding)),',
    replace: 'bindings: fn.bindings,',
    what: "the worker's `properties` side channel left in the bindings",
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "if (indexer === 'runtime') {\n      const { indexNodeAppAtRuntime }",
    replace: 'if (false) {\n      const { indexNodeAppAtRuntime }',
    what: 'indexer: runtime ignored for a Node.js app (the static indexer refuses computed registrations)',
    tests: 'node-v4-runtime',
  },
  {
    file: 'src/discovery/discover.ts',
    find: 'if (names.some((name) => /\\.(cs|fs|vb)proj$/.test(name))) {',
    replace: 'if (false) {',
    what: 'no hint at the publish output for a .NET project folder',
    tests: 'discovery',
  },
  {
    file: 'src/discovery/discover.ts',
    find: "if (names.includes('pom.xml')) {",
    replace: 'if (false) {',
    what: "no hint at the Maven plugin's staging folder for a Maven project folder",
    tests: 'discovery',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "if (indexer === 'runtime') {\n    const { indexPythonAppAtRuntime }",
    replace: 'if (false) {\n    const { indexPythonAppAtRuntime }',
    what: 'indexer: runtime ignored for a Python app (the static indexer refuses computed registrations)',
    tests: 'python-v2',
  },
  {
    file: 'src/discovery/code-first.ts',
    find: "const venv = join(resolve(root), '.venv',",
    replace: "const venv = join(resolve(root), '.no-venv',",
    what: "the app's own .venv not used for indexer: runtime",
    tests: 'python-v2',
  },
  // HTTP functions scaled on Prometheus.
  {
    file: 'src/render/http-part.ts',
    find: '...(scaler ? {} : { replicas: httpReplicas }),',
    replace: '...{ replicas: httpReplicas },',
    what: 'a Prometheus-scaled HTTP Deployment keeps a replica count a redeploy resets',
    tests: 'http-scaling',
  },
  {
    file: 'src/render/http-part.ts',
    find: '          minReplicas: httpReplicas,',
    replace: '          minReplicas: 0,',
    what: 'the HTTP ScaledObject may scale to zero',
    tests: 'http-scaling',
  },
  {
    file: 'src/render/keda-objects.ts',
    find: 'env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: container }))',
    replace: 'env: auth.env.map(({ parameter, name }) => ({ parameter, name, containerName: app }))',
    what: "KEDA reads the HTTP scaler's credentials from the event-driven container",
    tests: 'http-scaling',
  },
  {
    file: 'src/render/http-scaling.ts',
    find: 'const SETTING_REFERENCE = /%([-._a-zA-Z0-9]+)%/g;',
    replace: 'const SETTING_REFERENCE = /%([^%]+)%/g;',
    what: "PromQL's modulo read as a setting reference",
    tests: 'http-scaling',
  },
  {
    file: 'src/render/http-scaling.ts',
    find: "if (modes.includes('bearer') && modes.includes('basic'))",
    replace: "if (modes.includes('bearer') && modes.includes('tls'))",
    what: 'bearer and basic together accepted (KEDA refuses them once deployed)',
    tests: 'http-scaling',
  },
  {
    file: 'src/render/http-scaling.ts',
    find: "if (url.username !== '' || url.password !== '')",
    replace: "if (url.password !== '' && url.username === '')",
    what: 'an address with credentials written into the ScaledObject',
    tests: 'http-scaling',
  },
  {
    file: 'src/inputs/http-scaling.ts',
    find: 'if (stray) throw',
    replace: 'if (stray && false) throw',
    what: 'Prometheus inputs given with http-scaler fixed silently ignored',
    tests: 'http-scaling',
  },
  {
    file: 'src/inputs/http-scaling.ts',
    find: '!(Number(threshold) > 0)',
    replace: '!(Number(threshold) >= 0)',
    what: 'a threshold of 0 accepted',
    tests: 'http-scaling',
  },
  // Virtual nodes.
  {
    file: 'src/render/virtual-nodes.ts',
    find: "const moved = virtualNodes === 'all' ? [...events, ...http] : events;",
    replace: 'const moved = [...events, ...http];',
    what: 'virtual-nodes events moves the HTTP pods too',
    tests: 'virtual-nodes',
  },
  {
    file: 'src/render/virtual-nodes.ts',
    find: '.map(({ startupProbe, ...container }) => {',
    replace: '.map(({ ...container }) => {\n    const startupProbe = container.startupProbe;',
    what: 'the startup probe ACI refuses kept on virtual nodes',
    tests: 'virtual-nodes',
  },
  {
    file: 'src/render/virtual-nodes.ts',
    find: "{ key: 'virtual-kubelet.io/provider', operator: 'Exists' },",
    replace: "{ key: 'virtual-kubelet.io/provider', operator: 'Equal' },",
    what: "the toleration no longer matches the virtual node's taint",
    tests: 'virtual-nodes',
  },
  {
    file: 'src/wait/verdicts.ts',
    find: 'if (pod.status?.reason === PROVIDER_FAILED) {',
    replace: 'if (pod.status?.reason === PROVIDER_FAILED && false) {',
    what: 'a pod the virtual node refuses waits for the deadline',
    tests: 'virtual-nodes',
  }, // Private clusters: the AKS run command.
  {
    file: 'src/azure/run-command.ts',
    find: 'if (end < 0) {',
    replace: 'if (end < -1) {',
    what: 'output AKS cut short read as if whole',
    tests: 'private-cluster',
  },
  {
    file: 'src/azure/run-command.ts',
    find: 'if (bytes.length > RUN_COMMAND_LIMITS.contextBytes) {',
    replace: 'if (bytes.length > RUN_COMMAND_LIMITS.contextBytes * 2) {',
    what: 'a context over the limit sent anyway',
    tests: 'private-cluster',
  },
  {
    file: 'src/azure/run-command.ts',
    find: "return looksSecret(line) ? '(line withheld: it may hold a credential)' : line;",
    replace: 'return line;',
    what: 'a line from the cluster that may hold a credential printed',
    tests: 'private-cluster',
  },
];

const REPORT = 'docs/mutation-report.md';
const only = process.argv.slice(2).map(Number);

function refuseDirtySources() {
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' });
  if (dirty.trim() !== '') {
    console.error(`error: src/ has uncommitted changes; commit or stash them first (a crash must not leave a mutant):`);
    console.error(dirty.trimEnd());
    process.exit(1);
  }
}

function checkSearchStrings() {
  const bad = MUTATIONS.flatMap((mutation, index) => {
    const count = readFileSync(mutation.file, 'utf8').split(mutation.find).length - 1;
    return count === 1 ? [] : [`mutant ${index + 1} (${mutation.file}): its search text occurs ${count} times`];
  });
  if (bad.length > 0) {
    for (const line of bad) console.error(`error: ${line}`);
    process.exit(1);
  }
}

/** The file under mutation and its text, so that an interrupt puts it back, and the jest run testing it. */
let current;
let running;
function restore() {
  if (current) writeFileSync(current.file, current.original);
  current = undefined;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    running?.kill();
    console.error(`\n${signal}: the mutated file is restored`);
    process.exit(130);
  });
}

/** The unit test files that failed against the mutant, from jest's JSON report. */
async function failingTests(pattern) {
  const dir = mkdtempSync(join(tmpdir(), 'afd-mutate-'));
  const output = join(dir, 'result.json');
  try {
    const child = (running = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        'node_modules/jest/bin/jest.js',
        '--selectProjects',
        'unit',
        '--testPathPattern',
        pattern,
        '--silent',
        '--json',
        '--outputFile',
        output,
      ],
      { stdio: 'ignore' },
    ));
    const code = await new Promise((resolve) => child.on('close', resolve));
    const result = JSON.parse(readFileSync(output, 'utf8'));
    if (result.numTotalTests === 0) throw new Error(`no unit test matches ${pattern}`);
    const failed = result.testResults.filter((file) => file.status !== 'passed');
    // A mutant TypeScript rejects says nothing about the tests.
    const typeErrors = failed.filter((file) => /error TS\d+/.test(file.message));
    if (typeErrors.length > 0)
      throw new Error(`the mutant does not type-check: ${typeErrors[0].message.slice(0, 300)}`);
    if (code !== 0 && failed.length === 0) throw new Error(`jest exited ${code} with no failing test file`);
    return failed.map((file) => relative(process.cwd(), file.name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

refuseDirtySources();
checkSearchStrings();
const rows = [];
for (const [index, mutation] of MUTATIONS.entries()) {
  const number = index + 1;
  if (only.length > 0 && !only.includes(number)) continue;
  const original = readFileSync(mutation.file, 'utf8');
  let killedBy;
  try {
    current = { file: mutation.file, original };
    writeFileSync(
      mutation.file,
      original.replace(mutation.find, () => mutation.replace),
    );
    killedBy = await failingTests(mutation.tests);
  } finally {
    restore();
  }
  const row = { number, ...mutation, killedBy };
  rows.push(row);
  console.log(`${number}. ${mutation.file}: ${mutation.what}: ${killedBy.length > 0 ? 'killed' : 'SURVIVED'}`);
}

const cell = (text) => text.replace(/\|/g, '\\|');
const killed = rows.filter((row) => row.killedBy.length > 0);
const survivors = rows.filter((row) => row.killedBy.length === 0);
const table = [
  '| # | where | mutation | result | failed test files |',
  '|---|---|---|---|---|',
  ...rows.map(
    (row) =>
      `| ${row.number} | \`${row.file}\` | ${cell(row.what)} | ${row.killedBy.length > 0 ? 'killed' : '**survived**'} | ${row.killedBy.map((file) => `\`${file}\``).join(', ') || '—'} |`,
  ),
].join('\n');
const reasons = survivors.map(
  (row) => `- #${row.number} (\`${row.file}\`, ${row.what}): ${row.survives ?? '**no reason written: add a test**'}`,
);
const report = `# Mutation report

Written by \`npm run mutate\` (scripts/mutate.mjs): each mutant is one text change in src/, run against the unit test
files that cover it (integration tests are too slow for this; the bundle tests run dist/, which a mutant of src/ does
not change). ${rows.length} mutants: ${killed.length} killed, ${survivors.length} survived.

Not mutated here, as only the integration tests reach it: what needs a cluster to run (the informers and polling of
src/wait/rollout.ts and watch.ts, rollBack in src/wait/rollback.ts, the deploy Lease in src/apply/lease.ts, KEDA's
manifest apply and waitForKeda in src/keda/keda.ts) and what only the bundled shells run (reading inputs in
src/shells/action.ts and task.ts).

${table}

## Survivors

${reasons.length > 0 ? reasons.join('\n') : 'None.'}
`;
if (only.length === 0) writeFileSync(REPORT, report);
else console.log(`\n${table}`);
const unexplained = survivors.filter((row) => row.survives === undefined);
if (unexplained.length > 0) {
  console.error(
    `error: ${unexplained.length} survivor(s) with no written reason: ${unexplained.map((r) => `#${r.number}`).join(', ')}`,
  );
  process.exit(1);
}
