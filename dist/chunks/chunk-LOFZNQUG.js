import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  inGroup
} from "./chunk-TEGGAPAS.js";
import {
  whenInterrupted
} from "./chunk-O5VYS5TV.js";

// src/report/record.ts
function newRecord() {
  return { stage: "Discover and render the app", started: performance.now(), applied: [], timings: {} };
}
async function publishDeploy(platform, stages) {
  const record = newRecord();
  let published = false;
  const publish = () => {
    if (published) return;
    published = true;
    publishRecord(record, platform);
  };
  const stopReporting = whenInterrupted((signal) => {
    platform.warning(interruptedReport(signal, record));
    publish();
  });
  try {
    const result = await stages(record);
    if (record.timed) record.timings.total = secondsSince(record.started);
    return { ...result, ...record.timed ? { timings: record.timings } : {} };
  } finally {
    stopReporting();
    publish();
  }
}
function stage(record, platform, title, work) {
  record.stage = title;
  return inGroup(platform, title, work);
}
async function timed(record, name, work) {
  const started = performance.now();
  try {
    return await work();
  } finally {
    record.timings[name] = secondsSince(started);
  }
}
function secondsSince(since) {
  return Math.round(performance.now() - since) / 1e3;
}
function publishRecord(record, platform) {
  if (record.manifests !== void 0) platform.setOutput("manifests", record.manifests, record.manifestsHaveSecrets);
  const outputs = [
    ["image", record.image],
    ["digest", record.digest],
    ["keda-version", record.kedaVersion],
    ["deployments", record.deployments && JSON.stringify(record.deployments)],
    ["rollout-seconds", record.rollout?.seconds.toFixed(1)],
    ["service-ip", record.serviceIp]
  ];
  for (const [name, value] of outputs) if (value !== void 0) platform.setOutput(name, value);
  if (record.functionUrls)
    platform.setOutput("function-urls", JSON.stringify(record.functionUrls), record.functionUrlsHaveKeys);
  if (record.timed) {
    record.timings.total ??= secondsSince(record.started);
    platform.setOutput("timings", JSON.stringify(record.timings));
  }
}
function interruptedReport(signal, record) {
  const applied = record.applied.filter((object) => ["created", "configured", "pruned"].includes(object.action));
  const changes = applied.length === 0 ? "none of the app's objects was changed" : `changed so far: ${applied.map((object) => `${object.kind}/${object.name} (${object.action})`).join(", ")}`;
  const lease = record.leaseHeld ? "; the app's deploy Lease lapses in 30 s" : "";
  return `stopped by ${signal} during "${record.stage}": ${changes}; the rollout was not checked${lease}`;
}

export {
  publishDeploy,
  stage,
  timed
};
