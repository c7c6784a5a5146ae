import { parseKeyValueLines } from '../inputs/checks.js';
import { type RawInputs, resolveDeployCommand } from '../inputs/resolve.js';
import { shownInputValues } from '../inputs/values.js';
import { isShownSetting, NOTHING_SHOWN } from '../render/secret-values.js';
import { INPUTS, type InputSpec } from '../inputs/schema.js';
import { mask, type Platform } from '../platform.js';
import { deployApp } from '../commands/deploy.js';
import { summaryMarkdown } from '../report/summary.js';

/**
 * What the GitHub Action and the Azure Pipelines task share: read every
 * input, mask the secret ones before anything else runs, then run the core.
 */
export async function readInputs(read: (name: string) => string | undefined, platform: Platform): Promise<RawInputs> {
  const raw: Record<string, string | undefined> = {};
  const inputs = INPUTS.filter((spec) => spec.commands.includes('deploy'));
  // Reading logs nothing here (the task's secret inputs are masked before its library loads).
  for (const input of inputs) raw[input.name] = read(input.name);
  const shown = shownInputValues(raw);
  for (const input of inputs) {
    const value = raw[input.name];
    if (value) await maskSecretInput(input, value, platform, shown);
  }
  return raw;
}

/**
 * Multi-line secrets are masked line by line. App settings are masked value by value, all but those known to name
 * something (a worker runtime), plain configuration, and values equal to an input that is not secret.
 */
export async function maskSecretInput(
  input: InputSpec,
  value: string,
  platform: Platform,
  shownInputs: ReadonlySet<string>,
): Promise<void> {
  if (!input.secret) return;
  const settings = input.name === 'app-settings' ? settingsIfWellFormed(value) : undefined;
  if (settings) {
    // Which settings a trigger reads by %Name% is known only once the app is read: in the Action and the task these
    // are masked (the README says so); a settings-file's are read with the app.
    const shown = { ...NOTHING_SHOWN, inputValues: shownInputs };
    for (const [name, setting] of Object.entries(settings))
      if (!isShownSetting(name, setting, shown)) mask(platform, setting);
    return;
  }
  // Kubeconfig content: its credentials, not every line of the file (client-node reads it, so it loads only then).
  if (input.name === 'kubeconfig' && value.includes('\n')) {
    const { kubeconfigSecrets } = await import('../cluster/kube.js');
    for (const secret of kubeconfigSecrets(value)) mask(platform, secret);
    return;
  }
  for (const line of value.split(/\r?\n/).filter((l) => l.trim() !== '')) {
    mask(platform, line);
    const equals = line.indexOf('=');
    if (input.kind === 'text' && equals > 0 && equals < line.length - 1) mask(platform, line.slice(equals + 1));
  }
}

/** The settings; undefined when the text is not well-formed: resolving refuses it, and any line may be a secret. */
function settingsIfWellFormed(text: string): Record<string, string> | undefined {
  try {
    return parseKeyValueLines('app-settings', text);
  } catch {
    return undefined;
  }
}

/** The Action's state key for paths a main step may have left behind. */
export const PENDING_STATE = 'pending-cleanup';

export interface StepOutcome {
  /** The run's summary as Markdown. */
  readonly summary: string;
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly dryRun: boolean;
}

/** Runs the deploy. */
export async function runStep(raw: RawInputs, platform: Platform): Promise<StepOutcome> {
  const options = resolveDeployCommand(raw);
  const result = await deployApp(options, platform);
  const { name, namespace } = options.render;
  return {
    summary: summaryMarkdown(name, namespace, result),
    name,
    namespace,
    image: result.image,
    dryRun: options.dryRun || options.cluster === undefined,
  };
}
