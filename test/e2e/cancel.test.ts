// Scenario 5: cancelling a long run from its notification stops it, and no process of that run remains.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROFILE_LENS, QUICK_RUN_SETTINGS } from './extensionUi';
import { alive, descendants, type ProcessInfo } from './processTree';
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
    // The run's processes are those the Amdahl runner (the language server on dist/server.js) starts after the
    // click. Other servers VS Code starts meanwhile (a JSON language server, say) are not part of the run.
    const runner = descendants(server.pid).find((info) => info.cmdline.includes('dist/server.js'));
    assert.ok(runner, 'the Amdahl runner (dist/server.js) is not running under code-server');
    const before = new Set(descendants(runner.pid).map((info) => info.pid));
    const runProcesses = (): ProcessInfo[] => descendants(runner.pid).filter((info) => !before.has(info.pid));

    const progress = await session.step('start', () => startProfile(page, () => lens.click()));
    // Every process the run started, remembered by pid: a pool worker orphaned by a killed harness is no longer
    // anyone's descendant here, but it must be gone too.
    const seen = new Map<number, ProcessInfo>();
    const remember = (): ProcessInfo[] => {
      const now = runProcesses();
      for (const info of now) seen.set(info.pid, info);
      return now;
    };
    await session.step('running', async () => {
      // The run is in its pool passes once a Python harness and a pool worker exist; their tasks sleep 5 s each.
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const python = remember().filter((info) => /python|pypy/i.test(info.cmdline));
        if (python.length >= 2) return;
        await page.waitForTimeout(200);
      }
      throw new Error(
        `the run did not reach a pool pass; its processes: ${JSON.stringify([...seen.values()])}`,
      );
    });
    await session.screenshot('5-running');

    await session.step('cancel', async () => {
      await progress.hover();
      await progress.getByRole('button', { name: /cancel/i }).click();
      await waitForRunEnd(page, progress, 30_000);
    });
    // The runner kills the run's process groups on cancel; give it a moment, then nothing may be left.
    const remaining = (): string[] => [
      ...new Set(
        [...remember(), ...seen.values()]
          .filter((info) => alive(info.pid))
          .map((info) => `${info.pid} ${info.cmdline}`),
      ),
    ];
    const deadline = Date.now() + 15_000;
    let left = remaining();
    while (left.length > 0 && Date.now() < deadline) {
      await page.waitForTimeout(250);
      left = remaining();
    }
    await session.screenshot('5-cancelled');
    assert.deepEqual(left, [], `processes of the cancelled run remain (it had ${seen.size})`);
  } finally {
    await session.close();
  }
});
