// What the tests hand to the leak scan (stack/leak-scan.mjs, run after each
// project): the output of every deploy and of every run of a bundled entry,
// and every secret a test used or was handed.
import { appendFileSync } from 'node:fs';

export function captureOutput(text: string): void {
  if (process.env.AFD_CAPTURED_OUTPUT) appendFileSync(process.env.AFD_CAPTURED_OUTPUT, `${text}\n`);
}

export function captureSecrets(values: readonly string[]): void {
  if (process.env.AFD_CAPTURED_SECRETS)
    appendFileSync(process.env.AFD_CAPTURED_SECRETS, values.map((value) => `${value}\n`).join(''));
}
