/**
 * Whether a value looks like a credential rather than a name, and whether an app setting is secret: what the shells
 * register as secrets, and what render must never write in clear into an object that is not a Secret.
 */

// `key=value` parts of connection strings and SAS tokens that carry the secret itself.
const SECRET_PARTS = /(?:^|[;&?,\s])(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|pwd|sig)=/i;
// A connection string names its endpoint; the rest of it is usually a key.
const CONNECTION_STRING = /(?:^|;)\s*(?:Endpoint|DefaultEndpointsProtocol)=/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:[^\s/@]+@/i;
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;
const TOKEN = /^[A-Za-z0-9+/=_.-]{32,}$/;
const HEX_TOKEN = /^(?=.*[a-f])(?=.*[0-9])[0-9a-f]{40,}$/i;
// Random base64 spreads over many characters and changes between letters, capitals and digits at almost every
// step; identifiers (`OrdersConsumerGroup2024`, a GUID) stay below one or the other. Only base64 with a `+` or `=`
// counts: no queue, topic, hub or consumer group name may hold either, and names like
// `OrderCreatedV2-Subscription-EU1-Prod-7` can look just as random.
const BASE64_ONLY = /[+=]/;
const TOKEN_MIN_BITS_PER_CHARACTER = 4.2;
const TOKEN_MIN_CLASS_CHANGES = 0.4;

export function looksSecret(value: string): boolean {
  if (SECRET_PARTS.test(value) || URL_WITH_PASSWORD.test(value) || PEM_BLOCK.test(value)) return true;
  if (value.includes(';') && CONNECTION_STRING.test(value)) return true;
  const trimmed = value.trim();
  return HEX_TOKEN.test(trimmed) || (TOKEN.test(trimmed) && BASE64_ONLY.test(trimmed) && looksRandom(trimmed));
}

function looksRandom(value: string): boolean {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  const kind = (character: string) =>
    /[a-z]/.test(character) ? 0 : /[A-Z]/.test(character) ? 1 : /[0-9]/.test(character) ? 2 : 3;
  let changes = 0;
  for (let i = 1; i < value.length; i++) if (kind(value[i] as string) !== kind(value[i - 1] as string)) changes++;
  return bits >= TOKEN_MIN_BITS_PER_CHARACTER && changes / (value.length - 1) >= TOKEN_MIN_CLASS_CHANGES;
}

// How a setting's name ends when its value is a credential (`StorageAccountKey`, `Kafka__Password`, `SAS_TOKEN`,
// `APPLICATIONINSIGHTS_CONNECTION_STRING`): its last two words, and by how they end for names run together (`APIKEY`).
const SECRET_NAME_ENDINGS = [
  'key',
  'secret',
  'password',
  'pass',
  'passcode',
  'pin',
  'pincode',
  'otp',
  'passwd',
  'passphrase',
  'pwd',
  'token',
  'connection',
  'connectionstring',
  'sas',
  'signature',
  'certificate',
  'credential',
  'credentials',
];

/** Whether a setting's name says it holds a credential, whatever its value looks like. */
export function hasSecretName(name: string): boolean {
  const words = name.split(/[_.:-]+|(?<=[a-z0-9])(?=[A-Z])/).filter((word) => word !== '');
  const ending = words.slice(-2).join('').toLowerCase();
  return SECRET_NAME_ENDINGS.some((secret) => ending.endsWith(secret));
}

// Longer than any name or URL a trigger reads (a PEM or a blob of config is): secret without scanning it, as the
// patterns above take time that grows with the square of the length.
const LONGEST_NAME = 2048;

/**
 * Whether a setting is secret by its name or its value: such a setting is never inlined into a ScaledObject, and never
 * shown in a log (isShownSetting).
 */
export function isSecretSetting(name: string, value: string): boolean {
  return value.length > LONGEST_NAME || hasSecretName(name) || looksSecret(value);
}

