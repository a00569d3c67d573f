// Function discovery on fixture files, with the real tree-sitter grammars the package ships.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import type { DiscoveredFunction } from '../../protocol/lsp';
import { discoverFunctions } from '../../runner/discovery/discover';
import { Grammars } from '../../runner/discovery/grammars';
import { languageOfFile } from '../../protocol/languages';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'discovery');
let grammars: Grammars;

before(async () => {
  grammars = await Grammars.load();
});

/** `as` names the file for discovery where the fixture is stored under another name (TSX would upset tsc, plain JS is outside the lint project). */
async function discover(name: string, as = name): Promise<Map<string, DiscoveredFunction>> {
  const file = path.join(FIXTURES, name);
  const language = languageOfFile(as);
  assert.ok(language, `no language for ${as}`);
  const found = await discoverFunctions(grammars, language, as, readFileSync(file, 'utf8'));
  return new Map(found.map((fn) => [fn.name, fn]));
}

void test('Python: module-level, decorated and conditional defs are offered; the lens goes on the decorator', async () => {
  const found = await discover('shapes.py');
  assert.equal(found.get('plain')?.profilable, true);
  assert.equal(found.get('plain')?.line, 3);
  const decorated = found.get('decorated');
  assert.equal(decorated?.profilable, true);
  assert.equal(decorated?.line, 8, 'starts at its decorator');
  assert.equal(decorated?.inputs, 'range(100)');
  assert.equal(found.get('conditional')?.profilable, true);
  assert.equal(found.get('plain')?.inputs, undefined);
});

void test('Python: async, nested and method definitions are listed with the reason', async () => {
  const found = await discover('shapes.py');
  assert.deepEqual(
    ['fetch', 'inner', 'method'].map((name) => [found.get(name)?.kind, found.get(name)?.profilable]),
    [
      ['async-function', false],
      ['nested-function', false],
      ['method', false],
    ],
  );
  for (const name of ['fetch', 'inner', 'method']) assert.match(found.get(name)?.reason ?? '', /\w+/);
  assert.equal(found.get('outer')?.profilable, true);
});

void test('Python: a file that does not parse still gets what parses', async () => {
  const found = await discover('broken.py');
  assert.equal(found.get('good')?.profilable, true);
  assert.equal(found.get('after')?.profilable, true);
  assert.equal(found.get('after')?.line, 8);
});

void test('TypeScript: exported declarations, async, arrows, renamed and default exports are offered', async () => {
  const found = await discover('shapes.ts');
  assert.equal(found.get('square')?.profilable, true);
  assert.equal(found.get('square')?.inputs, 'Array.from({ length: 50 }, (_, i) => i)');
  assert.equal(found.get('later')?.kind, 'async-function');
  assert.equal(found.get('later')?.profilable, true);
  assert.equal(found.get('arrow')?.kind, 'arrow-function');
  assert.equal(found.get('alias')?.profilable, true);
  assert.equal(found.get('alias')?.line, 16, 'the lens sits on the function, not on the export clause');
  assert.equal(found.get('default')?.profilable, true);
  assert.equal(found.has('renamed'), false);
});

void test('TypeScript: module-level functions that are not exported and methods say why', async () => {
  const found = await discover('shapes.ts');
  assert.equal(found.get('helper')?.profilable, false);
  assert.match(found.get('helper')?.reason ?? '', /not exported/);
  assert.equal(found.get('Shape.area')?.kind, 'method');
  assert.equal(found.get('Shape.area')?.profilable, false);
});

void test('JavaScript: CommonJS exports', async () => {
  const found = await discover('common.js.txt', 'common.js');
  assert.equal(found.get('direct')?.profilable, true);
  assert.equal(found.get('work')?.profilable, true);
  assert.equal(found.get('work')?.line, 0);
});

void test('TSX files use the tsx grammar', async () => {
  const found = await discover('component.tsx.txt', 'component.tsx');
  assert.equal(found.get('render')?.profilable, true);
});
