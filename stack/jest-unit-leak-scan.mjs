// Jest globalSetup and globalTeardown of the unit project: the leak scan over
// what the unit tests that run the bundled Action and task captured (there is
// no stack to bring up here; the capture lives in a temp folder of the run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanCaptured, startCapture } from './leak-scan.mjs';

const STATE = path.join(os.tmpdir(), `afd-unit-capture-${process.pid}`);

export async function setup() {
  startCapture(STATE);
}

export async function teardown() {
  const leaks = scanCaptured(STATE, {});
  // Kept when something leaked: the report points into it.
  if (leaks.length > 0) throw new Error(`leak scan failed:\n${leaks.join('\n')}`);
  fs.rmSync(STATE, { recursive: true, force: true });
  console.error('leak scan: no secret in the captured output of the unit tests');
}
