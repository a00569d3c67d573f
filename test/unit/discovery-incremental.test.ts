// Incremental discovery (the server's per-document trees) finds exactly what a fresh parse finds, edit after edit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { discoverFunctions } from '../../runner/discovery/discover';
import { DocumentTrees } from '../../runner/discovery/documentTrees';
import { Grammars } from '../../runner/discovery/grammars';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'discovery');
let grammars: Grammars;

before(async () => {
  grammars = await Grammars.load();
});

void test('Python: insertions, deletions, renames and a broken then mended line', async () => {
  const trees = new DocumentTrees(grammars);
  const uri = 'file:///edited.py';
  let text = readFileSync(path.join(FIXTURES, 'shapes.py'), 'utf8');
  const edits: ((t: string) => string)[] = [
    (t) => t.replace('def plain(x):', 'def plain_renamed(x):'),
    (t) => `def first(x):\n    return x\n\n\n${t}`,
    (t) => t.replace('async def fetch(x):\n    return x\n', ''),
    (t) => t.replace('def outer(x):', 'def outer(x:'),
    (t) => t.replace('def outer(x:', 'def outer(x):'),
    (t) => `${t}\n\ndef ünïcode_ok(x):  # é\n    return x\n`,
    (t) => t.replace('# amdahl: inputs=range(100)', '# amdahl: inputs=range(7)'),
    (t) => `# café, ünïcode before every definition\n${t}`,
  ];
  assert.deepEqual(
    await trees.discover(uri, 'python', text),
    await discoverFunctions(grammars, 'python', uri, text),
  );
  for (const edit of edits) {
    text = edit(text);
    const incremental = await trees.discover(uri, 'python', text);
    const fresh = await discoverFunctions(grammars, 'python', 'edited.py', text);
    assert.deepEqual(incremental, fresh, `after an edit the text reads:\n${text}`);
  }
  const names = (await trees.discover(uri, 'python', text)).map((fn) => fn.name);
  assert.ok(names.includes('first') && names.includes('plain_renamed') && names.includes('ünïcode_ok'));
  assert.ok(!names.includes('fetch'));
  trees.forget(uri);
});

void test('TypeScript: an export added and removed', async () => {
  const trees = new DocumentTrees(grammars);
  const uri = 'file:///edited.ts';
  let text = readFileSync(path.join(FIXTURES, 'shapes.ts'), 'utf8');
  for (const edit of [
    (t: string) => t.replace('function helper', 'export function helper'),
    (t: string) => t.replace('export const arrow', 'const arrow'),
  ]) {
    text = edit(text);
    assert.deepEqual(
      await trees.discover(uri, 'typescript', text),
      await discoverFunctions(grammars, 'typescript', 'edited.ts', text),
    );
  }
  const found = await trees.discover(uri, 'typescript', text);
  assert.equal(found.find((fn) => fn.name === 'helper')?.profilable, true);
  assert.equal(found.find((fn) => fn.name === 'arrow')?.profilable, false);
});
