import { connect } from 'node:tls';
import { httpRequest, type HttpResponse, isLoopback } from '../http.js';
import { isDockerHub } from './reference.js';
import { basicAuth, type RegistryCredentials } from './registry.js';

/** What the registry holds under a tag. */
export interface RegistryImage {
  /** The digest the tag points at (of the index, for a multi-platform image). */
  readonly digest: string;
  /** The image config's labels (of the platform's image, for an index). */
  readonly labels: Readonly<Record<string, string>>;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Manifest {
  readonly mediaType?: string;
  readonly config?: { readonly digest: string };
  readonly manifests?: readonly {
    readonly digest: string;
    readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
  }[];
}

/**
 * Reads a tag through the registry's HTTP API (OCI distribution), logging in
 * the way Docker does: Basic, or a Bearer token from the realm the registry
 * names. Undefined when the tag does not exist.
 */
export async function lookUpImage(
  server: string,
  repository: string,
  tag: string,
  platform: string,
  credentials: RegistryCredentials | undefined,
): Promise<RegistryImage | undefined> {
  // Docker Hub: its API has its own host, and official images live under library/.
  const hub = isDockerHub(server);
  const host = hub ? 'registry-1.docker.io' : server;
  if (hub && !repository.includes('/')) repository = `library/${repository}`;
  const base = `${await scheme(host)}://${host}/v2/${repository}`;
  const session = new RegistrySession(repository, credentials);
  const tagged = await session.get(`${base}/manifests/${tag}`, MANIFEST_TYPES);
  if (tagged.status === 404) return undefined;
  if (tagged.status !== 200) throw new Error(`registry ${server} answered ${tagged.status} for ${repository}:${tag}`);
  const digest = tagged.header('docker-content-digest');
  let manifest = tagged.body as Manifest;
  if (manifest.manifests) {
    const [os, architecture, variant] = platform.split('/');
    const match = manifest.manifests.find(
      (entry) =>
        entry.platform?.os === os &&
        entry.platform?.architecture === architecture &&
        (variant === undefined || entry.platform?.variant === variant),
    );
    if (!match) return digest ? { digest, labels: {} } : undefined;
    manifest = (await session.get(`${base}/manifests/${match.digest}`, MANIFEST_TYPES)).body as Manifest;
  }
  if (!digest || !manifest.config)
    throw new Error(`registry ${server} gave no digest or config for ${repository}:${tag}`);
  const config = await session.get(`${base}/blobs/${manifest.config.digest}`, '*/*');
  const labels =
    (config.body as { config?: { Labels?: Record<string, string> | null } } | undefined)?.config?.Labels ?? {};
  return { digest, labels };
}

class RegistrySession {
  private authorization: string | undefined;

  constructor(
    private readonly repository: string,
    private readonly credentials: RegistryCredentials | undefined,
  ) {}

  async get(url: string, accept: string): Promise<HttpResponse> {
    let response = await this.send(url, accept);
    if (response.status === 401 && (await this.logIn(response.header('www-authenticate') ?? '')))
      response = await this.send(url, accept);
    // Blobs may live elsewhere (ACR serves them from storage): follow without our credentials.
    const location = response.header('location');
    if (response.status >= 300 && response.status < 400 && location)
      response = await httpRequest({ url: new URL(location, url).toString(), headers: { accept } });
    return response;
  }

  private send(url: string, accept: string): Promise<HttpResponse> {
    return httpRequest({
      url,
      headers: { accept, ...(this.authorization ? { authorization: this.authorization } : {}) },
    });
  }

  /** Answers the registry's challenge; false when there is nothing to answer it with. */
  private async logIn(challenge: string): Promise<boolean> {
    const basic = this.credentials ? `Basic ${basicAuth(this.credentials)}` : undefined;
    if (/^basic/i.test(challenge)) {
      this.authorization = basic;
      return basic !== undefined;
    }
    const parameters = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key?.toLowerCase(), value]),
    );
    if (!/^bearer/i.test(challenge) || !parameters.realm) return false;
    const realm = new URL(parameters.realm);
    if (parameters.service) realm.searchParams.set('service', parameters.service);
    realm.searchParams.set('scope', `repository:${this.repository}:pull`);
    const token = await httpRequest({ url: realm.toString(), headers: basic ? { authorization: basic } : {} });
    const value =
      (token.body as { token?: string; access_token?: string } | undefined)?.token ??
      (token.body as { access_token?: string } | undefined)?.access_token;
    if (token.status !== 200 || !value) return false;
    this.authorization = `Bearer ${value}`;
    return true;
  }
}

const schemes = new Map<string, Promise<'https' | 'http'>>();

/** https, except a loopback registry that does not speak TLS: Docker allows plain HTTP there, and so do we. */
function scheme(server: string): Promise<'https' | 'http'> {
  const [host = '', port = '443'] = server.split(':');
  if (!isLoopback(host)) return Promise.resolve('https');
  let known = schemes.get(server);
  if (!known) {
    known = new Promise((resolve) => {
      const socket = connect({
        host,
        port: Number(port),
        servername: host === 'localhost' ? host : undefined,
        rejectUnauthorized: false,
      });
      socket.setTimeout(3000, () => socket.destroy(new Error('timeout')));
      socket.once('secureConnect', () => (socket.end(), resolve('https')));
      socket.once('error', () => resolve('http'));
    });
    schemes.set(server, known);
  }
  return known;
}
