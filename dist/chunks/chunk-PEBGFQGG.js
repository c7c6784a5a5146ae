import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);

// src/discovery/model.ts
function property(binding, key) {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(binding)) {
    if (name.toLowerCase() === wanted) return value;
  }
  return void 0;
}
function stringProperty(binding, key) {
  const value = property(binding, key);
  return typeof value === "string" ? value.trim() : "";
}
var SETTING_KEY = /^[-._a-zA-Z0-9]+$/;
function isValidSettingKey(key) {
  return SETTING_KEY.test(key);
}

export {
  stringProperty,
  isValidSettingKey
};
