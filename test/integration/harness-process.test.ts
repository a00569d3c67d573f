// The runner's harness client when a harness breaks the protocol or never says hello: the harness is reported
// lost (as a value, with the reason) and its process group is killed. A harness that breaks the protocol is
// written here as a few lines of Node.js, since neither real harness does it on purpose.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HelloMessage } from '../../protocol/harness';
import { HarnessProcess, type HarnessSpec } from '../../runner/profile/harnessProcess';

const hello: HelloMessage = {
  type: 'hello',
  runtime: 'Node.js test',
  implementation: 'node',
  version: process.versions.node,
  executable: process.execPath,
  pid: 0,
  logicalCores: 1,
  usableCores: 1,
  physicalCores: null,
  cpuModel: null,
  platform: process.platform,
  gil: null,
  backends: ['serial'],
};

/** A harness that says hello (unless told not to), then answers every command line with `answer`. */
function harness(answer: string | null, sayHello = true): HarnessSpec {
  const script = `
    const fs = require('node:fs');
    if (${sayHello}) fs.writeSync(3, JSON.stringify(${JSON.stringify(hello)}) + '\\n');
    require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
      if (${JSON.stringify(answer)} !== null) fs.writeSync(3, ${JSON.stringify(answer)} + '\\n');
    });`;
  return {
    command: process.execPath,
    args: ['-e', script],
    cwd: process.cwd(),
    env: process.env,
    name: 'test',
  };
}

const load = { op: 'load', file: 'x.py', function: 'f', inputs: null, starmap: false } as const;

void test('an answer of the wrong type is a protocol loss, and the harness is killed', async () => {
  const h = new HarnessProcess(harness(JSON.stringify({ type: 'bye' })), {
    helloTimeoutMs: 10_000,
    log: () => {},
  });
  assert.equal((await h.hello).ok, true);
  const reply = await h.request(load, 10_000);
  assert.equal(reply.ok, false);
  if (reply.ok) return;
  assert.deepEqual(
    [reply.error.type, reply.error.type === 'lost' && reply.error.reason],
    ['lost', 'protocol'],
  );
  assert.match(reply.error.message, /test answered load with a bye message/);
  assert.equal((await h.exited).signal, 'SIGKILL');
});

void test('a malformed answer is a protocol loss, said in the log', async () => {
  const lines: string[] = [];
  const h = new HarnessProcess(harness(JSON.stringify({ type: 'loaded', inputCount: 'ten' })), {
    helloTimeoutMs: 10_000,
    log: (line) => lines.push(line),
  });
  assert.equal((await h.hello).ok, true);
  const reply = await h.request(load, 10_000);
  assert.equal(!reply.ok && reply.error.type === 'lost' && reply.error.reason, 'protocol');
  assert.ok(
    lines.some((line) => line.includes('malformed message')),
    lines.join('\n'),
  );
  assert.equal((await h.exited).signal, 'SIGKILL');
});

void test('the error answer is a value, and the harness goes on', async () => {
  const error = { type: 'error', op: 'load', code: 'import-failed', message: 'no', recoverable: true };
  const h = new HarnessProcess(harness(JSON.stringify(error)), { helloTimeoutMs: 10_000, log: () => {} });
  assert.equal((await h.hello).ok, true);
  for (let i = 0; i < 2; i++) {
    const reply = await h.request(load, 10_000);
    assert.deepEqual(reply, { ok: false, error });
  }
  h.killNow();
  await h.exited;
});

void test('no hello within its timeout: lost by timeout, the process group killed', async () => {
  const h = new HarnessProcess(harness(null, false), { helloTimeoutMs: 500, log: () => {} });
  const reply = await h.hello;
  assert.equal(!reply.ok && reply.error.reason, 'timeout');
  assert.equal((await h.exited).signal, 'SIGKILL');
  const after = await h.request(load, 10_000);
  assert.equal(
    !after.ok && after.error.type === 'lost' && after.error.reason,
    'timeout',
    'a lost harness stays lost',
  );
});
