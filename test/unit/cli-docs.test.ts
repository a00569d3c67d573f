// The CLI's options are one fact: every option the CLI's own usage text names is in the README's option list
// and in docs/contract.md, so neither falls behind the parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { USAGE } from '../../runner/cli/args';

const root = path.resolve(__dirname, '..', '..');
const options = [...USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((match) => match[1]!);

void test('the usage names every option the CLI parses', () => {
  assert.ok(options.length >= 20, options.join(' '));
  for (const name of [
    '--precision',
    '--python-path',
    '--env-file',
    '--allow-oversubscription',
    '--no-progress',
  ])
    assert.ok(options.includes(name), name);
});

for (const document of ['README.md', path.join('docs', 'contract.md')]) {
  void test(`${document} lists every option of the CLI's usage`, () => {
    const text = readFileSync(path.join(root, document), 'utf8');
    const missing = options.filter((name) => !new RegExp(`^\\s+${name}\\b`, 'm').test(text));
    assert.deepEqual(missing, [], `${document} lacks ${missing.join(', ')}`);
  });
}
