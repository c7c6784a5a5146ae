/*
 * Bundled dependencies call APIs that Node has deprecated (whatwg-url requires `punycode`, client-node calls
 * `url.parse()`), and Node prints a DeprecationWarning for each into the step's log: noise that names no fix a user
 * could make. This is Node's own switch for it (`--no-deprecation`), for this process only: other warnings, errors, and
 * the product's own warnings (annotations, not process warnings) still show. Node reads it when a warning is raised,
 * so it must be set before any dependency loads: import this module first (ESM imports run in order, before the
 * importing module's body).
 */
process.noDeprecation = true;
