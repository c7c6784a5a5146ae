import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  isObject,
  readJsonFile
} from "./chunk-KT26BUDG.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";

// src/discovery/code-first.ts
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
var WAYS_OUT = "read it with the app's own library (input 'indexer': runtime; it runs the app's code and needs its dependencies installed), or list the app's functions in the 'triggers' input";
function tooDeep(file) {
  return new UserError(`${file}: nested too deeply to be read; ${WAYS_OUT}`, file);
}
async function codeFirstFunctions(root, indexer, settings, warnings) {
  if (isNodeApp(root, settings)) {
    if (indexer === "runtime") {
      const { indexNodeAppAtRuntime } = await import("./runtime-QAEAFTVW.js");
      return indexNodeAppAtRuntime(root, settings, warnings);
    }
    const { indexNodeApp } = await import("./node-v4-C5PP44FV.js");
    return indexNodeApp(root, warnings);
  }
  const script = pythonScript(root, settings);
  if (script === void 0) return [];
  if (indexer === "runtime") {
    const { indexPythonAppAtRuntime } = await import("./runtime-7LJJHTJL.js");
    return indexPythonAppAtRuntime(root, appPython(root), settings);
  }
  const { indexPythonApp } = await import("./python-v2-YA3ONSLP.js");
  return indexPythonApp(root, script);
}
function isNodeApp(root, settings) {
  const runtime = settings.FUNCTIONS_WORKER_RUNTIME;
  if (runtime !== void 0) return runtime.trim().toLowerCase() === "node";
  const packagePath = join(root, "package.json");
  if (!existsSync(packagePath)) return false;
  const manifest = readJsonFile(packagePath, packagePath);
  if (!isObject(manifest)) return false;
  return [manifest.dependencies, manifest.devDependencies].some(
    (dependencies) => isObject(dependencies) && ("@azure/functions" in dependencies || "durable-functions" in dependencies)
  );
}
function pythonScript(root, settings) {
  const runtime = settings.FUNCTIONS_WORKER_RUNTIME;
  if (runtime !== void 0 && runtime.trim().toLowerCase() !== "python") return void 0;
  const script = settings.PYTHON_SCRIPT_FILE_NAME?.trim() || "function_app.py";
  return existsSync(join(root, script)) ? script : void 0;
}
function appPython(root) {
  const windows = process.platform === "win32";
  const venv = join(resolve(root), ".venv", windows ? "Scripts" : "bin", windows ? "python.exe" : "python");
  if (existsSync(venv)) return venv;
  return windows ? "python" : "python3";
}

export {
  WAYS_OUT,
  tooDeep,
  codeFirstFunctions
};
