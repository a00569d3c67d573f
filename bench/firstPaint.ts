// The first full paint of a report page opened from disk, as a user opens an --html report, read from the page's
// own performance marks: shared by the report-page and scale benches.
import type { Browser } from 'playwright-core';

export interface Paint {
  /** From navigation start to the end of the first full draw (every chart, the table). */
  drawnMs: number;
  /** From navigation start to the frame after it: when the drawing is on screen. */
  paintedMs: number;
}

export async function firstPaint(browser: Browser, file: string): Promise<Paint> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`file://${file}`, { waitUntil: 'commit' });
    await page.waitForSelector('body[data-state="drawn"]', { timeout: 30_000 });
    return await page.evaluate(
      () =>
        new Promise<Paint>((resolve) => {
          const drawn = performance.getEntriesByName('amdahl-drawn')[0]!.startTime;
          requestAnimationFrame(() =>
            setTimeout(() => resolve({ drawnMs: drawn, paintedMs: Math.max(drawn, performance.now()) }), 0),
          );
        }),
    );
  } finally {
    await page.close();
  }
}
