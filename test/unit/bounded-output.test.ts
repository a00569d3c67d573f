// Captured user output keeps its head and tail and counts every byte, however much is printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedOutput } from '../../runner/profile/boundedOutput';

void test('short output is kept whole', () => {
  const output = new BoundedOutput(100);
  output.push(Buffer.from('hello\n'));
  output.push(Buffer.from('world\n'));
  assert.equal(output.text(), 'hello\nworld\n');
  assert.equal(output.bytes, 12);
});

void test('megabytes keep the first and last bytes and say how many were dropped', () => {
  const output = new BoundedOutput(1000);
  output.push(Buffer.from('BEGIN'));
  for (let i = 0; i < 5000; i++) output.push(Buffer.from('x'.repeat(999) + '\n'));
  output.push(Buffer.from('END'));
  const text = output.text();
  assert.ok(text.startsWith('BEGIN'));
  assert.ok(text.endsWith('END'));
  assert.equal(output.bytes, 5 + 5000 * 1000 + 3);
  const dropped = Number(/\[\.\.\. (\d+) bytes not kept \.\.\.\]/.exec(text)![1]);
  assert.equal(dropped, output.bytes - 2000);
  assert.ok(text.length < 2100);
});
