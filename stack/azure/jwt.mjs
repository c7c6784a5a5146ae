// RS256 JWTs: every token a stand-in hands out is a real one, signed by that
// service's own key and published in its JWKS.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

/** An RS256 signing key with the JWKS entry that publishes it. */
export async function newSigner() {
  const { privateKey, publicKey } = await promisify(crypto.generateKeyPair)('rsa', { modulusLength: 2048 });
  const kid = crypto
    .createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64url');
  const jwk = { kty: 'RSA', use: 'sig', alg: 'RS256', kid, x5t: kid, ...publicKey.export({ format: 'jwk' }) };
  return { privateKey, publicKey, kid, jwk };
}

export function signJwt(signer, claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ typ: 'JWT', alg: 'RS256', kid: signer.kid, x5t: signer.kid })}.${enc(claims)}`;
  return `${input}.${crypto.sign('sha256', Buffer.from(input), signer.privateKey).toString('base64url')}`;
}

/** Header and claims of a compact JWT, or undefined if it is not one. */
export function decodeJwt(token) {
  const parts = String(token ?? '').split('.');
  if (parts.length !== 3) return undefined;
  try {
    const [header, claims] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
    return { header, claims, input: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
  } catch {
    return undefined;
  }
}

/** Claims of `token` if `signer` signed it (RS256), else undefined. Time is checked by the caller. */
export function verifyJwt(token, signer) {
  const jwt = decodeJwt(token);
  if (!jwt || jwt.header.alg !== 'RS256' || jwt.header.kid !== signer.kid) return undefined;
  return crypto.verify('sha256', Buffer.from(jwt.input), signer.publicKey, jwt.signature) ? jwt.claims : undefined;
}
