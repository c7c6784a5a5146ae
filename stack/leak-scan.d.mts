// Types of what the TypeScript tests use from leak-scan.mjs.
/** The lines as the CI system shows them: masked values as ***, the mask commands themselves hidden. */
export function asShown(lines: readonly string[]): string[];
