import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/render/secret-values.ts
var SECRET_PARTS = /(?:^|[;&?,\s])(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|pwd|sig)=/i;
var CONNECTION_STRING = /(?:^|;)\s*(?:Endpoint|DefaultEndpointsProtocol)=/i;
var URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;
var PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;
var TOKEN = /^[A-Za-z0-9+/=_.-]{32,}$/;
var HEX_TOKEN = /^(?=.*[a-f])(?=.*[0-9])[0-9a-f]{40,}$/i;
var BASE64_ONLY = /[+=]/;
var TOKEN_MIN_BITS_PER_CHARACTER = 4.2;
var TOKEN_MIN_CLASS_CHANGES = 0.4;
function looksSecret(value) {
  if (SECRET_PARTS.test(value) || URL_WITH_PASSWORD.test(value) || PEM_BLOCK.test(value)) return true;
  if (value.includes(";") && CONNECTION_STRING.test(value)) return true;
  const trimmed = value.trim();
  return HEX_TOKEN.test(trimmed) || TOKEN.test(trimmed) && BASE64_ONLY.test(trimmed) && looksRandom(trimmed);
}
function looksRandom(value) {
  const counts = /* @__PURE__ */ new Map();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= count / value.length * Math.log2(count / value.length);
  const kind = (character) => /[a-z]/.test(character) ? 0 : /[A-Z]/.test(character) ? 1 : /[0-9]/.test(character) ? 2 : 3;
  let changes = 0;
  for (let i = 1; i < value.length; i++) if (kind(value[i]) !== kind(value[i - 1])) changes++;
  return bits >= TOKEN_MIN_BITS_PER_CHARACTER && changes / (value.length - 1) >= TOKEN_MIN_CLASS_CHANGES;
}
var SECRET_NAME_ENDINGS = [
  "key",
  "secret",
  "password",
  "pass",
  "passcode",
  "pin",
  "pincode",
  "otp",
  "passwd",
  "passphrase",
  "pwd",
  "token",
  "connection",
  "connectionstring",
  "sas",
  "signature",
  "certificate",
  "credential",
  "credentials"
];
function hasSecretName(name) {
  const words = name.split(/[_.:-]+|(?<=[a-z0-9])(?=[A-Z])/).filter((word) => word !== "");
  const ending = words.slice(-2).join("").toLowerCase();
  return SECRET_NAME_ENDINGS.some((secret) => ending.endsWith(secret));
}
var LONGEST_NAME = 2048;
function isSecretSetting(name, value) {
  return value.length > LONGEST_NAME || hasSecretName(name) || looksSecret(value);
}
var PUBLIC_SETTINGS = /* @__PURE__ */ new Set([
  "functions_worker_runtime",
  "functions_worker_runtime_version",
  "functions_extension_version",
  "functions_worker_process_count",
  "python_script_file_name",
  // Where the host keeps its keys (`func kubernetes deploy` writes `kubernetes`), and the runtime's environment.
  "azurewebjobssecretstoragetype",
  "azure_functions_environment",
  "aspnetcore_environment",
  "dotnet_environment"
]);
var PUBLIC_CONNECTION_PARTS = /__(?:accountName|fullyQualifiedNamespace|serviceUri|blobServiceUri|queueServiceUri|tableServiceUri|credential|clientId|tenantId)$/i;
var PLAIN_VALUE = /^(?:true|false|yes|no|on|off|[-+]?\d{1,5}(?:\.\d{1,3})?|trace|debug|verbose|information|info|warning|warn|error|critical|fatal|none|production|development|staging|prod|dev|test)$/i;
var NOTHING_SHOWN = { namingTriggerEntities: /* @__PURE__ */ new Set(), inputValues: /* @__PURE__ */ new Set() };
function isShownSetting(name, value, shown) {
  if (value.length > LONGEST_NAME || looksSecret(value)) return false;
  if (PUBLIC_CONNECTION_PARTS.test(name)) return true;
  if (hasSecretName(name)) return false;
  return PLAIN_VALUE.test(value.trim()) || shown.inputValues.has(value.trim()) || PUBLIC_SETTINGS.has(name.toLowerCase()) || shown.namingTriggerEntities.has(name);
}
var ENTITY_PROPERTIES = new Set(
  ["queueName", "topicName", "subscriptionName", "eventHubName", "path", "consumerGroup", "topic", "brokerList"].map(
    (key) => key.toLowerCase()
  )
);
function settingsNamingTriggerEntities(functions) {
  const names = /* @__PURE__ */ new Set();
  for (const fn of functions)
    for (const [key, value] of Object.entries(fn.trigger))
      if (typeof value === "string" && ENTITY_PROPERTIES.has(key.toLowerCase()))
        for (const match of value.matchAll(/%([^%]+)%/g)) names.add(match[1]);
  return names;
}

export {
  looksSecret,
  hasSecretName,
  isSecretSetting,
  NOTHING_SHOWN,
  isShownSetting,
  settingsNamingTriggerEntities
};
