import { camelCase, INPUTS, type InputSpec } from '../inputs/schema.js';

/**
 * The secret inputs, read from the environment before azure-pipelines-task-lib
 * loads: it moves INPUT_* into its vault and debug-logs each input as it is
 * read, so they must be masked before the first getInput. Import this first.
 */
export const secretInputs: readonly { input: InputSpec; value: string }[] = INPUTS.filter((input) => input.secret).flatMap((input) => {
  const value = process.env[`INPUT_${camelCase(input.name).toUpperCase()}`];
  return value ? [{ input, value }] : [];
});
