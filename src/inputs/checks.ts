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
 * KEY=VALUE lines (blank lines and # comments skipped). Values are secret, so
 * errors name the line and the key, never the value.
 */
export function parseKeyValueLines(input: string, text: string | undefined): Record<string, string> {
  // No prototype: a key named `constructor` or `__proto__` is a key like any other.
  const result: Record<string, string> = Object.create(null);
  (text ?? '').split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals < 0 ? '' : line.slice(0, equals).trim();
    if (equals <= 0 || key === '') throw new UserError(`input '${input}', line ${index + 1}: expected KEY=VALUE`);
    if (!isValidSettingKey(key)) {
      throw new UserError(
        `input '${input}', line ${index + 1}: '${key}' is not a valid setting name (letters, digits, '-', '_' ` +
          `and '.'; use '__' for nesting)`,
      );
    }
    result[key] = line.slice(equals + 1);
  });
  return result;
}
