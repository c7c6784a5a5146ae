import type * as t from '@babel/types';
import type { Change, ModuleScope } from './literal.js';
import { type Use } from './flow.js';
import type { Place } from './walk.js';

/**
 * What a module runs while it loads: its top-level code, and the functions that code may call (by name, handed to a
 * call of its own, or called where they stand), through one another. A function only the library calls (a handler, a
 * hook) or that nothing calls never runs then; one an importer may call runs when that importer calls it at load.
 */

/** The module's own code, outside any function. */
export const TOP = '(the module)';

export interface Load {
  readonly specifier: string;
  /** `require` or `import`: which package.json conditions apply. */
  readonly kind: 'require' | 'import';
  readonly line: number;
  /** What makes it run only sometimes ('a function' for a load in a function the module may call). */
  readonly guard?: string;
}

/** A function of a local module the code may call as it loads: the module's specifier and the export. */
export interface ImportUse {
  readonly specifier: string;
  readonly name: string;
}

interface Facts {
  readonly calls: Set<string>;
  readonly loads: Load[];
  readonly computed: t.Node[];
  readonly imports: ImportUse[];
  readonly changes: { readonly name: string; readonly change: Change; readonly deep: boolean }[];
}

/** What runs when a function is called: its loads, the loads by a path made at run time, the imports it calls. */
export interface Reached {
  readonly loads: readonly Load[];
  readonly computed: readonly t.Node[];
  readonly imports: readonly ImportUse[];
}

export class LoadGraph {
  private readonly facts = new Map<string, Facts>();
  /** Export name → the top-level functions it hands on. */
  private readonly exported = new Map<string, Set<string>>();
  /** `const m = n` and `const m = { n }`: a change to m's value may be one to n's (always, when `identity`). */
  private readonly flows: { readonly from: string; readonly into: string; readonly identity: boolean }[] = [];

  constructor(private readonly isLibraryCall: (call: t.CallExpression | t.NewExpression) => boolean) {}

  /** The function (or the module's code) a node belongs to; undefined for one that never runs at load. */
  keyOf(where: Place): string | undefined {
    if (!where.inFunction || where.holder === undefined) return TOP;
    const { holder } = where;
    if (holder.kind === 'named') return holder.name;
    if (holder.kind === 'exported') return `export:${holder.name}`;
    if (holder.kind === 'argument') return this.isLibraryCall(holder.call) ? undefined : TOP;
    return holder.kind === 'runs' ? TOP : undefined;
  }

  private of(key: string): Facts {
    let facts = this.facts.get(key);
    if (facts === undefined) {
      facts = { calls: new Set(), loads: [], computed: [], imports: [], changes: [] };
      this.facts.set(key, facts);
    }
    return facts;
  }

  load(where: Place, load: Omit<Load, 'guard'>): void {
    const key = this.keyOf(where);
    if (key === undefined) return;
    // A function is a guard: a load in one has one.
    this.of(key).loads.push(where.guard === undefined ? load : { ...load, guard: where.guard });
  }

  computedLoad(where: Place, node: t.Node): void {
    const key = this.keyOf(where);
    if (key !== undefined) this.of(key).computed.push(node);
  }

  /** A name the code refers to, used as `use` says: how it may run a function, call an import or change a value. */
  reference(where: Place, name: string, use: Use, scope: ModuleScope): void {
    const key = this.keyOf(where);
    if (key === undefined) return;
    if (use.kind === 'exported') {
      const names = this.exported.get(use.name) ?? new Set<string>();
      names.add(name);
      this.exported.set(use.name, names);
      return;
    }
    // Assigning a name calls nothing; a function handed to the library runs only once the app is started.
    if (use.kind === 'written' || (use.kind === 'argument' && this.isLibraryCall(use.call))) return;
    this.of(key).calls.add(name);
    const imported = scope.localImports.get(name);
    if (imported !== undefined) this.usesImport(where, imported.specifier, imported.name, use);
  }

  /** What of a local module (`name`: an export, '*' for all of it) the code uses, as `use` says. */
  usesImport(where: Place, specifier: string, name: string, use: Use): void {
    const key = this.keyOf(where);
    if (key === undefined || use.kind === 'written' || use.kind === 'read' || use.kind === 'exported') return;
    if (use.kind === 'argument' && this.isLibraryCall(use.call)) return;
    const member = name === '*' && use.kind === 'member' ? memberName(use.member) : undefined;
    const called = name === '*' && use.kind === 'called' ? '' : name;
    this.of(key).imports.push({ specifier, name: member ?? called });
  }

  /** A change the code at `where` makes to a constant's value (`deep`: to anything inside it, too). */
  change(where: Place, name: string, change: Change, deep: boolean): void {
    const key = this.keyOf(where);
    if (key === undefined) return;
    const at = key === TOP && !where.inFunction ? change : { ...change, position: -1 };
    this.of(key).changes.push({ name, change: at, deep });
  }

  flow(from: string, into: string, identity: boolean): void {
    this.flows.push({ from, into, identity });
  }

  /** Every function reached from these. */
  private reach(starts: Iterable<string>): Set<string> {
    const reached = new Set<string>();
    const pending = [...starts];
    while (pending.length > 0) {
      const key = pending.pop() as string;
      if (reached.has(key)) continue;
      reached.add(key);
      for (const name of this.facts.get(key)?.calls ?? []) pending.push(name);
    }
    return reached;
  }

  private collect(keys: Set<string>): Reached {
    const facts = [...keys].map((key) => this.facts.get(key)).filter((found) => found !== undefined);
    return {
      loads: facts.flatMap(({ loads }) => loads),
      computed: facts.flatMap(({ computed }) => computed),
      imports: facts.flatMap(({ imports }) => imports),
    };
  }

  /** Whether the code at `where` runs as the module loads. */
  runsAtLoad(where: Place): boolean {
    const key = this.keyOf(where);
    return key !== undefined && this.reach([TOP]).has(key);
  }

  /** What the module runs as it loads. */
  atLoad(): Reached {
    return this.collect(this.reach([TOP]));
  }

  /** What calling an export runs ('' for the whole module.exports, as `require('./m')()` calls it). */
  whenCalled(name: string): Reached {
    const starts = new Set([...(this.exported.get(name) ?? []), `export:${name}`]);
    if (name === '*') for (const names of this.exported.values()) names.forEach((key) => starts.add(key));
    if (name === '*') for (const key of this.facts.keys()) if (key.startsWith('export:')) starts.add(key);
    return this.collect(this.reach(starts));
  }

  /** The changes made to each constant while the module loads, through the values it flows into. */
  changes(): Map<string, Change[]> {
    const running = this.reach([TOP]);
    const found = new Map<string, { change: Change; deep: boolean }[]>();
    const add = (name: string, entry: { change: Change; deep: boolean }) => {
      const list = found.get(name) ?? [];
      if (list.some((known) => known.change === entry.change)) return false;
      list.push(entry);
      found.set(name, list);
      return true;
    };
    for (const key of running)
      for (const { name, change, deep } of this.facts.get(key)?.changes ?? []) add(name, { change, deep });
    for (let grew = true; grew;) {
      grew = false;
      for (const { from, into, identity } of this.flows) {
        for (const entry of found.get(into) ?? []) if (entry.deep || identity) grew = add(from, entry) || grew;
      }
    }
    return new Map([...found].map(([name, list]) => [name, list.map(({ change }) => change)]));
  }
}

function memberName(member: t.MemberExpression | t.OptionalMemberExpression): string | undefined {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  return member.property.type === 'StringLiteral' ? member.property.value : undefined;
}
