import { rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';

/**
 * The runner's per-job temp folder when there is one: GitHub and Azure
 * Pipelines wipe it after the job, so even a killed step leaves nothing behind.
 */
export function runTempDir(): string {
  return process.env.RUNNER_TEMP || process.env.AGENT_TEMPDIRECTORY || tmpdir();
}

const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let onPendingChange: ((paths: readonly string[]) => void) | undefined;

/**
 * Tells a shell which paths are waiting for removal, each time that changes:
 * the GitHub Action keeps them in its state, so its post step removes them
 * even after a main step that was killed outright (SIGKILL runs no handler).
 */
export function trackPending(listener: (paths: readonly string[]) => void): void {
  onPendingChange = listener;
}

const interruptHandlers = new Set<(signal: NodeJS.Signals) => void>();

/**
 * Runs `handler` when the process is stopped by a signal first (a cancelled
 * job), where `finally` blocks do not run. Returns the function that drops it.
 */
export function whenInterrupted(handler: (signal: NodeJS.Signals) => void): () => void {
  if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.once(signal, onSignal);
  interruptHandlers.add(handler);
  return () => {
    interruptHandlers.delete(handler);
    if (interruptHandlers.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}

/** Removes `path` when the returned function is called, or when a signal stops the process first. */
export function removedOnExit(path: string): () => void {
  const remove = () => rmSync(path, { recursive: true, force: true });
  const dropHandler = whenInterrupted(remove);
  pending.add(path);
  onPendingChange?.([...pending]);
  return () => {
    remove();
    dropHandler();
    pending.delete(path);
    onPendingChange?.([...pending]);
  };
}

function onSignal(signal: NodeJS.Signals): void {
  for (const handler of interruptHandlers) {
    try {
      handler(signal);
    } catch {
      // The other handlers (removing credentials) still run.
    }
  }
  process.exit(128 + constants.signals[signal]);
}
