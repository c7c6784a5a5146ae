// The stack's programs as detached processes, known by the pid files under
// .cluster/pids; and the waits and port checks around starting them.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { HOST, LOGS, PIDS, STATE, log, sleep } from './config.mjs';

function pidFile(name) {
  return path.join(PIDS, `${name}.pid`);
}

// <name>.pid holds the pid alone; <name>.exe the program, to recognise it.
export function readPid(name) {
  try {
    const pid = Number(fs.readFileSync(pidFile(name), 'utf8'));
    const exe = fs.readFileSync(pidFile(name).replace(/\.pid$/, '.exe'), 'utf8');
    return { pid, exe };
  } catch {
    return null;
  }
}

// Alive and still the program we started (pids get reused).
export function isRunning(name) {
  const p = readPid(name);
  if (!p) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
    return cmdline.split('\0')[0] === p.exe;
  } catch {
    return false;
  }
}

export function startProcess(name, exe, args, { env = {}, cwd = STATE } = {}) {
  fs.mkdirSync(LOGS, { recursive: true });
  fs.mkdirSync(PIDS, { recursive: true });
  const out = fs.openSync(path.join(LOGS, `${name}.log`), 'a');
  fs.writeSync(out, `\n--- ${new Date().toISOString()} ${exe} ${args.join(' ')}\n`);
  // Own process group, so that `down` can end the program and its children together.
  const child = spawn(exe, args, {
    cwd,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...env },
  });
  fs.closeSync(out);
  child.unref();
  fs.writeFileSync(pidFile(name), `${child.pid}\n`);
  fs.writeFileSync(pidFile(name).replace(/\.pid$/, '.exe'), exe);
  return child;
}

// A test cluster needs no graceful shutdown, except Docker's own storage.
export async function stopProcess(name, graceMs = name === 'dockerd' ? 20_000 : 5000) {
  const p = readPid(name);
  if (!p) return;
  if (isRunning(name)) {
    const signal = (s) => {
      try {
        process.kill(-p.pid, s);
      } catch {
        // the group may already be gone
      }
    };
    const t0 = Date.now();
    signal('SIGTERM');
    const deadline = t0 + graceMs;
    while (Date.now() < deadline && groupAlive(p.pid)) await sleep(200);
    if (groupAlive(p.pid)) {
      log(`${name} did not stop in ${graceMs / 1000}s; killing it`);
      signal('SIGKILL');
      while (groupAlive(p.pid)) await sleep(100);
    }
    log(`stopped ${name} (pid ${p.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  fs.rmSync(pidFile(name), { force: true });
  fs.rmSync(pidFile(name).replace(/\.pid$/, '.exe'), { force: true });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(what, check, timeoutMs = 60_000, name) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    // A second look before giving up: once in a CI run a program that was running was read as gone (cause not found).
    if (name && !isRunning(name) && (await sleep(500), !isRunning(name))) {
      throw new Error(`${name} exited while waiting for ${what}; see ${path.join(LOGS, `${name}.log`)}`);
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function portFree(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

export async function requirePortFree(port, who) {
  if (!(await portFree(port))) {
    throw new Error(
      `port ${HOST}:${port} (for ${who}) is taken by another program; stop it or run \`npm run cluster:down\``,
    );
  }
}

export function tcpOpen(port, host = HOST) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => s.end(() => resolve(true)));
    s.once('error', () => resolve(false));
  });
}
