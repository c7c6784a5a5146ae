import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/report/summary.ts
function summaryMarkdown(app, namespace, result) {
  const rows = [
    ["image", `\`${result.image}\``],
    ["namespace", `\`${namespace}\``],
    ...result.kedaVersion ? [["KEDA", result.kedaVersion]] : [],
    [
      "rollout",
      result.rollout ? `healthy in ${result.rollout.seconds.toFixed(1)}s` : result.applied.length > 0 ? "not waited for" : "dry run: nothing applied"
    ],
    ...result.serviceIp ? [["service address", `\`${result.serviceIp}\``]] : [],
    ...result.timings?.total !== void 0 ? [["time", stageTimes(result.timings)]] : []
  ];
  const lines = [
    `### ${app} deployed`,
    "",
    "| | |",
    "|---|---|",
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    ""
  ];
  if (result.applied.length > 0) {
    lines.push(
      "| object | change |",
      "|---|---|",
      ...result.applied.map((object) => `| ${object.kind}/${object.name} | ${object.action} |`),
      ""
    );
  }
  const urls = Object.entries(result.functionUrls ?? {});
  if (urls.length > 0)
    lines.push("| function | URL |", "|---|---|", ...urls.map(([name, url]) => `| ${name} | ${withoutKey(url)} |`), "");
  return lines.join("\n");
}
function stageTimes(timings) {
  const stages = Object.entries(timings).filter(([stage, value]) => stage !== "total" && value !== void 0);
  return `${timings.total}s (${stages.map(([stage, value]) => `${stage} ${value}s`).join(", ")})`;
}
function withoutKey(url) {
  const parsed = new URL(url);
  parsed.searchParams.delete("code");
  return decodeURI(parsed.toString());
}

export {
  summaryMarkdown
};
