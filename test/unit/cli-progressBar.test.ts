// The CLI's progress on a stream that is not a terminal (a CI log): a line every few seconds, except the first
// answer so far, which is written at once; control characters from user strings are shown escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProgressBar } from '../../runner/cli/progressBar';

function logStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (text: string) => lines.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

void test('in a log the first answer so far is written at once, other lines at most every 5 s', () => {
  const { stream, lines } = logStream();
  const bar = new ProgressBar(stream);
  bar.update(0.1, 'opening process k=2');
  bar.update(0.2, 'round 1: serial');
  assert.equal(lines.length, 1, 'a second line within 5 s of the first');
  bar.update(0.3, 'round 3: process k=2 · so far process S(2) ≈ 1.80 [1.60, 2.00]', true);
  assert.equal(lines.length, 2, 'the first answer waited for the 5 s throttle');
  assert.match(lines[1]!, /so far process S\(2\) ≈ 1\.80/);
  bar.update(0.4, 'round 4: process k=2 · so far process S(2) ≈ 1.79 [1.65, 1.95]', true);
  assert.equal(lines.length, 2, 'later answers follow the throttle');
});

void test('a line from user strings cannot move the cursor or clear the log', () => {
  const { stream, lines } = logStream();
  new ProgressBar(stream).update(0, 'loading \x1b[2Jevil\r');
  assert.equal(lines[0], 'amdahl:   0% loading \\x1b[2Jevil\\r\n');
});
