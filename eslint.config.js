import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.cluster/', 'build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: globals.node } },
  // The example apps are Functions CommonJS code: the v3 model's, and the v4 model's require('@azure/functions').
  {
    files: ['examples/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The code-first corpus: users' apps, CommonJS and ES modules, as `func init` writes them.
  { files: ['__tests__/fixtures/**/*.{js,mjs,ts}'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // MockTestRunner runs CommonJS test files.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['__tests__/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Small pieces: a stage reads in one screen, a module stays one concern.
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 80 }],
      'max-lines': ['error', { max: 350, skipBlankLines: false, skipComments: false }],
    },
  },
  { files: ['stack/**/*.mjs', 'scripts/**/*.mjs'], rules: { 'max-lines-per-function': ['error', { max: 300 }] } },
);
