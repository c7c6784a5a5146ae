import { ENUMS, PyDict, PyEnum, type PyValue } from './literal.js';

/**
 * A binding as azure-functions builds it (decorators/core.py): its type, direction and data type, then the
 * parameters of its class and the extra keyword arguments, in order, under their Python names. `get_dict_repr` turns
 * them into function.json's keys; this is the same, done on values read from the source.
 */
export interface BindingModel {
  readonly type: PyValue;
  readonly direction: 'IN' | 'OUT';
  readonly dataType: PyValue;
  readonly params: [string, PyValue][];
}

/** The functions an app object has registered, in the order the library keeps them (`_function_builders`). */
export type AppKind = 'FunctionApp' | 'DFApp' | 'Blueprint' | 'DFBlueprint' | 'AsgiFunctionApp' | 'WsgiFunctionApp';

export interface FunctionBuilder {
  /** The Python function's own name (`def name`). */
  readonly defName: string;
  /** `file:line` of the `def`. */
  readonly source: string;
  /** `@app.function_name(...)`: the first one added wins, as `get_setting` finds it. */
  functionName?: string;
  trigger?: BindingModel;
  bindings: BindingModel[];
}

export interface AppObject {
  readonly kind: AppKind;
  /** The name it was created under, for messages. */
  readonly name: string;
  /** The app's `http_auth_level`; a Blueprint has none. */
  readonly authLevel?: PyEnum;
  readonly builders: FunctionBuilder[];
}

/** FunctionApp and its kin are what the worker indexes (FunctionRegister); Blueprints are only registered into one. */
export function isRegister(kind: AppKind): boolean {
  return kind !== 'Blueprint' && kind !== 'DFBlueprint';
}

/** `parse_singular_param_to_enum`: a name (any case) becomes the member; a member of any enum stays as it is. */
export function toEnum(value: PyValue, enumName: string): PyEnum | null | string {
  if (value === null || value instanceof PyEnum) return value;
  if (typeof value !== 'string') return `must be one of ${ENUMS[enumName]?.join(', ')}`;
  const member = value.toUpperCase();
  if (!ENUMS[enumName]?.includes(member)) return `'${value}' is not one of ${ENUMS[enumName]?.join(', ')}`;
  return new PyEnum(enumName, member);
}

const EXCLUDED = new Set(['self', 'kwargs', 'type', 'data_type', 'direction']);

/** `get_dict_repr`: the binding's dict as json.dumps writes it (enums by name, None left out, recursively). */
export function bindingJson(binding: BindingModel): Record<string, unknown> {
  const dict: Record<string, unknown> = {
    direction: binding.direction,
    dataType: jsonOf(binding.dataType),
    type: jsonOf(binding.type),
  };
  const seen = new Set<string>();
  for (const [name] of binding.params) {
    if (seen.has(name) || EXCLUDED.has(name)) continue;
    seen.add(name);
    dict[camelCase(name)] = jsonOf(attribute(binding, name) ?? null);
  }
  return withoutNones(dict) as Record<string, unknown>;
}

/** `getattr(binding, name)`: the class's own attribute, which extra keyword arguments never replace. */
export function attribute(binding: BindingModel, name: string): PyValue | undefined {
  return binding.params.find(([param]) => param === name)?.[1];
}

function jsonOf(value: PyValue): unknown {
  if (value instanceof PyEnum) return value.member;
  if (value instanceof PyDict)
    return Object.fromEntries([...value.entries].map(([key, entry]) => [key, jsonOf(entry)]));
  if (Array.isArray(value)) return value.map(jsonOf);
  return value;
}

function withoutNones(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNones);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== null)
        .map(([key, entry]) => [key, withoutNones(entry)]),
    );
  }
  return value;
}

/**
 * `to_camel_case`: the first word as it is, each later one through Python's `str.title()` (a capital after every
 * non-letter, the rest lower case).
 */
export function camelCase(name: string): string {
  let key = camelCased.get(name);
  if (key === undefined) {
    const [first = '', ...rest] = name.split('_');
    key = first + rest.map(title).join('');
    camelCased.set(name, key);
  }
  return key;
}
const camelCased = new Map<string, string>();

function title(word: string): string {
  let out = '';
  let afterLetter = false;
  for (const char of word) {
    const isLetter = char.toLowerCase() !== char.toUpperCase();
    out += isLetter ? (afterLetter ? char.toLowerCase() : char.toUpperCase()) : char;
    afterLetter = isLetter;
  }
  return out;
}

/** Names `to_camel_case` accepts: a word, or snake case (decorators/utils.py); any other is a ValueError. */
export function isBindingKey(name: string): boolean {
  const word = /^[a-zA-Z]+\d*$/;
  const snake = /^([a-zA-Z]+\d*_|_+[a-zA-Z\d])\w*$/;
  return word.test(name) || snake.test(name);
}
