import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/discovery/runtime-child-process.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
var MAX_CHANNEL_BYTES = 8 << 20;
var CHANNEL_FD = 3;
var WINDOWS = process.platform === "win32";
async function runIndexingChild(spec) {
  const nonce = randomBytes(16).toString("hex");
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: childEnvironment(spec.settings),
    stdio: ["pipe", "ignore", "ignore", "pipe"],
    // A group of its own to kill whole (POSIX); Windows has no process groups to signal.
    detached: !WINDOWS,
    windowsHide: true
  });
  const stdin = child.stdin;
  const channel = child.stdio[CHANNEL_FD];
  stdin.on("error", () => {
  });
  stdin.end(`${nonce}
`);
  let answer;
  let loading;
  let stopped;
  const killGroup = () => {
    if (child.pid === void 0) return;
    try {
      if (WINDOWS) child.kill("SIGKILL");
      else process.kill(-child.pid, "SIGKILL");
    } catch {
    }
  };
  const stop = (why) => {
    stopped ??= why;
    killGroup();
    channel.destroy();
  };
  readMessages(channel, nonce, {
    overflow: () => stop("output limit"),
    loading: (file) => loading = file,
    answer: (value) => {
      answer ??= { value };
      killGroup();
    }
  });
  const timer = setTimeout(() => stop("time limit"), spec.timeLimitMs);
  try {
    const ended = await new Promise(
      (done) => {
        child.on("error", (error) => {
          if (child.pid === void 0) done({ error: error.code ?? error.message });
        });
        child.on("exit", killGroup);
        child.on("close", (code, signal) => done({ code, signal }));
      }
    );
    if ("error" in ended) return { kind: "not started", code: ended.error };
    if (stopped === "output limit") return { kind: "output limit" };
    if (answer !== void 0) return { kind: "answered", answer: answer.value };
    if (stopped === "time limit") return { kind: "time limit", loading };
    return { kind: "ended", ...ended, loading };
  } finally {
    clearTimeout(timer);
  }
}
function readMessages(channel, nonce, on) {
  const prefix = `${nonce} `;
  let received = 0;
  let pending = "";
  channel.setEncoding("utf8");
  channel.on("data", (chunk) => {
    received += Buffer.byteLength(chunk);
    if (received > MAX_CHANNEL_BYTES) return on.overflow();
    if (!chunk.includes("\n")) return void (pending += chunk);
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines.filter((text) => text.startsWith(prefix))) {
      let message;
      try {
        message = JSON.parse(line.slice(prefix.length));
      } catch {
        continue;
      }
      if (typeof message.loading === "string") on.loading(message.loading);
      else if ("answer" in message) on.answer(message.answer);
    }
  });
  channel.on("error", () => {
  });
}
function childEnvironment(settings) {
  const environment = {};
  for (const name of ["PATH", "HOME", ...WINDOWS ? ["SystemRoot"] : []]) {
    const value = process.env[name];
    if (value !== void 0) environment[name] = value;
  }
  return Object.assign(environment, settings);
}
var MIN_HIDDEN_LENGTH = 4;
var MAX_MESSAGE_LENGTH = 300;
function appMessage(text, settings) {
  let message = text;
  const hidden = Object.entries(settings).filter(([name, value]) => name !== "FUNCTIONS_WORKER_RUNTIME" && value.trim().length >= MIN_HIDDEN_LENGTH).map(([, value]) => value).sort((a, b) => b.length - a.length);
  for (const value of hidden) message = message.split(value).join("***");
  message = message.split("\n")[0]?.trim() ?? "";
  if (message.length > MAX_MESSAGE_LENGTH) message = `${message.slice(0, MAX_MESSAGE_LENGTH)}\u2026`;
  return message === "" ? void 0 : message;
}

export {
  MAX_CHANNEL_BYTES,
  CHANNEL_FD,
  runIndexingChild,
  appMessage
};
