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

/**
 * Removes `path` when the returned function is called, or when the process is
 * stopped by a signal first (a cancelled job): `finally` blocks do not run then.
 */
export function removedOnExit(path: string): () => void {
  if (pending.size === 0) for (const signal of SIGNALS) process.once(signal, onSignal);
  pending.add(path);
  onPendingChange?.([...pending]);
  return () => {
    rmSync(path, { recursive: true, force: true });
    pending.delete(path);
    onPendingChange?.([...pending]);
    if (pending.size === 0) for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
}

function onSignal(signal: NodeJS.Signals): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  process.exit(128 + constants.signals[signal]);
}
