// Scenario 6: a function that raises shows the error with its input, and the report keeps what was measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, QUICK_RUN_SETTINGS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { frameText, reportFrame, tableRows } from './reportPage';
import { E2E_FIXTURES, openSession } from './session';
import { notificationTexts, openFile, waitForLensAbove } from './workbench';

void test(
  '6. a raising function: the error names its input, the measured runs stay',
  { timeout: 300_000 },
  async () => {
    const session = await openSession({
      name: 'raises',
      fixtures: [`${E2E_FIXTURES}/raises`],
      trusted: true,
      settings: { ...QUICK_RUN_SETTINGS, 'amdahl.backends': ['process', 'thread'] },
    });
    const { page } = session;
    try {
      const progress = await session.step('start', async () => {
        await openFile(page, 'fragile.py');
        const lens = await waitForLensAbove(page, 'def fragile(', PROFILE_LENS);
        return startProfile(page, () => lens.click());
      });
      await session.step('run', () => waitForRunEnd(page, progress));
      const frame = await session.step('report', () => reportFrame(page));
      const text = await frameText(frame);
      // fragile raises only in worker processes, on input 4: the process run fails with that input named.
      assert.match(text, /ValueError/, `the report does not show the exception:\n${text}`);
      assert.match(text, /refused inside a worker process/);
      assert.match(text, /fragile\(4\)|input 4\b/, `the report does not name input 4:\n${text}`);
      // Serial and thread runs ran in the main process and were measured.
      const rows = await tableRows(frame);
      assert.ok(
        rows.some((row) => /thread/i.test(row.run) && row.workers === 2),
        `the thread run's k = 2 is missing; rows: ${JSON.stringify(rows)}`,
      );
      // The user is told too, without opening the report: an error notification names the input.
      const shown = await notificationTexts(page);
      assert.ok(
        shown.some((message) => /fragile\(4\)|input 4\b/.test(message) && /ValueError/.test(message)),
        `no notification names the raising input; shown: ${JSON.stringify(shown)}`,
      );
      await session.screenshot('6-error-report');
    } finally {
      await session.close();
    }
  },
);
