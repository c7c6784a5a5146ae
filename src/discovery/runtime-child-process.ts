import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

/**
 * What the two runtime indexers share: the child process the app's code runs in. The app may print anything, fork,
 * ignore signals or write to any file descriptor it has, so:
 * - its answer travels on a channel of its own (file descriptor 3), each message a line that starts with a nonce of
 *   this run, which the child reads from its stdin before any of the app's code runs (it is in no argument or
 *   environment variable the app could read); its stdout and stderr are dropped;
 * - it leads a process group of its own, and the whole group is killed at the time limit and once the answer is in,
 *   so nothing the app started outlives the indexing;
 * - its environment is the app settings, as the worker's is, with only what an interpreter needs of ours.
 */

export interface IndexingChild {
  readonly command: string;
  readonly args: readonly string[];
  /** The app root, absolute: the child's working folder. */
  readonly cwd: string;
  readonly settings: Readonly<Record<string, string>>;
  readonly timeLimitMs: number;
}

/** What the child said it was loading last (an entry file), when it stopped without an answer. */
type Progress = { readonly loading?: string };

export type ChildOutcome =
  | { readonly kind: 'answered'; readonly answer: unknown }
  | ({ readonly kind: 'ended'; readonly code: number | null; readonly signal: NodeJS.Signals | null } & Progress)
  | ({ readonly kind: 'time limit' } & Progress)
  | { readonly kind: 'output limit' }
  | { readonly kind: 'not started'; readonly code: string };

/** The answer for thousands of functions fits many times over; more is the app writing, and is not kept. */
export const MAX_CHANNEL_BYTES = 8 << 20;

/** The child's file descriptor for its messages. */
export const CHANNEL_FD = 3;

const WINDOWS = process.platform === 'win32';

export async function runIndexingChild(spec: IndexingChild): Promise<ChildOutcome> {
  const nonce = randomBytes(16).toString('hex');
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: childEnvironment(spec.settings),
    stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
    // A group of its own to kill whole (POSIX); Windows has no process groups to signal.
    detached: !WINDOWS,
    windowsHide: true,
  });
  const stdin = child.stdin as Writable;
  const channel = child.stdio[CHANNEL_FD] as Readable;
  // The child may end before it reads its nonce: nothing to tell then.
  stdin.on('error', () => {});
  stdin.end(`${nonce}\n`);

  let answer: { value: unknown } | undefined;
  let loading: string | undefined;
  let stopped: 'time limit' | 'output limit' | undefined;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      if (WINDOWS) child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  };
  const stop = (why: NonNullable<typeof stopped>) => {
    stopped ??= why;
    killGroup();
    // Whatever still holds the channel (a process that left the group) does not keep us waiting.
    channel.destroy();
  };

  readMessages(channel, nonce, {
    overflow: () => stop('output limit'),
    loading: (file) => (loading = file),
    answer: (value) => {
      answer ??= { value };
      // All that was asked for: what the app left running goes now.
      killGroup();
    },
  });

  const timer = setTimeout(() => stop('time limit'), spec.timeLimitMs);
  try {
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: string }>(
      (done) => {
        child.on('error', (error: NodeJS.ErrnoException) => {
          if (child.pid === undefined) done({ error: error.code ?? error.message });
        });
        // The child's own end: anything it forked that is still running in its group goes with it.
        child.on('exit', killGroup);
        child.on('close', (code, signal) => done({ code, signal }));
      },
    );
    if ('error' in ended) return { kind: 'not started', code: ended.error };
    if (stopped === 'output limit') return { kind: 'output limit' };
    if (answer !== undefined) return { kind: 'answered', answer: answer.value };
    if (stopped === 'time limit') return { kind: 'time limit', loading };
    return { kind: 'ended', ...ended, loading };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The messages on the channel: each a line starting with this run's nonce, then JSON; every other line is the app's
 * writing, ignored, and more than MAX_CHANNEL_BYTES in all is an overflow.
 */
function readMessages(
  channel: Readable,
  nonce: string,
  on: { overflow(): void; loading(file: string): void; answer(value: unknown): void },
): void {
  const prefix = `${nonce} `;
  let received = 0;
  let pending = '';
  channel.setEncoding('utf8');
  channel.on('data', (chunk: string) => {
    received += Buffer.byteLength(chunk);
    if (received > MAX_CHANNEL_BYTES) return on.overflow();
    // A line still being written is not scanned again with each piece of it.
    if (!chunk.includes('\n')) return void (pending += chunk);
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.startsWith(prefix))) {
      let message: { loading?: unknown; answer?: unknown };
      try {
        message = JSON.parse(line.slice(prefix.length)) as typeof message;
      } catch {
        continue;
      }
      if (typeof message.loading === 'string') on.loading(message.loading);
      else if ('answer' in message) on.answer(message.answer);
    }
  });
  // An error on our end of the channel closes it as an end does.
  channel.on('error', () => {});
}

/**
 * The worker's environment in the cluster holds the app's settings (the Secret the pods read): code that reads one as
 * it loads gets the value it will have there. Of this process's environment only what finds and runs an interpreter
 * (PATH, HOME, and Windows' SystemRoot) — never its tokens, credentials or NODE_OPTIONS.
 */
function childEnvironment(settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', ...(WINDOWS ? ['SystemRoot'] : [])]) {
    const value = process.env[name];
    if (value !== undefined) environment[name] = value;
  }
  return Object.assign(environment, settings);
}

/** Values this short are configuration, not credentials (the masking rule of platform.ts). */
const MIN_HIDDEN_LENGTH = 4;
/** The app's error is shown this long at most. */
const MAX_MESSAGE_LENGTH = 300;

/**
 * The app's own words, first line only: it may quote a setting it was given (each value is hidden), or a secret of its
 * own, which no one here can know, so never more than that line. Undefined when it said nothing.
 */
export function appMessage(text: string, settings: Readonly<Record<string, string>>): string | undefined {
  let message = text;
  const hidden = Object.entries(settings)
    .filter(([name, value]) => name !== 'FUNCTIONS_WORKER_RUNTIME' && value.trim().length >= MIN_HIDDEN_LENGTH)
    .map(([, value]) => value)
    // The longest first: a value that holds another is hidden whole.
    .sort((a, b) => b.length - a.length);
  for (const value of hidden) message = message.split(value).join('***');
  message = message.split('\n')[0]?.trim() ?? '';
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}…`;
  return message === '' ? undefined : message;
}
