// ESLint flat config: typescript-eslint's recommended type-aware rules plus Prettier's opt-outs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.data/',
      'schema/zapatos/',
      'coverage/',
      'client-sdk/dist/',
      'test/overlay/artifacts/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only server/config reads process.env.' },
      ],
    },
  },
  {
    files: [
      'server/config/**',
      'test/**',
      'bench/**',
      'schema/generate-types.ts',
      'client-sdk/test/**',
      'client-sdk/scripts/**',
      'client-sdk/examples/**',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**', 'bench/**', 'client-sdk/test/**', 'client-sdk/scripts/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Tests read JSON bodies whose shapes the assertions check.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
