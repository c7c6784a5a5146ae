import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/azure/clouds.ts
var ACR_SCOPE = "https://containerregistry.azure.net/.default";
var FEDERATION_AUDIENCES = {
  AzureCloud: "api://AzureADTokenExchange",
  AzureUSGovernment: "api://AzureADTokenExchangeUSGov",
  AzureChinaCloud: "api://AzureADTokenExchangeChina"
};
var KNOWN = [
  {
    name: "AzureCloud",
    authorityHost: "https://login.microsoftonline.com",
    armEndpoint: "https://management.azure.com/",
    armScope: "https://management.azure.com/.default",
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureCloud,
    acrSuffix: "azurecr.io"
  },
  {
    name: "AzureChinaCloud",
    authorityHost: "https://login.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn/",
    armScope: "https://management.chinacloudapi.cn/.default",
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureChinaCloud,
    acrSuffix: "azurecr.cn"
  },
  {
    name: "AzureUSGovernment",
    authorityHost: "https://login.microsoftonline.us",
    armEndpoint: "https://management.usgovcloudapi.net/",
    armScope: "https://management.usgovcloudapi.net/.default",
    acrScope: ACR_SCOPE,
    federationAudience: FEDERATION_AUDIENCES.AzureUSGovernment,
    acrSuffix: "azurecr.us"
  }
];
function knownCloud(name) {
  return KNOWN.find((cloud) => cloud.name.toLowerCase() === name.toLowerCase());
}
function isCustomCloudUrl(value) {
  return /^https:\/\/[^/\s]+\/?$/.test(value);
}
function isKnownAuthority(authorityHost) {
  return KNOWN.some((cloud) => cloud.authorityHost === authorityHost.replace(/\/+$/, ""));
}

export {
  FEDERATION_AUDIENCES,
  knownCloud,
  isCustomCloudUrl,
  isKnownAuthority
};
