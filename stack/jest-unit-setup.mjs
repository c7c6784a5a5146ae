export { setup as default } from './jest-unit-leak-scan.mjs';
