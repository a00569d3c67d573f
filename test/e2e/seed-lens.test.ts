// Scenarios 1-3 on the seed sample: the CodeLens above both functions, profiling from it (progress, the report
// panel filling in live while the run goes on, then the final report with the chart drawn and k = 1 and 2
// listed), the lens showing the result afterwards without the user going back to the editor, and the report
// opened again from the history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, QUICK_RUN_SETTINGS, RESULT_LENS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { chartDrawn, frameText, liveReportFrame, liveStatus, reportFrame, tableRows } from './reportPage';
import { openSession } from './session';
import { openFile, runCommand, waitForLensAbove } from './workbench';

void test('the seed sample: lens, profile, report, result on the lens', { timeout: 480_000 }, async (t) => {
  const session = await openSession({
    name: 'seed',
    fixtures: ['samples/seed'],
    trusted: true,
    settings: QUICK_RUN_SETTINGS,
  });
  const { page } = session;
  // Each scenario needs the one before; if that failed, fail at once naming it instead of waiting out a timeout.
  let lensesShown = false;
  let reportShown = false;
  try {
    await t.test('1. opening the seed sample shows the CodeLens above both functions', async () => {
      await session.step('lenses', async () => {
        await openFile(page, 'complex_operation.py');
        await waitForLensAbove(page, 'def complex_operation(', PROFILE_LENS);
        await waitForLensAbove(page, 'def complex_operation_numpy(', PROFILE_LENS);
      });
      await session.screenshot('1-lenses');
      lensesShown = true;
    });

    await t.test(
      '2. clicking the lens and accepting the inputs shows progress and live points, then the report',
      async () => {
        assert.ok(lensesShown, 'scenario 2 needs the lens of scenario 1, which failed');
        const progress = await session.step('start', async () => {
          const lens = await waitForLensAbove(page, 'def complex_operation(', PROFILE_LENS);
          return startProfile(page, () => lens.click());
        });
        await session.screenshot('2-progress');
        await session.step('live', async () => {
          const live = await liveReportFrame(page);
          const rows = await tableRows(live);
          assert.ok(
            await progress.isVisible(),
            `the run had ended when live rows showed: ${JSON.stringify(rows)}`,
          );
          assert.match(
            (await liveStatus(live)) ?? '',
            /Profiling complex_operation: \d+ points? measured so far/,
          );
          await page.getByRole('tab', { name: /complex_operation \(running\)/ }).waitFor({ timeout: 5000 });
        });
        await session.screenshot('2-live');
        await session.step('run', () => waitForRunEnd(page, progress));
        const frame = await session.step('report', () => reportFrame(page));
        // The final report follows the run's answer by a message; give the page a moment to take it.
        const replaced = Date.now() + 10_000;
        while ((await liveStatus(frame)) !== null && Date.now() < replaced) await page.waitForTimeout(200);
        assert.equal(await liveStatus(frame), null, 'the final report still says the run is going on');
        await session.step('chart', async () => {
          // chart.js animates its first draw; give it a moment to put ink on the canvas.
          const deadline = Date.now() + 15_000;
          while (!(await chartDrawn(frame)) && Date.now() < deadline) await page.waitForTimeout(250);
          assert.ok(await chartDrawn(frame), 'the speedup chart has nothing drawn');
        });
        const rows = await tableRows(frame);
        const parallel = rows.filter((row) => !/serial/i.test(row.run));
        const counts = new Set(parallel.map((row) => row.workers));
        assert.ok(
          counts.has(1) && counts.has(2),
          `the table should list k = 1 and 2; rows: ${JSON.stringify(rows)}\n${await frameText(frame)}`,
        );
        // The page read the whole report from the file the runner wrote: its task tables draw the timeline.
        assert.match(await frameText(frame), /Tasks per worker/, 'the report came without its tasks');
        await session.screenshot('2-report');
        reportShown = true;
      },
    );

    await t.test('3. the lens then shows the result', async () => {
      assert.ok(reportShown, 'scenario 3 needs the run of scenario 2, which failed');
      // The report has the focus; the code, still open beside it, redraws its lens without being clicked.
      await session.step('result-lens', async () => {
        await waitForLensAbove(page, 'def complex_operation(', RESULT_LENS, 30_000);
      });
      await session.screenshot('3-result-lens');
    });

    await t.test('4. "Open Last Report" opens it again in a new panel, read from its file', async () => {
      assert.ok(reportShown, 'scenario 4 needs the report of scenario 2, which failed');
      const tab = page.getByRole('tab', { name: /Amdahl: complex_operation/ });
      await session.step('close', async () => {
        await tab.first().click();
        await runCommand(page, 'View: Close Editor');
        await tab.first().waitFor({ state: 'detached', timeout: 10_000 });
      });
      const frame = await session.step('reopen', async () => {
        await runCommand(page, 'Amdahl: Open Last Report');
        return reportFrame(page, 60_000);
      });
      const text = await frameText(frame);
      const counts = new Set((await tableRows(frame)).map((row) => row.workers));
      assert.ok(counts.has(1) && counts.has(2), `the reopened table should list k = 1 and 2:\n${text}`);
      assert.match(text, /Tasks per worker/, 'the reopened report came without its tasks');
      await session.screenshot('4-reopened');
    });
  } finally {
    await session.close();
  }
});
