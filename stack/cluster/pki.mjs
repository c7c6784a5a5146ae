// The cluster's certificates (openssl, under .cluster/pki) and the admin kubeconfig.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HOST, KUBECONFIG, NODE_NAME, PKI, PORT, SERVICE_CIDR, WORKLOAD_IDENTITY_SERVICE } from './config.mjs';

function openssl(args) {
  const r = spawnSync('openssl', args, { cwd: PKI, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

function issue(name, subject, { san, usage, ca = 'ca' }) {
  if (fs.existsSync(path.join(PKI, `${name}.crt`))) return;
  openssl([
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  ]);
  const ext = [`extendedKeyUsage=${usage}`, 'keyUsage=critical,digitalSignature,keyEncipherment'];
  if (san) ext.push(`subjectAltName=${san}`);
  fs.writeFileSync(path.join(PKI, `${name}.ext`), `${ext.join('\n')}\n`);
  openssl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    '3650',
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
  ]);
}

export function ensurePki() {
  fs.mkdirSync(PKI, { recursive: true, mode: 0o700 });
  for (const ca of ['ca', 'front-proxy-ca']) {
    if (!fs.existsSync(path.join(PKI, `${ca}.crt`))) {
      openssl([
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${ca}.key`,
        '-out',
        `${ca}.crt`,
        '-days',
        '3650',
        '-subj',
        `/CN=afd-local-${ca}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]);
    }
  }
  const firstServiceIP = SERVICE_CIDR.replace(/0\/\d+$/, '1');
  issue('apiserver', '/CN=kube-apiserver', {
    usage: 'serverAuth',
    san: `IP:${HOST},IP:${firstServiceIP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local`,
  });
  issue('admin', '/O=system:masters/CN=afd-admin', { usage: 'clientAuth' });
  issue('kwok', '/CN=kwok-kubelet', { usage: 'serverAuth', san: `IP:${HOST},DNS:localhost,DNS:${NODE_NAME}` });
  issue('apiserver-kubelet-client', '/O=system:masters/CN=kube-apiserver-kubelet-client', { usage: 'clientAuth' });
  // The workload identity webhook, as the apiserver dials it: by its Service's DNS name.
  issue('azure-wi-webhook', '/CN=azure-wi-webhook', { usage: 'serverAuth', san: `DNS:${WORKLOAD_IDENTITY_SERVICE}` });
  issue('front-proxy-client', '/CN=front-proxy-client', { usage: 'clientAuth', ca: 'front-proxy-ca' });
  if (!fs.existsSync(path.join(PKI, 'sa.key'))) {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'sa.key']);
    openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  }
}

export function writeKubeconfig() {
  const b64 = (f) => fs.readFileSync(path.join(PKI, f)).toString('base64');
  const cfg = `apiVersion: v1
kind: Config
clusters:
- name: afd-local
  cluster:
    server: https://${HOST}:${PORT.apiserver}
    certificate-authority-data: ${b64('ca.crt')}
users:
- name: afd-admin
  user:
    client-certificate-data: ${b64('admin.crt')}
    client-key-data: ${b64('admin.key')}
contexts:
- name: afd-local
  context:
    cluster: afd-local
    user: afd-admin
current-context: afd-local
`;
  fs.writeFileSync(KUBECONFIG, cfg, { mode: 0o600 });
}
