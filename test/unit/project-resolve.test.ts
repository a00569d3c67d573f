// How the Node.js harness maps a project's bare specifiers to its files (tsconfig paths through "extends",
// package.json imports and exports conditions, pnpm workspaces), checked on small projects written to a folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveImport } from '../../runner/harness/node/bundle';
import { bestPattern, ProjectResolver, stripJsonComments } from '../../runner/harness/node/projectResolve';

/** Writes the files to a fresh folder, runs body on it with a fresh resolver, and removes the folder. */
function inProject(
  files: Record<string, string>,
  body: (dir: string, resolver: ProjectResolver) => void,
): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-resolve-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    body(dir, new ProjectResolver(resolveImport));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void test('tsconfig.json dialect: comments and trailing commas, strings left alone', () => {
  const text = '{\n  // a comment\n  "a": "http://x/*y*/", /* block */ "b": [1, 2,],\n}';
  assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: 'http://x/*y*/', b: [1, 2] });
});

void test('the exact key wins, else the pattern with the longest prefix', () => {
  const keys = ['@app/*', '@app/special/*', '@app/exact'];
  assert.deepEqual(bestPattern(keys, '@app/exact'), { key: '@app/exact', star: '' });
  assert.deepEqual(bestPattern(keys, '@app/special/x'), { key: '@app/special/*', star: 'x' });
  assert.deepEqual(bestPattern(keys, '@app/other/y'), { key: '@app/*', star: 'other/y' });
  assert.equal(bestPattern(keys, 'lodash'), null);
});

void test('paths from an extended tsconfig are relative to that file; baseUrl alone maps too', () => {
  const files = {
    'tsconfig.base.json': '{"compilerOptions": {"paths": {"~/*": ["./shared/*"]}}}',
    'app/tsconfig.json': '{"extends": "../tsconfig.base.json", "compilerOptions": {"baseUrl": "src"}}',
    'shared/util.ts': 'export const u = 1;',
    'app/src/models/user.ts': 'export const m = 1;',
    'app/src/main.ts': '',
  };
  inProject(files, (dir, resolver) => {
    const importer = path.join(dir, 'app', 'src', 'main.ts');
    // TypeScript: with a baseUrl, paths targets are relative to it, wherever paths was set.
    assert.deepEqual(resolver.resolve('~/util', importer), { external: true });
    assert.deepEqual(resolver.resolve('models/user', importer), {
      path: path.join(dir, 'app', 'src', 'models', 'user.ts'),
    });
    assert.deepEqual(resolver.resolve('left-pad', importer), { external: true });
  });
  inProject({ ...files, 'app/tsconfig.json': '{"extends": "../tsconfig.base.json"}' }, (dir, resolver) => {
    const importer = path.join(dir, 'app', 'src', 'main.ts');
    assert.deepEqual(resolver.resolve('~/util', importer), { path: path.join(dir, 'shared', 'util.ts') });
  });
});

void test('a pnpm workspace package by name: exports with conditions and subpath patterns', () => {
  const core = {
    name: '@w/core',
    exports: {
      '.': { types: './index.d.ts', import: './esm/index.js', require: './cjs/index.js' },
      './features/*': './src/features/*.ts',
    },
  };
  const files = {
    'pnpm-workspace.yaml': "packages:\n  - 'libs/*'\n",
    'libs/core/package.json': JSON.stringify(core),
    'libs/core/esm/index.js': '',
    'libs/core/src/features/fast.ts': '',
    'apps/web/main.ts': '',
  };
  inProject(files, (dir, resolver) => {
    const importer = path.join(dir, 'apps', 'web', 'main.ts');
    assert.deepEqual(resolver.resolve('@w/core', importer), {
      path: path.join(dir, 'libs', 'core', 'esm', 'index.js'),
    });
    assert.deepEqual(resolver.resolve('@w/core/features/fast', importer), {
      path: path.join(dir, 'libs', 'core', 'src', 'features', 'fast.ts'),
    });
    const missing = resolver.resolve('@w/core/features/slow', importer);
    assert.ok('error' in missing && missing.error.includes('workspace package'), JSON.stringify(missing));
  });
});
