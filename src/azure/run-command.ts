import type { ContainerServiceClient } from '@azure/arm-containerservice';
import JSZip from 'jszip';
import { UserError } from '../errors.js';
import type { Log } from '../platform.js';
import { looksSecret } from '../render/secret-values.js';
import { armFailure, CLUSTER_TARGET } from './arm-errors.js';
import type { AksCluster } from './aks.js';

/**
 * AKS run command (ManagedClusters_RunCommand and ManagedClusters_GetCommandResult, azure-rest-api-specs
 * specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2025-10-01/
 * managedClusters.json: RunCommandRequest { command, context, clusterToken }, RunCommandResult { id, properties:
 * CommandResultProperties { provisioningState, exitCode, startedAt, finishedAt, logs, reason } }): AKS starts a pod
 * in the cluster that runs the command with kubectl, the POST answers 202 with a Location to poll, and the result
 * carries the command's output. The files the command reads travel as the context, a base64 zip, never on the
 * command line.
 */

/**
 * Our limits, checked before a command is sent. ARM refuses request bodies over 4 MB; the context is base64 in the
 * JSON body, so its zip is kept well under that. AKS keeps only so much of a command's output: ours ends with a
 * marker line, and an output without it was cut short. A command pod runs at most this long here, and a wait longer
 * than that is split into several commands.
 */
export const RUN_COMMAND_LIMITS = { contextBytes: 2 * 1024 * 1024, runSeconds: 15 * 60 } as const;

/** Printed last by every command: its absence means AKS truncated the logs. */
export const END_MARKER = 'aks-functions-deploy: end';

export interface CommandStep {
  /** What the step does, for the log and errors ("read the cluster state"). */
  readonly title: string;
  /** The shell command line: only `sh` and file names from the context, never a value. */
  readonly command: string;
  /** File name → content, unpacked in the command's working directory. */
  readonly files: Readonly<Record<string, string>>;
}

export interface CommandOutput {
  readonly exitCode: number;
  /** The command's logs without the end marker. */
  readonly logs: string;
  readonly seconds: number;
}

/** Runs one step in the cluster through ARM; resolves to its output once AKS reports it finished. */
export type RunCommand = (step: CommandStep) => Promise<CommandOutput>;

/** The zip of a step's files, as the context's base64; refused here when it is over the limit. */
export async function commandContext(step: CommandStep): Promise<string> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(step.files)) zip.file(name, content);
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  if (bytes.length > RUN_COMMAND_LIMITS.contextBytes) {
    throw new UserError(
      `${step.title}: its files are ${Math.ceil(bytes.length / 1024)} KiB zipped, over the ` +
        `${RUN_COMMAND_LIMITS.contextBytes / 1024} KiB this step sends in one AKS run command; nothing was run`,
    );
  }
  return bytes.toString('base64');
}

/** A command's result as AKS reports it: failed to run, cut short, or its exit code and logs. */
export function commandOutcome(
  step: CommandStep,
  result: { provisioningState?: string; exitCode?: number; logs?: string; reason?: string },
  seconds: number,
): CommandOutput {
  const state = result.provisioningState?.toLowerCase();
  if (state !== 'succeeded') {
    // AKS's reason names why the command pod did not run (ImagePullBackoff, a timeout); it never holds our values.
    throw new UserError(
      `${step.title}: the AKS run command ${state ?? 'gave no state'}` +
        `${result.reason ? `: ${safeLine(result.reason)}` : ''}; nothing more was run`,
    );
  }
  const logs = result.logs ?? '';
  const end = logs.lastIndexOf(END_MARKER);
  if (end < 0) {
    throw new UserError(
      `${step.title}: the AKS run command's output was cut short (${logs.length} characters, no end line), so ` +
        `its result cannot be read; what the command did is unknown: deploy again to finish it`,
    );
  }
  return { exitCode: result.exitCode ?? 0, logs: logs.slice(0, end), seconds };
}

/** A line from the cluster for the log: withheld when it may hold a credential. */
export function safeLine(line: string): string {
  return looksSecret(line) ? '(line withheld: it may hold a credential)' : line;
}

/** What a deploy through AKS run command does not offer: a server-side dry run, a rollback. */
export function notThroughRunCommand(options: { dryRun: boolean; rollbackOnFailure: boolean }): UserError | undefined {
  if (options.dryRun)
    return new UserError(
      `input 'dry-run': a server-side dry run is not offered through AKS run command (private cluster)`,
    );
  if (options.rollbackOnFailure)
    return new UserError(
      `input 'rollback-on-failure' is not offered through AKS run command (private cluster): set it false`,
    );
  return undefined;
}

/** Runs steps through the cluster's run command, with the Entra token AKS expects of an Entra ID cluster. */
export function aksRunCommand(
  client: ContainerServiceClient,
  cluster: AksCluster,
  clusterToken: (() => Promise<string>) | undefined,
  log: Log,
): RunCommand {
  return async (step) => {
    const context = await commandContext(step);
    const started = Date.now();
    const result = await client.managedClusters
      .runCommand(cluster.resourceGroup, cluster.clusterName, {
        command: step.command,
        context,
        ...(clusterToken ? { clusterToken: await clusterToken() } : {}),
      })
      .catch((error: unknown) => {
        throw armFailure(error, `run a command in AKS cluster ${cluster.clusterName} (${step.title})`, {
          // runCommand/action and commandResults/read (AKS: "Access a private cluster using command invoke"): the
          // Cluster User Role has neither; the AKS Contributor Role (managedClusters/*) has both.
          role: 'Azure Kubernetes Service Contributor Role',
          ...CLUSTER_TARGET,
        });
      });
    const seconds = (Date.now() - started) / 1000;
    log.info(`AKS run command: ${step.title} (${seconds.toFixed(1)}s, exit ${result.exitCode ?? '?'})`);
    return commandOutcome(step, result, seconds);
  };
}
