// Scenario 9: a function in a Jupyter notebook, in VS Code's notebook editor. The seed sample as a notebook: the
// lens above the function in its cell, clicked, the inputs accepted, the report. Then a notebook edited and not
// saved, profiled from the command palette with the cursor in a cell: saved first, and the error in an earlier
// cell takes the user to that cell and line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { PROFILE_COMMAND_TITLE, PROFILE_LENS, QUICK_RUN_SETTINGS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { chartDrawn, frameText, reportFrame, tableRows } from './reportPage';
import { E2E_FIXTURES, openSession } from './session';
import {
  NOTEBOOK_READY,
  notificationTexts,
  openFile,
  placeCursor,
  runCommand,
  waitForLensAbove,
} from './workbench';

/** The text of the editor that has the keyboard focus (a notebook cell's editor, or a file's). */
async function focusedEditorText(page: Page): Promise<string> {
  return page.evaluate(() =>
    (document.activeElement?.closest('.monaco-editor')?.querySelector('.view-lines')?.textContent ?? '')
      // The editor draws spaces as no-break spaces.
      .replace(/\u00a0/g, ' '),
  );
}

void test(
  "9. notebooks: the lens in a cell, the report; palette, save first, the error's cell",
  { timeout: 600_000 },
  async (t) => {
    const session = await openSession({
      name: 'notebook',
      fixtures: ['samples/notebook', `${E2E_FIXTURES}/notebook`],
      trusted: true,
      settings: { ...QUICK_RUN_SETTINGS, 'amdahl.backends': ['process'] },
    });
    const { page } = session;
    let lensShown = false;
    try {
      await t.test('9.1 the seed notebook shows the lens above the function in its cell', async () => {
        await session.step('open', () => openFile(page, 'seed.ipynb', NOTEBOOK_READY));
        await session.step('lens', () => waitForLensAbove(page, 'def complex_operation(', PROFILE_LENS));
        await session.screenshot('1-lens');
        lensShown = true;
      });

      await t.test(
        '9.2 clicking the lens and accepting the inputs profiles it: the report opens',
        async () => {
          assert.ok(lensShown, '9.2 needs the lens of 9.1, which failed');
          const progress = await session.step('start', async () => {
            const lens = await waitForLensAbove(page, 'def complex_operation(', PROFILE_LENS);
            return startProfile(page, () => lens.click());
          });
          await session.step('run', () => waitForRunEnd(page, progress));
          const frame = await session.step('report', () => reportFrame(page));
          const deadline = Date.now() + 15_000;
          while (!(await chartDrawn(frame)) && Date.now() < deadline) await page.waitForTimeout(250);
          assert.ok(await chartDrawn(frame), 'the speedup chart has nothing drawn');
          const rows = await tableRows(frame);
          const counts = new Set(rows.filter((row) => /process/i.test(row.run)).map((row) => row.workers));
          assert.ok(counts.has(1) && counts.has(2), `k = 1 and 2 should be listed: ${JSON.stringify(rows)}`);
          const text = await frameText(frame);
          assert.match(text, /complex_operation/);
          assert.doesNotMatch(
            text,
            /amdahl-notebook-|seed\.ipynb\.py/,
            'the page names the generated module',
          );
          await session.screenshot('2-report');
        },
      );

      await t.test(
        '9.3 palette in an edited notebook: saved first, and the error takes the user to its cell',
        async () => {
          await session.step('open', () => openFile(page, 'fragile_cells.ipynb', NOTEBOOK_READY));
          await session.step('edit', async () => {
            // The cursor into fragile's cell, and an edit there: the notebook is now unsaved.
            await placeCursor(page, 'return helper(x)');
            await page.keyboard.press('End');
            await page.keyboard.type('  # edited');
            await page
              .locator('.tab.active.dirty', { hasText: 'fragile_cells.ipynb' })
              .waitFor({ timeout: 10_000 });
          });
          const progress = await session.step('start', () =>
            startProfile(page, async () => {
              await runCommand(page, PROFILE_COMMAND_TITLE);
              const dialog = page.locator('.monaco-dialog-box');
              await dialog.waitFor({ timeout: 30_000 });
              assert.match(await dialog.innerText(), /fragile_cells\.ipynb has unsaved changes/);
              await session.screenshot('3-save-first');
              await dialog.getByRole('button', { name: 'Save and Profile' }).click();
            }),
          );
          await session.step('run', () => waitForRunEnd(page, progress));
          const saved = readFileSync(path.join(session.workspace, 'fragile_cells.ipynb'), 'utf8');
          assert.match(saved, /return helper\(x\)  # edited/, 'the notebook was saved before the profile');
          await session.step('error', async () => {
            const deadline = Date.now() + 30_000;
            let shown: string[] = [];
            while (Date.now() < deadline) {
              shown = await notificationTexts(page);
              if (shown.some((message) => /Cell 1, line 2: return 1 \/ \(x - 3\)/.test(message))) break;
              await page.waitForTimeout(300);
            }
            assert.ok(
              shown.some((message) => /fragile\(3\) raised ZeroDivisionError.*Cell 1, line 2/s.test(message)),
              `no notification names the cell; shown: ${JSON.stringify(shown)}`,
            );
            // The user is taken to cell 1: its editor has the focus.
            const focusDeadline = Date.now() + 15_000;
            let focused = '';
            while (Date.now() < focusDeadline) {
              focused = await focusedEditorText(page);
              if (focused.includes('1 / (x - 3)')) break;
              await page.waitForTimeout(300);
            }
            assert.match(focused, /1 \/ \(x - 3\)/, `the focused editor is not cell 1: ${focused}`);
          });
          await session.screenshot('3-error-cell');
        },
      );
    } finally {
      await session.close();
    }
  },
);
