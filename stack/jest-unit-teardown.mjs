export { teardown as default } from './jest-unit-leak-scan.mjs';
