// Lint: type-aware rules that catch lost promises, and no stray output where stdout carries a protocol.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.device/**',
      'node_modules/**',
      'samples/**',
      'test/fixtures/projects/**',
      '.test-artifacts/**',
      'test/e2e/.cache/**',
      'test/.ray-venv/**',
      'bin/**',
      '*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Plain JavaScript (fixtures and benchmark workers loaded as they are) is outside the TypeScript project.
  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  // CommonJS files load their neighbours with require(): that is what the format is.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // The extension talks to the runner through protocol/ only: what both sides need lives in protocol/ (data and
  // helpers) or webview/ (the report page and its shell), never in runner/.
  {
    files: ['extension/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/runner', '**/runner/**'],
              message:
                'extension/ imports only protocol/, webview/ and its own files: move what it needs there.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['runner/**/*.ts'],
    ignores: ['runner/cli.ts', 'runner/cli/**'],
    rules: { 'no-console': 'error' },
  },
);
