// Scenario 7: in an untrusted workspace, running is refused with the reason, and nothing is started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_COMMAND_TITLE } from './extensionUi';
import { descendants } from './processTree';
import { openSession } from './session';
import { notification, notificationTexts, openFile, placeCursor, runCommand } from './workbench';

void test('7. an untrusted workspace refuses to run, saying why', { timeout: 180_000 }, async () => {
  const session = await openSession({ name: 'untrusted', fixtures: ['samples/sleep'], trusted: false });
  const { page, server } = session;
  try {
    await session.step('restricted', async () => {
      // Restricted mode shows itself in the status bar; without it this scenario would prove nothing.
      await page.locator('.statusbar [aria-label*="Restricted Mode" i]').first().waitFor({ timeout: 30_000 });
    });
    const before = new Set(descendants(server.pid).map((info) => info.pid));
    await session.step('refused', async () => {
      await openFile(page, 'sleepy.py');
      await placeCursor(page, 'time.sleep(NAP_SECONDS)');
      await runCommand(page, PROFILE_COMMAND_TITLE);
      const refusal = notification(page, /trust/i);
      await refusal.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
        throw new Error(
          `no notification about trust; shown: ${JSON.stringify(await notificationTexts(page))}`,
        );
      });
    });
    await session.screenshot('7-refused');
    const started = descendants(server.pid).filter(
      (info) => !before.has(info.pid) && /python|pypy/i.test(info.cmdline),
    );
    assert.deepEqual(
      started.map((info) => info.cmdline),
      [],
      'an untrusted workspace started Python',
    );
  } finally {
    await session.close();
  }
});
