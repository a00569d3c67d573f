// Every file extension of the languages table, profiled through the CLI: what discovery shows a lens for, the
// command line profiles too (.tsx, .jsx and .pyw included), with the exact speedup of sleep tasks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { defaultBackends } from '../../protocol/backends';
import { LANGUAGES, Language } from '../../protocol/languages';
import { point, runCli } from './cliRunner';

const dir = mkdtempSync(path.join(os.tmpdir(), 'amdahl-languages-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const NAP_MS = 100;
const PYTHON = `import time\n\ndef nap(ms):\n    time.sleep(ms / 1000)\n    return ms\n`;
const BLOCK = 'const cell = new Int32Array(new SharedArrayBuffer(4));\n';
const ESM = `${BLOCK}export function nap(ms) {\n  Atomics.wait(cell, 0, 0, ms);\n  return ms;\n}\n`;
const CJS = `${BLOCK}function nap(ms) {\n  Atomics.wait(cell, 0, 0, ms);\n  return ms;\n}\nmodule.exports = { nap };\n`;
const TS = `${BLOCK}export function nap(ms: number): number {\n  Atomics.wait(cell, 0, 0, ms);\n  return ms;\n}\n`;
const CTS = `${BLOCK}function nap(ms: number): number {\n  Atomics.wait(cell, 0, 0, ms);\n  return ms;\n}\nmodule.exports = { nap };\n`;
// A component beside the task, as in a real React file: compiled, never called.
const JSX = 'export const Label = (props) => <b>{props.text}</b>;\n';
const TSX = 'export const Label = (props: { text: string }) => <b>{props.text}</b>;\n';

const SOURCES: Record<string, string> = {
  '.py': PYTHON,
  '.pyw': PYTHON,
  '.js': ESM,
  '.mjs': ESM,
  '.cjs': CJS,
  '.jsx': ESM + JSX,
  '.ts': TS,
  '.mts': TS,
  '.cts': CTS,
  '.tsx': TS + TSX,
};

for (const language of Language.options) {
  for (const extension of LANGUAGES[language].extensions) {
    void test(`${extension}: profiled as ${language} on its default backends, 4 sleeps of ${NAP_MS} ms give S(2) = 2`, async () => {
      const source = SOURCES[extension];
      assert.ok(source, `a sample ${extension} file for this test`);
      const file = path.join(dir, `naps${extension}`);
      writeFileSync(file, source);
      const python = language === 'python';
      const result = await runCli([
        `${file}:nap`,
        '--inputs',
        python ? `[${NAP_MS}] * 4` : `Array.from({length: 4}, () => ${NAP_MS})`,
        '--workers',
        '1,2',
        '--repeat',
        '3',
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.leftovers, []);
      const runs = result.report!.runs;
      // No --backends: the language's defaults from the backends table, besides the serial baseline.
      assert.deepEqual(
        runs.map((r) => r.backend),
        ['serial', ...defaultBackends(language)],
      );
      for (const run of runs) assert.equal(run.target.language, language);
      for (const backend of defaultBackends(language)) {
        const speedup = point(result.report!, backend, 2).speedup.mean;
        assert.ok(Math.abs(speedup / 2 - 1) < 0.08, `${backend}: S(2) = ${speedup}, expected 2`);
      }
    });
  }
}
