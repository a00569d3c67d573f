// "Amdahl: Record Inputs..." on the NumPy sample: the command typed, run in a terminal, then "Profile" from the
// notification, where the inputs prompt offers the recorded calls first and the profile runs over them; the lens above
// the function offers them too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QUICK_RUN_SETTINGS, RECORD_COMMAND_TITLE } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { frameText, reportFrame, tableRows } from './reportPage';
import { openSession } from './session';
import { notification, openFile, placeCursor, quickInput, runCommand, waitForLens } from './workbench';

void test(
  'Record Inputs..., then the profile offers the recorded calls first',
  { timeout: 400_000 },
  async () => {
    const session = await openSession({
      name: 'record',
      fixtures: ['samples/etl'],
      trusted: true,
      // NumPy is Debian's python3-numpy, for /usr/bin/python3.
      settings: {
        ...QUICK_RUN_SETTINGS,
        'amdahl.pythonPath': '/usr/bin/python3',
        'amdahl.backends': ['thread'],
      },
    });
    const { page } = session;
    try {
      await session.step('record', async () => {
        await openFile(page, 'features.py');
        await placeCursor(page, 'def window_features');
        await runCommand(page, RECORD_COMMAND_TITLE);
        const input = quickInput(page).locator('input');
        await input.waitFor({ state: 'visible', timeout: 60_000 });
        await input.fill('/usr/bin/python3 main.py');
        await page.keyboard.press('Enter');
      });
      const recorded = notification(page, /recorded 24 call\(s\) of window_features/);
      await session.step('recorded', () => recorded.waitFor({ timeout: 120_000 }));
      await session.screenshot('recorded');
      // The lens above the function offers the recording too, once the recording has refreshed the lenses.
      await session.step('lens', () => waitForLens(page, /recorded: 24 calls/));
      const offered = await session.step('offered', async () => {
        await recorded.getByRole('button', { name: 'Profile' }).click();
        const first = quickInput(page).locator('.monaco-list-row').first();
        await first.waitFor({ timeout: 60_000 });
        return first.innerText();
      });
      assert.match(offered, /recorded: 24 calls from `\/usr\/bin\/python3 main\.py`, just now/);
      await session.screenshot('offered');
      // Enter takes the first item, the recorded calls.
      const progress = await session.step('start', () =>
        startProfile(page, () => page.keyboard.press('Enter')),
      );
      await session.step('run', () => waitForRunEnd(page, progress));
      const frame = await session.step('report', () => reportFrame(page));
      const rows = await tableRows(frame);
      assert.ok(
        rows.some((row) => /thread/i.test(row.run) && row.workers === 2),
        `no thread row with k = 2; rows: ${JSON.stringify(rows)}\n${await frameText(frame)}`,
      );
      assert.match(await frameText(frame), /window_features/);
    } finally {
      await session.close();
    }
  },
);
