// Running the programs measured: wall time, stderr lines stamped as they arrive, peak RSS and CPU time.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { REPO } from './common.mjs';

export const gnuTime =
  fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']).status === 0;

/**
 * Runs a program; stdout kept whole, stderr as lines each stamped with the
 * moment it arrived here (performance.now()). `rss`: the peak resident set of
 * the process and the CPU time it used, by GNU time (the kernel's rusage from
 * wait4), else (Node programs only) by a preloaded module reporting
 * process.resourceUsage() at exit.
 */
export function run(command, args, { env = process.env, rss = false, input } = {}) {
  let file = command;
  let argv = args;
  let rssFile;
  if (rss) {
    rssFile = path.join(os.tmpdir(), `afd-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    if (gnuTime) {
      argv = ['-f', '%M %U %S', '-o', rssFile, command, ...args];
      file = '/usr/bin/time';
    } else {
      const preload = `import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, [u.maxRSS, u.userCPUTime / 1e6, u.systemCPUTime / 1e6].join(' ')); });`;
      argv = ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, ...args];
    }
  }
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, {
      cwd: REPO,
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const lines = [];
    let partial = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => {
      const t = performance.now();
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop();
      for (const text of parts) lines.push({ t, text });
    });
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code) => {
      const t1 = performance.now();
      if (partial) lines.push({ t: t1, text: partial });
      let rssKiB;
      let cpuSeconds;
      if (rssFile) {
        try {
          const [maxrss, user, sys] = fs.readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
          rssKiB = maxrss;
          cpuSeconds = user + sys;
        } catch {
          rssKiB = undefined;
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({
        code,
        t0,
        t1,
        wallMs: t1 - t0,
        stdout: Buffer.concat(out).toString('utf8'),
        lines,
        rssKiB,
        cpuSeconds,
      });
    });
  });
}

export function check(result, what) {
  if (result.code !== 0) {
    const tail = result.lines
      .slice(-25)
      .map((l) => `    ${l.text}`)
      .join('\n');
    throw new Error(`${what} failed (exit ${result.code}):\n${tail}`);
  }
  return result;
}
