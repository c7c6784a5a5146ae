// What every part of the bench shares: where the repository is, and the progress notes on stderr.

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)}s`;
export const note = (message) => process.stderr.write(`[bench ${elapsed()}] ${message}\n`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
