// The one atomic write the CLI and the extension share: the file appears whole, its folder is made, and a write
// that fails leaves no temporary file behind.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { writeAtomically } from '../../protocol/atomicWrite';

const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

void test('writes the text, making the folder, and replaces an existing file', async () => {
  const file = path.join(dir, 'new', 'folder', 'report.json');
  await writeAtomically(file, 'first');
  assert.equal(readFileSync(file, 'utf8'), 'first');
  await writeAtomically(file, 'second');
  assert.equal(readFileSync(file, 'utf8'), 'second');
  assert.deepEqual(readdirSync(path.dirname(file)), ['report.json']);
});

void test('a write that cannot be renamed into place fails and leaves no temporary file', async () => {
  const folder = path.join(dir, 'taken');
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'inside'), 'x');
  await assert.rejects(writeAtomically(folder, 'text'));
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.endsWith('.tmp')),
    [],
  );
});
