// The runtime indexer's Python program is imported as text: esbuild's text loader in the bundle
// (scripts/build.mjs), a text transform under Jest (jest.config.js).
declare module '*.py' {
  const text: string;
  export default text;
}
