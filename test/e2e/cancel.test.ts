// Scenario 5: cancelling a long run from its notification stops it, and no process of that run remains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, QUICK_RUN_SETTINGS } from './extensionUi';
import { descendants, type ProcessInfo } from './processTree';
import { startProfile, waitForRunEnd } from './profileFlow';
import { E2E_FIXTURES, openSession } from './session';
import { openFile, waitForLensAbove } from './workbench';

void test('5. cancelling a long run stops it and leaves no process of it', { timeout: 240_000 }, async () => {
  const session = await openSession({
    name: 'cancel',
    fixtures: [`${E2E_FIXTURES}/long`],
    trusted: true,
    settings: { ...QUICK_RUN_SETTINGS, 'amdahl.timeoutSeconds': 600 },
  });
  const { page, server } = session;
  try {
    const lens = await session.step('lens', async () => {
      await openFile(page, 'long_nap.py');
      return waitForLensAbove(page, 'def long_nap(', PROFILE_LENS);
    });
    // Everything running before the click (server, extension host, language server) is not part of the run.
    const before = new Set(descendants(server.pid).map((info) => info.pid));
    const runProcesses = (): ProcessInfo[] => descendants(server.pid).filter((info) => !before.has(info.pid));

    const progress = await session.step('start', () => startProfile(page, () => lens.click()));
    const started = await session.step('running', async () => {
      // The run is under way once its Python processes exist; every task sleeps 5 s, so it is still running.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const running = runProcesses().filter((info) => /python|pypy/i.test(info.cmdline));
        if (running.length > 0) return runProcesses();
        await page.waitForTimeout(250);
      }
      throw new Error(
        `no Python process of the run appeared; new processes: ${JSON.stringify(runProcesses())}`,
      );
    });
    await session.screenshot('5-running');

    await session.step('cancel', async () => {
      await progress.hover();
      await progress.getByRole('button', { name: /cancel/i }).click();
      await waitForRunEnd(page, progress, 30_000);
    });
    const deadline = Date.now() + 15_000;
    let left = runProcesses();
    while (left.length > 0 && Date.now() < deadline) {
      await page.waitForTimeout(250);
      left = runProcesses();
    }
    await session.screenshot('5-cancelled');
    assert.deepEqual(
      left.map((info) => `${info.pid} ${info.cmdline}`),
      [],
      `processes of the cancelled run remain (the run had ${started.length})`,
    );
  } finally {
    await session.close();
  }
});
