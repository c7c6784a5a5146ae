import { UserError } from '../errors.js';
import { httpRequest } from '../http.js';
import { type AzureCloud, FEDERATION_AUDIENCES, knownCloud } from './clouds.js';

interface EndpointsMetadata {
  readonly name?: string;
  readonly resourceManager?: string;
  readonly authentication?: { readonly loginEndpoint?: string; readonly audiences?: readonly string[] };
  readonly suffixes?: { readonly acrLoginServer?: string };
}

/**
 * The cloud by name, or for a custom cloud (Azure Stack Hub) read from its
 * ARM endpoint's metadata, as Azure CLI does. AZURE_AUTHORITY_HOST, when set,
 * overrides where Entra ID is.
 */
export async function resolveCloud(cloudInput: string): Promise<AzureCloud> {
  const cloud = knownCloud(cloudInput) ?? (await customCloud(cloudInput));
  const authorityHost = process.env.AZURE_AUTHORITY_HOST;
  return authorityHost ? { ...cloud, authorityHost: authorityHost.replace(/\/+$/, '') } : cloud;
}

async function customCloud(armUrl: string): Promise<AzureCloud> {
  const armEndpoint = armUrl.endsWith('/') ? armUrl : `${armUrl}/`;
  const url = `${armEndpoint}metadata/endpoints?api-version=2022-09-01`;
  const response = await httpRequest({ url }).catch((error: Error) => {
    throw new UserError(`input 'cloud': cannot read the cloud's endpoints from ${url} (${error.message})`);
  });
  // One cloud object; tolerate a list of them, which some endpoints return.
  const metadata = (Array.isArray(response.body) ? response.body[0] : response.body) as EndpointsMetadata | undefined;
  const loginEndpoint = metadata?.authentication?.loginEndpoint;
  const audience = metadata?.authentication?.audiences?.[0];
  if (response.status !== 200 || !loginEndpoint || !audience) {
    throw new UserError(
      `input 'cloud': ${url} answered ${response.status} without the login endpoint and audiences of a cloud`,
    );
  }
  const authorityHost = new URL(loginEndpoint).origin;
  // The metadata (2022-09-01) names no ACR or federation audience. A known cloud reached by its ARM URL names
  // itself, so it gets its own; any other cloud gets no ACR audience (ARM tokens only) and the public cloud's
  // federation audience, which the input 'audience' overrides.
  const known = knownCloud(metadata.name ?? '');
  return {
    name: metadata.name ?? armEndpoint,
    authorityHost,
    armEndpoint: metadata.resourceManager ?? armEndpoint,
    armScope: `${audience.replace(/\/+$/, '')}/.default`,
    acrScope: known?.acrScope,
    federationAudience: known?.federationAudience ?? FEDERATION_AUDIENCES.AzureCloud,
    acrSuffix: metadata.suffixes?.acrLoginServer?.replace(/^\./, ''),
  };
}
