// The KEDA manifests are imported as text: esbuild's text loader in the bundle (scripts/build.mjs), a text
// transform under Jest (jest.config.js).
declare module '*.yaml' {
  const text: string;
  export default text;
}
