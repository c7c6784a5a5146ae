import { UserError } from '../errors.js';
import { isValidSettingKey } from '../discovery/model.js';
import { KEYS_SECRET_PREFIX } from '../inventory/labels.js';
import { parseImageReference } from '../registry/reference.js';

export const NAME_MAX_LENGTH = 47;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkAppName(name: string): string {
  if (name.length > NAME_MAX_LENGTH || !DNS_LABEL.test(name)) {
    throw new UserError(
      `input 'name': '${name}' is not a valid app name: use lower-case letters, digits and '-', start with a ` +
        `letter, end with a letter or digit, at most ${NAME_MAX_LENGTH} characters (so that '${name.slice(0, 20)}…-http' and the other generated names stay valid)`,
    );
  }
  if (name.startsWith(KEYS_SECRET_PREFIX)) {
    throw new UserError(
      `input 'name': '${name}' starts with '${KEYS_SECRET_PREFIX}': the app's settings Secret, named after it, ` +
        `would be the keys Secret of app '${name.slice(KEYS_SECRET_PREFIX.length)}'; choose another name`,
    );
  }
  return name;
}

export function checkLabel(input: string, value: string | undefined, max = 63): string | undefined {
  if (value !== undefined && (value.length > max || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes name (lower-case letters, digits and '-', at ` +
        `most ${max} characters)`,
    );
  }
  return value;
}

export function checkObjectName(input: string, value: string | undefined): string | undefined {
  if (value !== undefined && (value.length > 253 || !DNS_SUBDOMAIN.test(value))) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid Kubernetes object name (lower-case letters, digits, '-' and '.')`,
    );
  }
  return value;
}

export function checkImageReference(input: string, value: string): string {
  if (parseImageReference(value) === undefined) {
    throw new UserError(
      `input '${input}': '${value}' is not a valid image reference ([registry/]repository[:tag][@sha256:digest])`,
    );
  }
  return value;
}

/**
 * KEY=VALUE lines (blank lines and # comments skipped), and multi-line values
 * (a PEM) as GitHub's outputs write them: `KEY<<DELIMITER`, the lines, then
 * DELIMITER alone. Any line may be part of a secret, so errors name the line
 * number and what is wrong, never its text (not even the key).
 */
export function parseKeyValueLines(input: string, text: string | undefined): Record<string, string> {
  // No prototype: a key named `constructor` or `__proto__` is a key like any other.
  const result: Record<string, string> = Object.create(null);
  const lines = (text ?? '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const where = `input '${input}', line ${index + 1}`;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    // As GitHub reads them: whichever of `=` and `<<` comes first decides.
    const isHeredoc = heredoc >= 0 && (equals < 0 || heredoc < equals);
    const split = isHeredoc ? heredoc : equals;
    const key = split < 0 ? '' : line.slice(0, split).trim();
    if (key === '') throw new UserError(`${where}: expected KEY=VALUE or KEY<<DELIMITER`);
    if (!isValidSettingKey(key)) {
      throw new UserError(
        `${where}: the key is not a valid setting name (letters, digits, '-', '_' and '.'; use '__' for nesting)`,
      );
    }
    if (!isHeredoc) {
      result[key] = line.slice(equals + 1);
      // Its next lines would read as settings of their own.
      if (/^\s*-----BEGIN /.test(result[key]) && !result[key].includes('-----END '))
        throw new UserError(`${where}: a PEM value spans several lines: write it as KEY<<DELIMITER`);
      continue;
    }
    const delimiter = line.slice(heredoc + 2).trim();
    if (delimiter === '' || /\s/.test(delimiter)) throw new UserError(`${where}: KEY<<DELIMITER needs a delimiter`);
    const end = lines.findIndex((other, at) => at > index && other.trim() === delimiter);
    if (end < 0) throw new UserError(`${where}: KEY<<DELIMITER has no line with its DELIMITER to end the value`);
    result[key] = lines.slice(index + 1, end).join('\n');
    index = end;
  }
  return result;
}
