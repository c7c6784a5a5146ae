import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';

/**
 * Reads a JSON file the way the Functions host does (a UTF-8 BOM is allowed)
 * and turns a syntax error into a message with the file, line and column.
 */
export function readJsonFile(path: string, shownAs: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`${shownAs}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, shownAs);
  }
  return parseJson(text.replace(/^\uFEFF/, ''), shownAs);
}

export function parseJson(text: string, shownAs: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    throw new UserError(`${shownAs}:${line}:${column}: invalid JSON: ${reason}`, shownAs, line, column);
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
