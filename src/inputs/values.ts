import { UserError } from '../errors.js';
import { type Command, type InputSpec, INPUTS } from './schema.js';

/** Raw input strings by kebab-case name, as a shell read them. */
export type RawInputs = Readonly<Record<string, string | undefined>>;

/**
 * The values of the inputs that are not secret, one line each (the app's name, its namespace, the repository): the
 * log shows them anyway, so a setting equal to one is not masked (secret-values.ts isShownSetting).
 */
export function shownInputValues(raw: RawInputs): ReadonlySet<string> {
  return new Set(
    INPUTS.filter((spec) => !spec.secret && spec.kind !== 'text').flatMap((spec) => {
      const value = raw[spec.name]?.trim();
      return value ? [value] : [];
    }),
  );
}

const MAX_INTEGER = 2_147_483_647;
const MAX_DURATION_SECONDS = 24 * 3600;

/**
 * Inputs checked against the schema: every given input applies to the command
 * and has a well-formed value, before anything reads it.
 */
export class InputValues {
  private readonly values = new Map<string, string>();

  constructor(
    readonly command: Command,
    raw: RawInputs,
  ) {
    for (const spec of INPUTS) {
      const given = raw[spec.name];
      if (given !== undefined && given.trim() !== '' && !spec.commands.includes(command)) {
        throw new UserError(`input '${spec.name}' does not apply to ${command}`);
      }
    }
    for (const spec of INPUTS.filter((input) => input.commands.includes(command))) {
      const given = raw[spec.name];
      const value =
        given === undefined || given.trim() === '' ? spec.default : spec.kind === 'text' ? given : given.trim();
      if (value === undefined) {
        if (spec.requiredBy?.includes(command)) throw new UserError(`input '${spec.name}' is required`);
        continue;
      }
      this.values.set(spec.name, checkKind(spec, value));
    }
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw new UserError(`input '${name}' is required for ${this.command}`);
    return value;
  }

  boolean(name: string): boolean {
    return this.values.get(name)?.toLowerCase() === 'true';
  }

  integer(name: string): number | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : Number(value);
  }

  seconds(name: string): number | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : durationSeconds(value);
  }
}

function checkKind(spec: InputSpec, value: string): string {
  const shown = spec.secret ? '' : ` '${value}'`;
  switch (spec.kind) {
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw new UserError(`input '${spec.name}':${shown} is not true or false`);
      return value.toLowerCase();
    case 'integer':
      if (!/^\d+$/.test(value)) throw new UserError(`input '${spec.name}':${shown} is not a whole number of 0 or more`);
      // Kubernetes counts replicas in 32 bits.
      if (Number(value) > MAX_INTEGER) throw new UserError(`input '${spec.name}':${shown} is more than ${MAX_INTEGER}`);
      return value;
    case 'duration': {
      const seconds = durationSeconds(value);
      if (seconds === undefined)
        throw new UserError(
          `input '${spec.name}':${shown} is not a duration (seconds, or a number with s, m or h: 30s, 5m, 1h30m)`,
        );
      if (seconds > MAX_DURATION_SECONDS) throw new UserError(`input '${spec.name}':${shown} is more than 24h`);
      return value;
    }
    case 'enum': {
      const match = spec.values?.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
      if (!match) throw new UserError(`input '${spec.name}':${shown} is not one of ${spec.values?.join(', ')}`);
      return match;
    }
    default:
      return value;
  }
}

/** `90`, `90s`, `5m`, `1h30m` → seconds; anything else → undefined. */
export function durationSeconds(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!match || value === '') return undefined;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
