// The notebook-to-module builder on real .ipynb files: which cells make the module, the IPython-only lines left
// out, and lines of the module mapped back to cells, with the real tree-sitter grammars finding the functions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withoutIPython } from '../../runner/notebook/ipythonLines';
import { notebookMessage } from '../../runner/notebook/notebookErrors';
import { parseNotebook, type NotebookCell } from '../../runner/notebook/notebookFile';
import { discoverFunctions } from '../../runner/discovery/discover';
import { Grammars } from '../../runner/discovery/grammars';
import {
  buildNotebookModule,
  cellAt,
  cellLine,
  type NotebookModule,
} from '../../runner/notebook/notebookModule';
import { notebookModuleFor } from '../../runner/notebook/notebookTarget';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'notebooks');
const fixture = (name: string): string => path.join(FIXTURES, name);

function cells(name: string): NotebookCell[] {
  const read = parseNotebook(readFileSync(fixture(name), 'utf8'), name);
  assert.ok(read.ok, read.ok ? '' : read.problem);
  return read.cells;
}

async function moduleOf(name: string, fn: string): Promise<NotebookModule> {
  const built = await notebookModuleFor(fixture(name), fn);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  return built.value;
}

void test("the module holds the code cells up to the function's, in order; markdown, raw and later cells are left out", async () => {
  const module = await moduleOf('magics.ipynb', 'nap');
  assert.equal(module.cell, 6, 'the index in "cells", markdown and raw cells counted');
  assert.deepEqual(
    module.cells.map((c) => c.index),
    [1, 3, 4, 5, 6],
  );
  assert.doesNotMatch(module.text, /Sleep tasks|raw text|Later cells/);
  assert.doesNotMatch(module.text, /a cell after the function is run/);
  assert.match(module.text, /def nap\(i\):/);
});

void test('%magics, %%cell magics and !shell lines are dropped with their cell and line; a % that continues an expression stays', async () => {
  const module = await moduleOf('magics.ipynb', 'nap');
  assert.deepEqual(module.dropped, [
    { cell: 1, line: 1, text: '%matplotlib inline' },
    { cell: 1, line: 3, text: '!echo hello' },
    { cell: 1, line: 4, text: 'files = !ls' },
    { cell: 3, line: 1, text: '%%time' },
    { cell: 4, line: 1, text: '%%bash' },
    { cell: 4, line: 2, text: 'echo this is shell' },
    { cell: 4, line: 3, text: 'ls -l' },
    { cell: 5, line: 4, text: '    !echo inside a block' },
  ]);
  assert.doesNotMatch(module.text, /%matplotlib|!echo|!ls|%%|this is shell/);
  assert.match(module.text, /^scale = sum\(range\(4\)\)/m, "%%time's body is Python and stays");
  assert.match(module.text, /^ {9}% 4\)/m, 'the modulo continuation line stays');
  assert.match(module.text, /^ {4}pass$/m, 'a dropped line in a block leaves the block valid');
});

void test('the module is valid Python that runs to the function', async () => {
  const module = await moduleOf('magics.ipynb', 'nap');
  const out = execFileSync('python3', ['-c', `${module.text}\nprint(nap(2))`], { encoding: 'utf8' });
  assert.equal(out.trim(), '4', 'nap(2) = 2 * total, with total = scale % 4 = 6 % 4 from the cells before');
});

void test('every line of the module maps back to its cell and line, and quotes the cell as stored', async () => {
  const module = await moduleOf('magics.ipynb', 'nap');
  const moduleLines = module.text.split('\n');
  for (const cell of module.cells) {
    for (const [offset, stored] of cell.lines.entries()) {
      const at = cellAt(module, cell.firstLine + offset);
      assert.deepEqual(at, { index: cell.index, line: offset + 1 });
      const line = moduleLines[cell.firstLine + offset - 1]!;
      const dropped = module.dropped.some((d) => d.cell === cell.index && d.line === offset + 1);
      if (!dropped) assert.equal(line, stored);
      assert.equal(cellLine(module, cell.index, offset + 1), stored);
    }
    assert.equal(cellAt(module, cell.firstLine - 1), null, 'the comment line before a cell is no cell');
  }
});

void test('the last definition wins, as running the notebook top to bottom leaves it', async () => {
  const notebook = cells('failing.ipynb');
  notebook.push({ index: notebook.length, kind: 'code', source: 'def fragile(x):\n    return -x' });
  const grammars = await Grammars.shared();
  const built = await buildNotebookModule(notebook, 'fragile', 'failing.ipynb', (source) =>
    discoverFunctions(grammars, 'python', 'cell.py', source),
  );
  assert.ok(built.ok);
  assert.equal(built.module.cell, notebook.length - 1);
});

