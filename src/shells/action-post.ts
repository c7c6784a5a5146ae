import { rmSync } from 'node:fs';
import * as core from '@actions/core';
import { PENDING_STATE } from './ci-step.js';

/**
 * The Action's post step (post-if: always()): removes the per-run files the
 * main step recorded and did not get to remove, such as a registry login of
 * a main step that was killed.
 */
const pending = JSON.parse(core.getState(PENDING_STATE) || '[]') as string[];
for (const path of pending) {
  rmSync(path, { recursive: true, force: true });
  core.info(`removed ${path}`);
}
