/**
 * How every stage reports: progress lines and warnings, nothing else. Pure
 * functions (discovery, render) return their warnings as data instead, and the
 * stage that calls them passes them on here.
 */
export interface Log {
  info(message: string): void;
  /** `file` (relative to the workspace) lets a shell annotate the right place. */
  warning(message: string, file?: string): void;
}

/**
 * The one small interface through which the core talks to whatever runs it
 * (the CLI, a GitHub Action, an Azure Pipelines task).
 */
export interface Platform extends Log {
  /** Hide this value from every log line from now on. */
  setSecret(value: string): void;
  /**
   * `secret`: the value holds a credential the user asked to see (a platform that has secret variables keeps it as
   * one).
   */
  setOutput(name: string, value: string, secret?: boolean): void;
  /** An OIDC token from the CI system for this audience, where it offers one (GitHub Actions). */
  readonly oidcToken?: (audience: string) => Promise<string>;
  /** Runs one stage of the deploy under a collapsible heading, where the log has them. */
  readonly group?: <T>(title: string, work: () => Promise<T>) => Promise<T>;
  /** The commit and the CI run doing this, recorded on what is deployed. */
  readonly run: { readonly commit?: string; readonly url?: string };
}

/**
 * Values this short are configuration (`2`, `on`), not credentials; masking
 * them would blank every such string in the log and hide what matters.
 */
const MIN_MASKED_LENGTH = 4;

/** Line by line: logs are matched a line at a time, and Azure Pipelines refuses a secret with a line break. */
export function mask(platform: Platform, value: string): void {
  for (const line of value.split(/\r?\n/)) {
    if (line.trim().length >= MIN_MASKED_LENGTH) platform.setSecret(line);
  }
}

/** `work` under the platform's heading for it, or as is where there are none. */
export function inGroup<T>(platform: Platform, title: string, work: () => Promise<T>): Promise<T> {
  return platform.group ? platform.group(title, work) : work();
}
