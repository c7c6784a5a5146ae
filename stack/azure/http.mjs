// HTTPS plumbing the stand-ins share: the throw-away test CA, one loopback
// server per endpoint, JSON replies, request bodies and credentials, and the
// error bodies in each service's own wire format (Entra ID, ARM, ACR).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// ---------------------------------------------------------------- TLS

/** A CA and one server certificate for 127.0.0.1/localhost, made by openssl. */
export async function makeTls(dir) {
  const ssl = (...args) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=aks-functions-deploy test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  await ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(
    path.join(dir, 'leaf.ext'),
    [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ].join('\n'),
  );
  await ssl(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.pem',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
  );
  const read = (f) => fs.readFileSync(path.join(dir, f));
  return { caFile: path.join(dir, 'ca.pem'), key: read('leaf.key'), cert: read('leaf.pem') };
}

// ---------------------------------------------------------------- requests and replies

export function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function readBody(req, limit = 1 << 20) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const bearer = (req) => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

export function basicAuth(req) {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { username: text.slice(0, i), password: text.slice(i + 1) };
}

/**
 * One server on an ephemeral loopback port: HTTPS with `tls`, plain HTTP (as IMDS speaks) with `tls` null.
 * `classify` names the service of each request.
 */
export async function serve(tls, classify, handler, record) {
  const scheme = tls ? 'https' : 'http';
  const listener = (req, res) => {
    const url = new URL(req.url ?? '/', `${scheme}://127.0.0.1`);
    const service = classify(url);
    res.on('finish', () =>
      record({ service, method: req.method, path: url.pathname + url.search, status: res.statusCode }),
    );
    Promise.resolve()
      .then(() => handler(req, res, url, service))
      .catch((e) =>
        res.headersSent
          ? res.destroy()
          : sendJson(res, 500, { error: { code: 'StandinError', message: String(e?.message ?? e) } }),
      );
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return { server, origin: `${scheme}://127.0.0.1:${server.address().port}` };
}

// ---------------------------------------------------------------- error bodies

/** An Entra ID (AADSTS) error: `error`, the coded description with its trace lines, and `error_uri` on `authority`. */
export function aadError(res, authority, status, error, code, text, headers = {}) {
  const trace = crypto.randomUUID();
  const correlation = crypto.randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  sendJson(
    res,
    status,
    {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `${authority}/error?code=${code}`,
    },
    headers,
  );
}

/** An ARM error: `{ error: { code, message } }`. */
export const armError = (res, status, code, message, headers = {}) =>
  sendJson(res, status, { error: { code, message } }, headers);

/** ARM's generic 404 for a resource `type` (e.g. `Microsoft.ContainerService/managedClusters/{name}`). */
export const armNotFound = (res, route, type) =>
  armError(
    res,
    404,
    'ResourceNotFound',
    `The Resource '${type}' under resource group '${route.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

/** A registry (Docker distribution) error: `{ errors: [{ code, message, detail }] }`. */
export function acrError(res, status, code, message, detail = null, headers = {}) {
  sendJson(
    res,
    status,
    { errors: [{ code, message, detail }] },
    { 'docker-distribution-api-version': 'registry/2.0', ...headers },
  );
}
