// A profile as a user runs it in the workbench: start it, watch its progress notification, wait for its end.
import type { Locator, Page } from 'playwright-core';
import { PROGRESS_NOTIFICATION } from './extensionUi';
import { notification, notificationTexts, quickInput } from './workbench';

/** A prompt still there a moment later is a real one, not the palette or a previous box closing. */
async function steadilyVisible(page: Page, prompt: Locator): Promise<boolean> {
  if (!(await prompt.isVisible())) return false;
  await page.waitForTimeout(300);
  return prompt.isVisible();
}

/**
 * Clicks a lens (or runs whatever `start` does), accepts every prompt with its default (the inputs box, which
 * may take a while to come: the command first asks the language server for the file's functions) and returns
 * the progress toast once the run shows it.
 */
export async function startProfile(
  page: Page,
  start: () => Promise<void>,
  timeout = 90_000,
): Promise<Locator> {
  await start();
  const toast = notification(page, PROGRESS_NOTIFICATION);
  const prompt = quickInput(page);
  const deadline = Date.now() + timeout;
  let accepted = 0;
  while (Date.now() < deadline) {
    if (await toast.isVisible()) return toast;
    if (await steadilyVisible(page, prompt)) {
      if (++accepted > 10) throw new Error('the command kept asking for input after 10 accepted prompts');
      await page.keyboard.press('Enter');
      await prompt.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      continue;
    }
    await page.waitForTimeout(200);
  }
  const shown = await notificationTexts(page);
  throw new Error(
    `no progress notification matching ${PROGRESS_NOTIFICATION} within ${timeout / 1000} s (${accepted} prompts accepted); shown: ${JSON.stringify(shown)}`,
  );
}

/** Waits until the run's progress notification is gone: the run has finished, failed or been cancelled. */
export async function waitForRunEnd(page: Page, progress: Locator, timeout = 300_000): Promise<void> {
  await progress.waitFor({ state: 'hidden', timeout });
}
