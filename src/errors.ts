import { apiStatus } from './cluster/status.js';

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
    super(oneLine(message));
  }
}

/** Control characters from user values (a line break in a name) shown escaped: a message stays one line. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (character) =>
    character === '\u2028' || character === '\u2029'
      ? `\\u${character.charCodeAt(0).toString(16)}`
      : JSON.stringify(character).slice(1, -1),
  );
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * The one line a shell prints for a failure. Problems of input or of the
 * world outside (a cluster that does not answer) are expected and need no
 * stack; anything else is a bug, shown as one.
 */
export function describeFailure(error: unknown): { readonly message: string; readonly expected: boolean } {
  const { message, expected } = describeAny(error);
  // A server's message or an exception's may hold line breaks and escape sequences: still one line.
  return { message: oneLine(message), expected };
}

function describeAny(error: unknown): { readonly message: string; readonly expected: boolean } {
  if (error instanceof UserError) return { message: error.message, expected: true };
  const status = apiStatus(error);
  // An API error no stage expected: the server's own Status message says most.
  if (status)
    return {
      message: `the Kubernetes API answered ${status.code}: ${status.message ?? status.reason ?? ''}`,
      expected: true,
    };
  const problem = error as Error & { code?: string; errno?: string; cause?: { code?: string } };
  const code = problem.code ?? problem.errno ?? problem.cause?.code;
  if (code && NETWORK_CODES.has(code)) {
    const url = /request to (\S+) failed/.exec(problem.message)?.[1];
    return { message: `cannot reach ${url ? new URL(url).origin : 'the server'} (${code})`, expected: true };
  }
  return { message: `unexpected failure: ${problem.message}`, expected: false };
}