// Settings that name things rather than unlock them: the worker and host versions, and the parts of an identity-based
// connection (`Storage__accountName`, `Bus__fullyQualifiedNamespace`, `Storage__credential`, `Storage__clientId`).
const PUBLIC_SETTINGS = new Set([
  'functions_worker_runtime',
  'functions_worker_runtime_version',
  'functions_extension_version',
  'functions_worker_process_count',
  'python_script_file_name',
  // Where the host keeps its keys (`func kubernetes deploy` writes `kubernetes`), and the runtime's environment.
  'azurewebjobssecretstoragetype',
  'azure_functions_environment',
  'aspnetcore_environment',
  'dotnet_environment',
]);
const PUBLIC_CONNECTION_PARTS =
  /__(?:accountName|fullyQualifiedNamespace|serviceUri|blobServiceUri|queueServiceUri|tableServiceUri|credential|clientId|tenantId)$/i;

// Configuration, never a credential: masked, `true`, `30` or `Information` would turn into *** in every line of the
// job's log. Booleans, numbers as short as ports and timeouts (a longer one may be an account number or a seed), and
// the words of the enumerations apps are configured with: log levels and environment names.
const PLAIN_VALUE =
  /^(?:true|false|yes|no|on|off|[-+]?\d{1,5}(?:\.\d{1,3})?|trace|debug|verbose|information|info|warning|warn|error|critical|fatal|none|production|development|staging|prod|dev|test)$/i;

/** What the deploy already shows of itself, so a setting equal to one of them is no secret to keep. */
export interface ShownValues {
  /** Settings whose value a trigger property KEDA inlines reads by %Name% (settingsNamingTriggerEntities). */
  readonly namingTriggerEntities: ReadonlySet<string>;
  /** The values of the step's inputs that are not secret (the app's name, its namespace, the repository). */
  readonly inputValues: ReadonlySet<string>;
}

export const NOTHING_SHOWN: ShownValues = { namingTriggerEntities: new Set(), inputValues: new Set() };

/**
 * Whether a setting's value may be shown in the log: a setting is masked unless it is known to name something (a
 * worker runtime, an identity-based connection's account or namespace, an entity a trigger reads by %Name%, whose
 * value is written in clear into the ScaledObject anyway), is plain configuration (a boolean, a small number) or
 * equals an input the log shows anyway, and neither its name nor its value says it is secret. A setting nothing says
 * anything about (`Foo=hunter2`) is masked. Masking a value the log shows elsewhere would blank it in every line, and
 * GitHub drops a job output holding a masked value.
 */
export function isShownSetting(name: string, value: string, shown: ShownValues): boolean {
  if (value.length > LONGEST_NAME || looksSecret(value)) return false;
  // `…__credential` names the kind of credential (`managedidentity`), not one.
  if (PUBLIC_CONNECTION_PARTS.test(name)) return true;
  if (hasSecretName(name)) return false;
  return (
    PLAIN_VALUE.test(value.trim()) ||
    shown.inputValues.has(value.trim()) ||
    PUBLIC_SETTINGS.has(name.toLowerCase()) ||
    shown.namingTriggerEntities.has(name)
  );
}

// The trigger properties that name what KEDA watches and that render may write in clear into ScaledObject metadata
// (scalers.ts). Credentials a trigger reads by %Name% (Kafka's username and password, connections) are not among them.
const ENTITY_PROPERTIES = new Set(
  ['queueName', 'topicName', 'subscriptionName', 'eventHubName', 'path', 'consumerGroup', 'topic', 'brokerList'].map(
    (key) => key.toLowerCase(),
  ),
);

/** The settings a trigger reads by %Name% for the name of what it watches (a queue, a topic, a hub). */
export function settingsNamingTriggerEntities(
  functions: readonly { readonly trigger: Readonly<Record<string, unknown>> }[],
): Set<string> {
  const names = new Set<string>();
  for (const fn of functions)
    for (const [key, value] of Object.entries(fn.trigger))
      if (typeof value === 'string' && ENTITY_PROPERTIES.has(key.toLowerCase()))
        for (const match of value.matchAll(/%([^%]+)%/g)) names.add(match[1] as string);
  return names;
}
