// "Profile at sizes..." from the report page: the same function again over input sizes, n bound in the inputs,
// ending in a report with a run per size and the efficiency-against-size chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, PROGRESS_NOTIFICATION, QUICK_RUN_SETTINGS } from './extensionUi';
import { startProfile, waitForRunEnd } from './profileFlow';
import { frameText, reportFrame, tableRows } from './reportPage';
import { openSession } from './session';
import { notification, openFile, quickInput, waitForLensAbove, webviewFrame } from './workbench';

void test('the report page profiles its function again at input sizes', { timeout: 480_000 }, async () => {
  const session = await openSession({
    name: 'sizes',
    fixtures: ['samples/sleep'],
    trusted: true,
    settings: { ...QUICK_RUN_SETTINGS, 'amdahl.workers': [2], 'amdahl.backends': ['thread'] },
  });
  const { page } = session;
  try {
    const first = await session.step('first run', async () => {
      await openFile(page, 'sleepy.py');
      const lens = await waitForLensAbove(page, 'def nap(', PROFILE_LENS);
      return startProfile(page, () => lens.click());
    });
    await session.step('first report', async () => {
      await waitForRunEnd(page, first);
      await reportFrame(page);
    });
    await session.step('ask for sizes', async () => {
      const frame = await webviewFrame(page, 'button[title^="Profile this function again"]');
      await frame.locator('button[title^="Profile this function again"]').click();
      // The inputs: range(10) has no n, so the box offers range(n); accept it.
      const box = quickInput(page).locator('input');
      await box.waitFor({ state: 'visible', timeout: 60_000 });
      assert.equal(await box.inputValue(), 'range(n)');
      await page.keyboard.press('Enter');
      // The sizes: replace the offered 100,1000,10000 with two small ones.
      await page.waitForFunction(
        () =>
          document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === '100,1000,10000',
        undefined,
        { timeout: 30_000 },
      );
      await box.fill('2,4');
      await page.keyboard.press('Enter');
    });
    const second = await session.step('sized run', async () => {
      const toast = notification(page, PROGRESS_NOTIFICATION);
      await toast.waitFor({ state: 'visible', timeout: 60_000 });
      return toast;
    });
    await session.step('sized report', async () => {
      await waitForRunEnd(page, second);
      const deadline = Date.now() + 60_000;
      let text = '';
      while (Date.now() < deadline) {
        text = await frameText(await reportFrame(page));
        if (/Efficiency against input size/.test(text)) break;
        await page.waitForTimeout(500);
      }
      assert.match(text, /Efficiency against input size/, text);
      const rows = await tableRows(await reportFrame(page));
      for (const n of [2, 4])
        assert.ok(
          rows.some((row) => row.run.includes(`n=${n}`) && row.workers === 2),
          `no thread row at n = ${n}: ${JSON.stringify(rows)}`,
        );
    });
    await session.screenshot('sizes-report');
  } finally {
    await session.close();
  }
});
