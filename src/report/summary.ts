import type { DeployResult, StageTimings } from './record.js';

/**
 * The run's summary as Markdown, for GitHub's job summary and the Azure
 * Pipelines summary tab: what was deployed and where it answers. Keys are
 * never in it, even when they were asked for in the outputs.
 */
export function summaryMarkdown(app: string, namespace: string, result: DeployResult): string {
  const rows: [string, string][] = [
    ['image', `\`${result.image}\``],
    ['namespace', `\`${namespace}\``],
    ...(result.kedaVersion ? ([['KEDA', result.kedaVersion]] as [string, string][]) : []),
    [
      'rollout',
      result.rollout
        ? `healthy in ${result.rollout.seconds.toFixed(1)}s`
        : result.applied.length > 0
          ? 'not waited for'
          : 'dry run: nothing applied',
    ],
    ...(result.serviceIp ? ([['service address', `\`${result.serviceIp}\``]] as [string, string][]) : []),
    ...(result.timings?.total !== undefined ? ([['time', stageTimes(result.timings)]] as [string, string][]) : []),
  ];
  const lines = [
    `### ${app} deployed`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
  ];
  if (result.applied.length > 0) {
    lines.push(
      '| object | change |',
      '|---|---|',
      ...result.applied.map((object) => `| ${object.kind}/${object.name} | ${object.action} |`),
      '',
    );
  }
  const urls = Object.entries(result.functionUrls ?? {});
  if (urls.length > 0)
    lines.push('| function | URL |', '|---|---|', ...urls.map(([name, url]) => `| ${name} | ${withoutKey(url)} |`), '');
  return lines.join('\n');
}

/** `4.1s (image 1.2s, cluster 0.5s, …)`: the whole deploy, then each stage. */
function stageTimes(timings: StageTimings): string {
  const stages = Object.entries(timings).filter(([stage, value]) => stage !== 'total' && value !== undefined);
  return `${timings.total}s (${stages.map(([stage, value]) => `${stage} ${value}s`).join(', ')})`;
}

function withoutKey(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('code');
  // Route templates ({id}) stay readable.
  return decodeURI(parsed.toString());
}
