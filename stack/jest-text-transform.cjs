// Jest's counterpart of esbuild's text loader (scripts/build.mjs): a module that is the file's text.
module.exports = { process: (source) => ({ code: `module.exports = ${JSON.stringify(source)};` }) };
