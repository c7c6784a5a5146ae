import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  KubeConfig
} from "./chunk-UOWXIDHC.js";
import {
  mask
} from "./chunk-TEGGAPAS.js";
import {
  readInputFile
} from "./chunk-7NIGNZU7.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/cluster/kube.ts
function kubeConfigFrom(input, platform) {
  const config = new KubeConfig();
  const content = kubeconfigContent(input) ?? readInputFile(input, "kubeconfig")?.toString("utf8");
  if (content === void 0)
    throw new UserError(`input 'kubeconfig': neither an existing file nor kubeconfig content (YAML, JSON or base64)`);
  try {
    config.loadFromString(content);
  } catch {
    throw new UserError(`input 'kubeconfig': not a valid kubeconfig`);
  }
  for (const secret of userSecrets(config.users)) mask(platform, secret);
  if (!config.getCurrentCluster()) throw new UserError(`input 'kubeconfig': its current context names no cluster`);
  return config;
}
function kubeconfigContent(input) {
  const looksLikeConfig = (text) => /(^|[\n{,])\s*"?(clusters|apiVersion)"?\s*:/.test(text);
  if (looksLikeConfig(input)) return input;
  const decoded = Buffer.from(input.trim(), "base64").toString("utf8");
  return looksLikeConfig(decoded) ? decoded : void 0;
}
function kubeconfigWithContext(content, context, skipTlsVerify, input) {
  const config = new KubeConfig();
  try {
    config.loadFromString(content);
  } catch {
    throw new UserError(`input '${input}': the service connection's kubeconfig is not valid`);
  }
  if (context) {
    if (!config.getContextObject(context))
      throw new UserError(`input '${input}': the service connection's kubeconfig has no context ${context}`);
    config.setCurrentContext(context);
  }
  if (skipTlsVerify) config.clusters = config.clusters.map((cluster) => ({ ...cluster, skipTLSVerify: true }));
  return config.exportConfig();
}
function kubeconfigFromServiceAccount(server, token, certificate, skipTlsVerify) {
  const config = new KubeConfig();
  const caData = certificate === void 0 ? void 0 : certificate.includes("-----BEGIN") ? Buffer.from(certificate, "utf8").toString("base64") : certificate.replace(/\s+/g, "");
  config.loadFromOptions({
    clusters: [{ name: "cluster", server, caData, skipTLSVerify: skipTlsVerify }],
    users: [{ name: "service-account", token: decodedIfBase64(token) }],
    contexts: [{ name: "service-account", cluster: "cluster", user: "service-account" }],
    currentContext: "service-account"
  });
  return config.exportConfig();
}
function secretArguments(args) {
  const flag = /^--?[\w-]*(?:secret|token|password)[\w-]*$/i;
  return args.flatMap((arg, index) => {
    const [name, ...value] = arg.split("=");
    if (value.length > 0 && flag.test(name)) return [value.join("=")];
    return flag.test(arg) && args[index + 1] !== void 0 ? [args[index + 1]] : [];
  });
}
function decodedIfBase64(value) {
  const decoded = Buffer.from(value.trim(), "base64").toString("utf8");
  return /^[\x21-\x7e]+$/.test(decoded) && Buffer.from(decoded, "utf8").toString("base64").replace(/=+$/, "") === value.trim().replace(/=+$/, "") ? decoded : value.trim();
}
function kubeconfigSecrets(content) {
  const config = new KubeConfig();
  try {
    config.loadFromString(content);
  } catch {
    return [content];
  }
  return userSecrets(config.users);
}
function userSecrets(users) {
  return users.flatMap((user) => [
    user.token,
    user.password,
    user.keyData,
    // The key as an error or a debug line would show it, decoded; not its armour lines, which every key shares.
    user.keyData && Buffer.from(user.keyData, "base64").toString("utf8").split(/\r?\n/).filter((line) => !line.startsWith("-----")).join("\n"),
    ...Object.entries(user.authProvider?.config ?? {}).flatMap(
      ([key, value]) => /token|secret/i.test(key) && typeof value === "string" ? [value] : []
    ),
    ...(user.exec?.env ?? []).map((variable) => variable.value),
    ...secretArguments(user.exec?.args ?? [])
  ]).filter((value) => typeof value === "string" && value !== "");
}

export {
  kubeConfigFrom,
  kubeconfigWithContext,
  kubeconfigFromServiceAccount,
  decodedIfBase64,
  kubeconfigSecrets
};
