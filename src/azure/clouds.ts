/** The clouds known by name: no network, so input checks can use them. */

/** Where a cloud's services live. */
export interface AzureCloud {
  readonly name: string;
  /** Entra ID, e.g. https://login.microsoftonline.com */
  readonly authorityHost: string;
  /** Azure Resource Manager, e.g. https://management.azure.com/ */
  readonly armEndpoint: string;
  /** The scope of an ARM token (also what ACR's token exchange accepts). */
  readonly armScope: string;
  /** Login servers of ACR registries end with this, e.g. azurecr.io */
  readonly acrSuffix?: string;
}

const KNOWN: readonly AzureCloud[] = [
  {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com/',
    armScope: 'https://management.azure.com/.default',
    acrSuffix: 'azurecr.io',
  },
  {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn/',
    armScope: 'https://management.chinacloudapi.cn/.default',
    acrSuffix: 'azurecr.cn',
  },
  {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net/',
    armScope: 'https://management.usgovcloudapi.net/.default',
    acrSuffix: 'azurecr.us',
  },
];

/** A cloud known by name, with no network; undefined for a custom cloud's ARM URL. */
export function knownCloud(name: string): AzureCloud | undefined {
  return KNOWN.find((cloud) => cloud.name.toLowerCase() === name.toLowerCase());
}

export function isCustomCloudUrl(value: string): boolean {
  return /^https:\/\/[^/\s]+\/?$/.test(value);
}

export function isKnownAuthority(authorityHost: string): boolean {
  return KNOWN.some((cloud) => cloud.authorityHost === authorityHost.replace(/\/+$/, ''));
}
