// Recorded inputs as the CLI and the extension find and offer them, from the summaries beside the recordings.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { describeRecording, recordingOf, type RecordingSummary } from '../../protocol/recording';
import { byteSize } from '../../runner/cli/recordArgs';

function summary(file: string, fn: string, createdAt: string, calls = 64): RecordingSummary {
  return {
    format: 'amdahl-recording-summary',
    recording: `${file}.${fn}.${createdAt}.pkl`,
    file,
    function: fn,
    module: 'etl',
    command: ['python3', '-m', 'pytest', 'tests/test_etl.py', 'tests/test_more.py'],
    createdAt,
    calls,
    bytes: 1000,
    stoppedBy: null,
    skipped: [],
    callSites: [],
    interpreter: { implementation: 'cpython', version: [3, 11, 2], executable: '/usr/bin/python3' },
    sourceHash: 'x',
  };
}

void test('a recording is offered with its calls, its command and its age', () => {
  const saved = summary('/p/etl.py', 'clean', '2026-01-01T10:00:00.000Z');
  assert.equal(
    describeRecording(saved, new Date('2026-01-01T12:00:00.000Z')),
    'recorded: 64 calls from `python3 -m pytest tests/test_etl.py t...`, 2 h ago',
  );
  assert.equal(
    describeRecording(
      { ...saved, calls: 1, command: ['python3', 'main.py'] },
      new Date('2026-01-01T10:00:30Z'),
    ),
    'recorded: 1 call from `python3 main.py`, just now',
  );
  // "Record Inputs..." runs the typed line through a shell: the line is what is shown.
  assert.equal(
    describeRecording(
      { ...saved, command: ['/bin/sh', '-c', 'python3 main.py --small'] },
      new Date('2026-01-03T10:00:00Z'),
    ),
    'recorded: 64 calls from `python3 main.py --small`, 2 d ago',
  );
});

void test("the newest recording of the function, found above the file's folder", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'amdahl-recordings-'));
  const file = path.join(root, 'src', 'pkg', 'etl.py');
  mkdirSync(path.dirname(file), { recursive: true });
  const folder = path.join(root, '.amdahl', 'inputs');
  mkdirSync(folder, { recursive: true });
  const write = (name: string, s: RecordingSummary): void =>
    writeFileSync(path.join(folder, name), JSON.stringify(s));
  write('a.json', summary(file, 'clean', '2026-01-01T10:00:00.000Z'));
  write('b.json', summary(file, 'clean', '2026-01-02T10:00:00.000Z', 3));
  write('c.json', summary(file, 'other', '2026-01-03T10:00:00.000Z'));
  write('d.json', summary(path.join(root, 'elsewhere.py'), 'clean', '2026-01-04T10:00:00.000Z'));
  writeFileSync(path.join(folder, 'broken.json'), '{');
  assert.equal(recordingOf(file, 'clean', os.tmpdir())?.calls, 3);
  assert.equal(recordingOf(file, 'missing', os.tmpdir()), null);
});

void test('--max-bytes takes bytes and decimal or binary units', () => {
  assert.equal(byteSize('200MB'), 200_000_000);
  assert.equal(byteSize('50 MiB'), 50 * 1024 * 1024);
  assert.equal(byteSize('1000000'), 1_000_000);
  assert.equal(byteSize('1.5kB'), 1500);
  for (const bad of ['lots', '0', '-3MB', '5 parsecs'])
    assert.throws(() => byteSize(bad), /--max-bytes must be a size/);
});
