// Plain HTTP(S) requests, and the apiserver's API as the cluster admin.

import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { HOST, PKI, PORT } from './config.mjs';

export function request(url, { method = 'GET', body, headers = {}, tls = {}, socketPath, timeout = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = mod.request(
      {
        method,
        socketPath,
        hostname: socketPath ? undefined : u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
        timeout,
        ...tls,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout on ${method} ${url}`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

const adminTLS = () => ({
  ca: fs.readFileSync(path.join(PKI, 'ca.crt')),
  cert: fs.readFileSync(path.join(PKI, 'admin.crt')),
  key: fs.readFileSync(path.join(PKI, 'admin.key')),
});

export function kube(method, apiPath, body, headers) {
  return request(`https://${HOST}:${PORT.apiserver}${apiPath}`, { method, body, headers, tls: adminTLS() });
}
