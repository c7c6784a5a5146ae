/**
 * Image references, as the distribution reference grammar has them (simplified):
 * [host[:port]/]path[:tag][@sha256:digest]. One set of parts for every check.
 */

const HOST = String.raw`[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]{1,5})?`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const PATH = String.raw`${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = String.raw`[\w][\w.-]{0,127}`;

const REFERENCE = new RegExp(
  String.raw`^(?:(?<host>${HOST})/)?(?<path>${PATH})(?::(?<tag>${TAG}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$`,
);
export const REGISTRY_HOST = new RegExp(`^${HOST}$`);
export const REPOSITORY_PATH = new RegExp(`^${PATH}$`);
export const IMAGE_TAG = new RegExp(`^${TAG}$`);

/** Docker Hub answers to several host names: its canonical one, its v1 index and its API host. */
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

export function isDockerHub(host: string): boolean {
  return DOCKER_HUB_HOSTS.has(host.toLowerCase());
}

export interface ImageReference {
  /** Absent: Docker Hub. */
  readonly host?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Docker's rule: the first component names a registry when it has a '.' or a ':', or is localhost. */
export function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function parseImageReference(value: string): ImageReference | undefined {
  const groups = REFERENCE.exec(value)?.groups;
  if (!groups) return undefined;
  const { host, path = '', tag, digest } = groups;
  if (host !== undefined && !isRegistryHost(host)) {
    // `team/orders`: the first component is part of the path, and must be spelled like one.
    return REPOSITORY_PATH.test(`${host}/${path}`) ? { repository: `${host}/${path}`, tag, digest } : undefined;
  }
  return { host, repository: path, tag, digest };
}
