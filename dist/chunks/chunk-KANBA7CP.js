import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/azure/clouds.ts
var KNOWN = [
  {
    name: "AzureCloud",
    authorityHost: "https://login.microsoftonline.com",
    armEndpoint: "https://management.azure.com/",
    armScope: "https://management.azure.com/.default",
    acrSuffix: "azurecr.io"
  },
  {
    name: "AzureChinaCloud",
    authorityHost: "https://login.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn/",
    armScope: "https://management.chinacloudapi.cn/.default",
    acrSuffix: "azurecr.cn"
  },
  {
    name: "AzureUSGovernment",
    authorityHost: "https://login.microsoftonline.us",
    armEndpoint: "https://management.usgovcloudapi.net/",
    armScope: "https://management.usgovcloudapi.net/.default",
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
  knownCloud,
  isCustomCloudUrl,
  isKnownAuthority
};
