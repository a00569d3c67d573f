// Language-specific advice: piscina's batching and transfer suggestions for Node.js, pickle's for Python.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchingAdvice, LARGE_TRANSFER_BYTES, largeTransferAdvice } from '../../runner/analysis/advice';

void test('batching: an array of inputs per pool.run for Node.js, chunksize for Python', () => {
  assert.match(batchingAdvice('node', 40), /array of about 40 inputs to each pool\.run\(\)/);
  assert.match(batchingAdvice('CPython', 40), /chunksize=40/);
});

void test('large transfers: transferables and Piscina.move for Node.js, nothing below the threshold', () => {
  assert.equal(largeTransferAdvice('node', 100, LARGE_TRANSFER_BYTES - 1), null);
  const advice = largeTransferAdvice('node', 100, 4 * LARGE_TRANSFER_BYTES);
  assert.match(advice!, /results of 4\.0 MiB on average by structured clone/);
  assert.match(advice!, /Piscina\.move/);
  assert.match(largeTransferAdvice('PyPy', 2 * LARGE_TRANSFER_BYTES, 0)!, /pickles arguments of 2\.0 MiB/);
});
