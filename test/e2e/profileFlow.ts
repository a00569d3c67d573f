// A profile as a user runs it in the workbench: start it, watch its progress notification, wait for its end.
import type { Locator, Page } from 'playwright-core';
import { PROGRESS_NOTIFICATION } from './extensionUi';
import { acceptInputs, notification, notificationTexts } from './workbench';

/** The progress toast of the run that was just started; its progress bar shows while it runs. */
export async function waitForProgress(page: Page, timeout = 60_000): Promise<Locator> {
  const toast = notification(page, PROGRESS_NOTIFICATION);
  try {
    await toast.waitFor({ state: 'visible', timeout });
  } catch {
    const shown = await notificationTexts(page);
    throw new Error(
      `no progress notification matching ${PROGRESS_NOTIFICATION} within ${timeout / 1000} s; shown: ${JSON.stringify(shown)}`,
    );
  }
  return toast;
}

/** Clicks a lens (or runs whatever `start` does), accepts the default inputs and returns the progress toast. */
export async function startProfile(page: Page, start: () => Promise<void>): Promise<Locator> {
  await start();
  await acceptInputs(page);
  return waitForProgress(page);
}

/** Waits until the run's progress notification is gone: the run has finished, failed or been cancelled. */
export async function waitForRunEnd(page: Page, progress: Locator, timeout = 300_000): Promise<void> {
  await progress.waitFor({ state: 'hidden', timeout });
}
