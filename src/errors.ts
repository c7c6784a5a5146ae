/**
 * A problem with what the user gave us: bad input, a broken app file, a
 * setting that cannot be resolved. Shells print it as one `error:` line with
 * no stack trace; anything else is a bug and keeps its stack under debug.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** The file the problem is in, for annotations (`::error file=…`). */
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}
