import { UserError } from '../errors.js';

/** What the code-first indexers (node-v4/, python-v2/) share: the function they find, and the messages they end in. */

export interface IndexedFunction {
  readonly name: string;
  /** `file:line` of the registration. */
  readonly source: string;
  readonly bindings: readonly Readonly<Record<string, unknown>>[];
}

/** The last resort every refusal of the indexers points at. */
export const TRIGGERS_INPUT = "list the app's functions in the 'triggers' input";

/** Code nested thousands deep exhausts the stack of a recursive reader: said, not crashed on. */
export function tooDeep(file: string): UserError {
  return new UserError(`${file}: nested too deeply to be read; ${TRIGGERS_INPUT}`, file);
}
