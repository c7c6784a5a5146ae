/** The clouds known by name: no network, so input checks can use them. */

/** Where a cloud's services live. */
export interface AzureCloud {
  readonly name: string;
  /** Entra ID, e.g. https://login.microsoftonline.com */
  readonly authorityHost: string;
  /** Azure Resource Manager, e.g. https://management.azure.com/ */
  readonly armEndpoint: string;
  /** The scope of an ARM token (ACR's token exchange takes it too, unless a registry disables authentication-as-arm). */
  readonly armScope: string;
  /** The scope of an ACR-audience token, which every registry's token exchange accepts; none for a cloud without one. */
  readonly acrScope?: string;
  /** The audience Entra ID expects of a federated (OIDC) token in this cloud. */
  readonly federationAudience: string;
  /** Login servers of ACR registries end with this, e.g. azurecr.io */
  readonly acrSuffix?: string;
}

/**
 * ACR's own Entra resource, the same name in every known cloud (`az acr login` builds it as "https://" +
 * "containerregistry" + ".azure.net", and asks for it when the registry's authentication-as-arm is disabled; the
 * registry SDKs use it for the public cloud). Asked for first, as every registry accepts it; where a tenant cannot get
 * one, the ARM token follows.
 */
const ACR_SCOPE = 'https://containerregistry.azure.net/.default';

/** The audience a federated identity credential holds in each cloud (Entra ID's workload identity federation docs). */
export const FEDERATION_AUDIENCES = {
  AzureCloud: 'api://AzureADTokenExchange',
  AzureUSGovernment: 'api://AzureADTokenExchangeUSGov',
  AzureChinaCloud: 'api://AzureADTokenExchangeChina',
} as const;

const KNOWN: readonly AzureCloud[] = [
  {
    name: 'AzureCloud',
    authorityHost: 'https://login.microsoftonline.com',
    armEndpoint: 'https://management.azure.com/',
    armScope: 'https://management.azure.com/.default',
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureCloud,
    acrSuffix: 'azurecr.io',
  },
  {
    name: 'AzureChinaCloud',
    authorityHost: 'https://login.chinacloudapi.cn',
    armEndpoint: 'https://management.chinacloudapi.cn/',
    armScope: 'https://management.chinacloudapi.cn/.default',
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureChinaCloud,
    acrSuffix: 'azurecr.cn',
  },
  {
    name: 'AzureUSGovernment',
    authorityHost: 'https://login.microsoftonline.us',
    armEndpoint: 'https://management.usgovcloudapi.net/',
    armScope: 'https://management.usgovcloudapi.net/.default',
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureUSGovernment,
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