void test('functions: conditional defs are offered as in files; nested ones and methods are refused with the reason', async () => {
  assert.equal((await moduleOf('conditional.ipynb', 'when')).cell, 0);
  for (const [name, reason] of [
    ['inner', /nested function/],
    ['area', /method/],
    ['fetch', /async/],
  ] as const) {
    const built = await notebookModuleFor(fixture('conditional.ipynb'), name);
    assert.ok(!built.ok);
    assert.equal(built.error.code, 'function-not-profilable');
    assert.match(built.error.message, reason);
  }
  const missing = await notebookModuleFor(fixture('conditional.ipynb'), 'nope');
  assert.ok(!missing.ok);
  assert.equal(missing.error.code, 'function-not-found');
  assert.match(missing.error.message, /nope.*when, outer/);
});

void test('a file that is not JSON, or not nbformat 4, is one sentence naming the problem', async () => {
  for (const [name, problem] of [
    ['not_json.ipynb', /^not_json\.ipynb is not a notebook: it is not valid JSON \([^\n]*\)\.$/],
    ['nbformat3.ipynb', /^nbformat3\.ipynb is not an nbformat 4 notebook: it has nbformat 3 [^\n]*\.$/],
  ] as const) {
    const built = await notebookModuleFor(fixture(name), 'f');
    assert.ok(!built.ok);
    assert.equal(built.error.code, 'notebook-invalid');
    assert.match(built.error.message, problem);
  }
  const list = parseNotebook('[1, 2]', 'list.ipynb');
  assert.ok(!list.ok);
  assert.match(list.problem, /not a notebook/);
  const r = parseNotebook(
    JSON.stringify({
      nbformat: 4,
      cells: [],
      metadata: { kernelspec: { language: 'R' }, language_info: { name: 'R' } },
    }),
    'stats.ipynb',
  );
  assert.deepEqual(r, {
    ok: false,
    problem: "stats.ipynb is a notebook in R (its kernel's language); Amdahl profiles Python notebooks.",
  });
  assert.ok(parseNotebook(JSON.stringify({ nbformat: 4, cells: [], metadata: {} }), 'bare.ipynb').ok);
});

void test('a traceback and a syntax error in the module read as cells and lines of the notebook', async () => {
  const module = await moduleOf('failing.ipynb', 'fragile');
  const generated = '/tmp/amdahl-notebook-x/failing.ipynb.py';
  const helperLine = module.cells.find((c) => c.index === 1)!.firstLine + 4;
  const fragileLine = module.cells.find((c) => c.index === 2)!.firstLine + 2;
  const mapped = notebookMessage(
    {
      code: 'task-raised',
      message: 'fragile(3) raised ZeroDivisionError: division by zero (input 3, on main, serial backend).',
      detail: `Traceback (most recent call last):\n  File "${generated}", line ${fragileLine}, in fragile\n    return helper(x)\n  File "${generated}", line ${helperLine}, in helper\n    return 1 / (x - 3)\nZeroDivisionError: division by zero\n`,
    },
    module,
    { generated, shown: 'failing.ipynb' },
  );
  assert.equal(
    mapped.message,
    'fragile(3) raised ZeroDivisionError: division by zero (input 3, on main, serial backend). Cell 1, line 5: return 1 / (x - 3)',
  );
  assert.deepEqual(mapped.cell, { index: 1, line: 5 });
  assert.match(mapped.detail ?? '', /File "failing\.ipynb", cell 2, line 3, in fragile/);
  assert.match(mapped.detail ?? '', /File "failing\.ipynb", cell 1, line 5, in helper/);
  assert.doesNotMatch(mapped.detail ?? '', /amdahl-notebook-x/);

  const syntax = notebookMessage(
    {
      code: 'import-failed',
      message: `Cannot import failing.ipynb.py: SyntaxError at ${generated}:${helperLine} (line ${helperLine}): invalid syntax.`,
    },
    module,
    { generated, shown: 'failing.ipynb' },
  );
  assert.equal(
    syntax.message,
    'Cannot import failing.ipynb: SyntaxError at cell 1, line 5: invalid syntax. Cell 1, line 5: return 1 / (x - 3)',
  );
});

void test('a name only a Jupyter kernel defines is explained, with what to do', async () => {
  const module = await moduleOf('failing.ipynb', 'shows');
  const generated = '/tmp/g/failing.ipynb.py';
  const line = module.cells.find((c) => c.index === 3)!.firstLine + 1;
  const mapped = notebookMessage(
    {
      code: 'task-raised',
      message: "shows(0) raised NameError: name 'display' is not defined (input 0, on main, serial backend).",
      detail: `  File "${generated}", line ${line}, in shows\nNameError: name 'display' is not defined\n`,
    },
    module,
    { generated, shown: 'failing.ipynb' },
  );
  assert.match(mapped.message, /Cell 3, line 2: display\(x\)\. display exists only inside a Jupyter kernel/);
  assert.match(mapped.suggestion ?? '', /from IPython\.display import display/);
});

void test('withoutIPython keeps plain Python as it is, strings and comments included', () => {
  const source = 'x = """\n!not shell\n%not magic\n"""\ny = 5 \\\n    % 3\n# !comment\nz = x != y\n';
  assert.deepEqual(withoutIPython(source), { text: source, dropped: [] });
});
