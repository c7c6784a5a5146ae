/**
 * Python string and number literals, as the parser delimits them, turned into the values CPython gives them (the
 * lexical rules of the Python reference, "String and Bytes literals" and "Numeric literals"). A result that is a
 * `{ refused }` names what only running the code could give.
 */

export type Decoded<T> = T | { readonly refused: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** One string token (`'x'`, `r"x"`, `"""x"""`, `f'x'` with no fields), as its value. */
export function decodeString(token: string): Decoded<string> {
  let start = 0;
  while (start < token.length && token[start] !== '"' && token[start] !== "'") start++;
  const prefix = token.slice(0, start).toLowerCase();
  if (prefix.includes('b')) return { refused: 'a bytes literal' };
  const quote =
    token.slice(start, start + 3) === token[start]?.repeat(3) ? token.slice(start, start + 3) : token[start];
  const body = token.slice(start + (quote?.length ?? 1), token.length - (quote?.length ?? 1));
  const formatted = prefix.includes('f') ? unbrace(body) : body;
  return prefix.includes('r') ? formatted : unescape(formatted);
}

/** `{{` and `}}` of an f-string with no fields. */
function unbrace(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    out += char;
    if ((char === '{' || char === '}') && body[i + 1] === char) i++;
  }
  return out;
}

function unescape(body: string): Decoded<string> {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i] as string;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = body[i + 1] ?? '';
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === '\n' || next === '\r') {
      // A backslash at the end of a line joins the lines.
      i += next === '\r' && body[i + 2] === '\n' ? 2 : 1;
    } else if (next >= '0' && next <= '7') {
      let digits = '';
      while (
        digits.length < 3 &&
        (body[i + 1 + digits.length] ?? '8') >= '0' &&
        (body[i + 1 + digits.length] ?? '8') <= '7'
      )
        digits += body[i + 1 + digits.length];
      out += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      const code = hex.length === width && [...hex].every(isHexDigit) ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) return { refused: `a malformed \\${next} escape` };
      out += String.fromCodePoint(code);
      i += 1 + width;
    } else if (next === 'N') {
      return { refused: 'a \\N{…} escape' };
    } else {
      // An unknown escape keeps its backslash.
      out += char;
    }
  }
  return out;
}

function isHexDigit(char: string): boolean {
  return (char >= '0' && char <= '9') || (char >= 'a' && char <= 'f') || (char >= 'A' && char <= 'F');
}

/** An integer or float literal; complex numbers and integers a double cannot hold exactly are refused. */
export function decodeNumber(token: string): Decoded<number> {
  const digits = token.replaceAll('_', '');
  const lower = digits.toLowerCase();
  if (lower.endsWith('j')) return { refused: 'a complex number' };
  const base = lower.startsWith('0x') ? 16 : lower.startsWith('0o') ? 8 : lower.startsWith('0b') ? 2 : 10;
  const isInteger = base !== 10 || ![...lower].some((c) => c === '.' || c === 'e');
  const value = base === 10 ? Number(lower) : parseInt(lower.slice(2), base);
  if (isInteger && !Number.isSafeInteger(value)) return { refused: 'an integer too large to read exactly' };
  return value;
}
