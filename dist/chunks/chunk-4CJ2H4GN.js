import { createRequire as __afdCreateRequire } from 'node:module'; import { fileURLToPath as __afdFileURLToPath } from 'node:url'; import { dirname as __afdDirname } from 'node:path'; const require = __afdCreateRequire(import.meta.url); const __afdFilename = __afdFileURLToPath(import.meta.url); const __afdDirnameOfFile = __afdDirname(__afdFilename);
import {
  isPresent,
  openProblem,
  readUserFile,
  withUserFile
} from "./chunk-7NIGNZU7.js";
import {
  UserError
} from "./chunk-TE2V2DN4.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-J2GP2G6B.js";

// node_modules/@balena/dockerignore/ignore.js
var require_ignore = __commonJS({
  "node_modules/@balena/dockerignore/ignore.js"(exports, module) {
    "use strict";
    var path = __require("path");
    var factory = (options) => new IgnoreBase(options);
    factory.default = factory;
    module.exports = factory;
    function make_array(subject) {
      return Array.isArray(subject) ? subject : [subject];
    }
    var REGEX_TRAILING_SLASH = /(?<=.)\/$/;
    var REGEX_TRAILING_BACKSLASH = /(?<=.)\\$/;
    var REGEX_TRAILING_PATH_SEP = path.sep === "\\" ? REGEX_TRAILING_BACKSLASH : REGEX_TRAILING_SLASH;
    var KEY_IGNORE = typeof Symbol !== "undefined" ? /* @__PURE__ */ Symbol.for("dockerignore") : "dockerignore";
    function cleanPath(file) {
      return path.normalize(file).replace(REGEX_TRAILING_PATH_SEP, "");
    }
    function toSlash(file) {
      if (path.sep === "/") {
        return file;
      }
      return file.replace(/\\/g, "/");
    }
    function fromSlash(file) {
      if (path.sep === "/") {
        return file;
      }
      return file.replace(/\//g, path.sep);
    }
    var IgnoreBase = class {
      constructor({
        // https://github.com/kaelzhang/node-ignore/blob/5.1.4/index.js#L372
        ignorecase = true
      } = {}) {
        this._rules = [];
        this._ignorecase = ignorecase;
        this[KEY_IGNORE] = true;
        this._initCache();
      }
      _initCache() {
        this._cache = {};
      }
      // @param {Array.<string>|string|Ignore} pattern
      add(pattern) {
        this._added = false;
        if (typeof pattern === "string") {
          pattern = pattern.split(/\r?\n/g);
        }
        make_array(pattern).forEach(this._addPattern, this);
        if (this._added) {
          this._initCache();
        }
        return this;
      }
      // legacy
      addPattern(pattern) {
        return this.add(pattern);
      }
      _addPattern(pattern) {
        if (pattern && pattern[KEY_IGNORE]) {
          this._rules = this._rules.concat(pattern._rules);
          this._added = true;
          return;
        }
        if (this._checkPattern(pattern)) {
          const rule = this._createRule(pattern.trim());
          if (rule !== null) {
            this._added = true;
            this._rules.push(rule);
          }
        }
      }
      _checkPattern(pattern) {
        return pattern && typeof pattern === "string" && pattern.indexOf("#") !== 0 && pattern.trim() !== "";
      }
      filter(paths) {
        return make_array(paths).filter((path2) => this._filter(path2));
      }
      createFilter() {
        return (path2) => this._filter(path2);
      }
      ignores(path2) {
        return !this._filter(path2);
      }
      // https://github.com/moby/moby/blob/v19.03.8/builder/dockerignore/dockerignore.go#L41-L53
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L29-L55
      _createRule(pattern) {
        const origin = pattern;
        let negative = false;
        if (pattern[0] === "!") {
          negative = true;
          pattern = pattern.substring(1).trim();
        }
        if (pattern.length > 0) {
          pattern = cleanPath(pattern);
          pattern = toSlash(pattern);
          if (pattern.length > 1 && pattern[0] === "/") {
            pattern = pattern.slice(1);
          }
        }
        if (negative) {
          pattern = "!" + pattern;
        }
        pattern = pattern.trim();
        if (pattern === "") {
          return null;
        }
        pattern = cleanPath(pattern);
        if (pattern[0] === "!") {
          if (pattern.length === 1) {
            return null;
          }
          negative = true;
          pattern = pattern.substring(1);
        } else {
          negative = false;
        }
        return {
          origin,
          pattern,
          // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L54
          dirs: pattern.split(path.sep),
          negative
        };
      }
      // @returns `Boolean` true if the `path` is NOT ignored
      _filter(path2) {
        if (!path2) {
          return false;
        }
        if (path2 in this._cache) {
          return this._cache[path2];
        }
        return this._cache[path2] = this._test(path2);
      }
      // @returns {Boolean} true if a file is NOT ignored
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L62
      _test(file) {
        file = fromSlash(file);
        const parentPath = cleanPath(path.dirname(file));
        const parentPathDirs = parentPath.split(path.sep);
        let matched = false;
        this._rules.forEach((rule) => {
          let match = this._match(file, rule);
          if (!match && parentPath !== ".") {
            if (rule.dirs.includes("**")) {
              for (let i = rule.dirs.filter((x) => x !== "**").length; i <= parentPathDirs.length; i++) {
                match = match || this._match(parentPathDirs.slice(0, i).join(path.sep), rule);
              }
            } else if (rule.dirs.length <= parentPathDirs.length) {
              match = this._match(parentPathDirs.slice(0, rule.dirs.length).join(path.sep), rule);
            }
          }
          if (match) {
            matched = !rule.negative;
          }
        });
        return !matched;
      }
      // @returns {Boolean} true if a file is matched by a rule
      _match(file, rule) {
        return this._compile(rule).regexp.test(file);
      }
      // https://github.com/moby/moby/blob/v19.03.8/pkg/fileutils/fileutils.go#L139
      _compile(rule) {
        if (rule.regexp) {
          return rule;
        }
        let regStr = "^";
        let escapedSlash = path.sep === "\\" ? "\\\\" : path.sep;
        for (let i = 0; i < rule.pattern.length; i++) {
          const ch = rule.pattern[i];
          if (ch === "*") {
            if (rule.pattern[i + 1] === "*") {
              i++;
              if (rule.pattern[i + 1] === path.sep) {
                i++;
              }
              if (rule.pattern[i + 1] === void 0) {
                regStr += ".*";
              } else {
                regStr += `(.*${escapedSlash})?`;
              }
            } else {
              regStr += `[^${escapedSlash}]*`;
            }
          } else if (ch === "?") {
            regStr += `[^${escapedSlash}]`;
          } else if (ch === "." || ch === "$") {
            regStr += `\\${ch}`;
          } else if (ch === "\\") {
            if (path.sep === "\\") {
              regStr += escapedSlash;
              continue;
            }
            if (rule.pattern[i + 1] !== void 0) {
              regStr += "\\" + rule.pattern[i + 1];
              i++;
            } else {
              regStr += "\\";
            }
          } else {
            regStr += ch;
          }
        }
        regStr += "$";
        rule.regexp = new RegExp(regStr, this._ignorecase ? "i" : "");
        return rule;
      }
    };
  }
});

// src/image/build-inputs.ts
var import_dockerignore = __toESM(require_ignore(), 1);
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readlinkSync, readSync, realpathSync } from "node:fs";
import { isAbsolute, join, posix, relative, sep } from "node:path";
var dockerignore = import_dockerignore.default;
function buildInputsHash(inputs, files = contextFiles(inputs.context)) {
  const hash = createHash("sha256");
  const field = (value) => {
    hash.update(`${Buffer.byteLength(value)}:`);
    hash.update(value);
  };
  for (const path of files) {
    const full = join(inputs.context, path);
    const stat = inContext(inputs.context, path, () => lstatSync(full));
    field(path);
    if (stat.isSymbolicLink()) {
      field(`link:${inContext(inputs.context, path, () => readlinkSync(full))}`);
    } else if (stat.isFile()) {
      field(`mode:${stat.mode & 73 ? "x" : "-"}`);
      hashContent(hash, full);
    } else {
      throw specialFile(inputs.context, path);
    }
  }
  field(readUserFile(inputs.dockerfile, inputs.dockerfile));
  for (const [key, value] of Object.entries(inputs.buildArgs).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
    field(`${key}=${value}`);
  field(inputs.platform);
  field(inputs.target ?? "");
  return hash.digest("hex");
}
function hashContent(hash, full) {
  withUserFile(full, full, (fd, size) => {
    hash.update(`${size}:`);
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    let left = size;
    while (left > 0) {
      const read = readSync(fd, chunk, 0, Math.min(chunk.length, left), null);
      if (read === 0) throw new UserError(`${full}: changed while it was read`, full);
      hash.update(chunk.subarray(0, read));
      left -= read;
    }
  });
}
function contextFiles(context) {
  const ignoreFile = join(context, ".dockerignore");
  const patterns = isPresent(ignoreFile, ignoreFile) ? readUserFile(ignoreFile, ignoreFile).toString("utf8").split(/\r?\n/) : [];
  const ignored = dockerignore().add(patterns);
  const exceptions = patterns.filter((pattern) => pattern.trim().startsWith("!")).map((pattern) => pattern.trim().slice(1).replace(/^\/+/, "").split(/[*?[]/)[0]);
  const mayHoldException = (folder) => exceptions.some((start) => start === "" || start.startsWith(`${folder}/`) || `${folder}/`.startsWith(start));
  const files = [];
  const walk = (folder) => {
    const entries = inContext(
      context,
      folder,
      () => readdirSync(join(context, folder), { withFileTypes: true })
    );
    for (const entry of entries) {
      const path = folder === "" ? entry.name : posix.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!ignored.ignores(path) || mayHoldException(path)) walk(path);
      } else if (!ignored.ignores(path)) {
        if (!entry.isFile() && !entry.isSymbolicLink()) throw specialFile(context, path);
        files.push(path);
      }
    }
  };
  walk("");
  return files.sort();
}
function dockerfileInContext(context, dockerfile) {
  const inside = relative(realpathSync(context), realpathSync(dockerfile));
  if (isAbsolute(inside) || inside === ".." || inside.startsWith(`..${sep}`)) return void 0;
  return inside.split(sep).join("/");
}
function specialFile(context, path) {
  const full = join(context, path);
  return new UserError(
    `${full}: not a regular file, folder or symlink (a device, FIFO or socket), which cannot go into the build context; add it to .dockerignore`,
    full
  );
}
function inContext(context, path, call) {
  try {
    return call();
  } catch (error) {
    const full = join(context, path);
    throw new UserError(`${full}: ${openProblem(full, error)}`, full);
  }
}

export {
  buildInputsHash,
  contextFiles,
  dockerfileInContext
};
