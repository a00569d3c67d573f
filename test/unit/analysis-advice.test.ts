// Language-specific advice: piscina's batching and transfer suggestions for Node.js, pickle's for Python.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchingAdvice, largeTransferAdvice } from '../../runner/analysis/advice';

void test('batching: an array of inputs per pool.run for Node.js, chunksize for Python', () => {
  assert.match(batchingAdvice('node', 40), /array of about 40 inputs to each pool\.run\(\)/);
  assert.match(batchingAdvice('CPython', 40), /chunksize=40/);
});

void test('large transfers: transferables and Piscina.move for Node.js, shared memory for Python', () => {
  assert.match(largeTransferAdvice('node'), /Piscina\.move\(buffer\)/);
  assert.match(largeTransferAdvice('node'), /SharedArrayBuffer/);
  assert.match(largeTransferAdvice('PyPy'), /multiprocessing\.shared_memory/);
});
