import { type ParseError, parse as parseLocated, printParseErrorCode } from 'jsonc-parser';
import { UserError } from '../errors.js';
import { readUserFile } from '../files.js';

/**
 * Reads a JSON file the way the Functions host does (a UTF-8 BOM is allowed)
 * and turns a syntax error into a message with the file, line and column.
 */
export function readJsonFile(path: string, shownAs: string): unknown {
  const text = readUserFile(path, shownAs).toString('utf8');
  return parseJson(text.replace(/^\uFEFF/, ''), shownAs);
}

export function parseJson(text: string, shownAs: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse does not always say where, and its message quotes the text
    // (which may hold secrets); a strict jsonc-parser pass finds the spot.
    const problems: ParseError[] = [];
    try {
      parseLocated(text, problems, { disallowComments: true, allowTrailingComma: false });
    } catch {
      // The parser recurses: nesting thousands deep exhausts the stack before it finds the spot.
      throw new UserError(`${shownAs}: invalid JSON, nested too deeply to say where`, shownAs);
    }
    const first = problems[0];
    const offset = first?.offset ?? text.length;
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    const reason = first ? words(printParseErrorCode(first.error)) : 'not valid JSON';
    throw new UserError(`${shownAs}:${line}:${column}: invalid JSON: ${reason}`, shownAs, line, column);
  }
}

/** `CloseBraceExpected` → `close brace expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
