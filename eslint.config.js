// Lint: the habits of ../shared/STYLE.md that a machine can hold — one-way imports between the
// layers of DESIGN.md, no import cycles, React's rules of hooks, and typescript-eslint's checks.
// Formatting is prettier's (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The layers of the app and what each may import (DESIGN.md "Architecture"). */
const boundaries = [
  // The core is framework-free: nothing of the app, the proxy or the tests' support.
  { target: './src/oci', from: ['./src/app', './src/features', './src/lib', './src/ui', './src/workers', './proxy', './e2e'] },
  // Presentational pieces know no application state.
  { target: './src/ui', from: ['./src/lib', './src/features', './src/app', './src/workers'] },
  { target: './src/lib', from: ['./src/features', './src/app', './src/ui'] },
  { target: './src/workers', from: ['./src/features', './src/app', './src/ui'] },
  { target: './src/features', from: ['./src/app'] },
  // The proxy is a server: no browser code.
  { target: './proxy', from: ['./src/app', './src/features', './src/lib', './src/ui', './src/workers'] },
  // Test support (node:crypto, child processes, fakes) is for tests only.
  {
    target: ['./src/!(test-support)/**/!(*.test).{ts,tsx}', './src/*.{ts,tsx}', './proxy/**/!(*.test).ts'],
    from: './src/test-support',
    message: 'Only tests import src/test-support.',
  },
];

/** Features never import each other: each gets a zone forbidding all the others. */
const features = ['blob', 'compare', 'image', 'layer', 'layout', 'referrers', 'repo', 'search', 'sizes', 'supply'];
const featureZones = (names) =>
  names.map((name) => ({
    target: `./src/features/${name}`,
    from: './src/features',
    except: [`./${name}`],
    message: 'Features do not import each other: move what they share to src/ui, src/lib or src/oci.',
  }));

export default tseslint.config(
  // wasm/ is AssemblyScript (decorators, its own types): checked by its compiler, scripts/build-wasm.ts.
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      // How import-x reads the files it follows (no-cycle parses every module it reaches).
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // The rules of hooks; the React Compiler's own rules do not apply: we do not compile with it.
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...boundaries, ...featureZones(features)] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  { files: ['**/*.mjs', 'scripts/**'], languageOptions: { globals: globals.node } },
  {
    // Scripts, benches, the suite and servers talk to people on the console.
    files: ['scripts/**', 'bench/**', 'e2e/**', 'proxy/**', 'src/test-support/**', '**/*.test.ts', '**/*.fuzz.test.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
