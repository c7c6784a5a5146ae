import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/azure/federation-needs.ts
import { createHash } from "node:crypto";
var MAX_FEDERATED_CREDENTIALS = 20;
var serviceAccountSubject = (namespace, name) => `system:serviceaccount:${namespace}:${name}`;
function federationNeeds(objects, clientIds, kedaOperator) {
  const accounts = objects.filter((object) => object.kind === "ServiceAccount" && object.metadata?.annotations?.[CLIENT_ID] !== void 0).map((object) => serviceAccountSubject(object.metadata?.namespace, object.metadata?.name));
  const kedaIds = new Set(
    objects.filter((object) => object.kind === "TriggerAuthentication").map((object) => object.spec?.podIdentity?.identityId).filter((id) => id !== void 0).map((id) => id.toLowerCase())
  );
  const keda = kedaOperator ? [serviceAccountSubject(kedaOperator.namespace, kedaOperator.serviceAccount)] : [];
  return [.../* @__PURE__ */ new Set([...clientIds, ...kedaIds])].map((clientId) => ({
    clientId,
    subjects: [...clientIds.includes(clientId) ? accounts : [], ...kedaIds.has(clientId) ? keda : []]
  }));
}
var CLIENT_ID = "azure.workload.identity/client-id";
function answers(credential, issuer, subject, audience) {
  return credential.issuer === issuer && credential.subject === subject && (credential.audiences ?? []).includes(audience);
}
var CREDENTIAL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}$/;
function credentialName(cluster, issuer, subject, taken) {
  const readable = `${cluster}-${subject.replace(/^system:serviceaccount:/, "")}`.replace(/[^a-zA-Z0-9-_]+/g, "-").replace(/^[^a-zA-Z0-9]+/, "").slice(0, 100);
  const hash = createHash("sha256").update(`${issuer}
${subject}`).digest("hex").slice(0, 8);
  let name = `${readable || "aks"}-${hash}`;
  for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${readable || "aks"}-${hash}-${suffix}`;
  if (!CREDENTIAL_NAME.test(name)) throw new Error(`federated credential name '${name}' breaks ARM's rule`);
  return name;
}

export {
  MAX_FEDERATED_CREDENTIALS,
  federationNeeds,
  answers,
  credentialName
};
