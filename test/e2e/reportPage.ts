// Reads the report webview the way a user sees it: is the chart drawn, which rows does the table list, what errors.
import type { Frame, Page } from 'playwright-core';
import { webviewFrame } from './workbench';

/** The report's own document; it holds the numbers table once a run has finished. */
export async function reportFrame(page: Page, timeout = 180_000): Promise<Frame> {
  // A finished report, not the run's live points: the page marks the body "live" until the final report is drawn,
  // which comes a moment after the progress ends (the history saves it, then the page reads its file).
  return webviewFrame(page, 'body[data-state="drawn"] table', timeout);
}

/**
 * Whether the speedup chart has ink: a chart.js canvas with non-transparent pixels, or an SVG chart with
 * plotted shapes. An empty canvas of the right size is not a drawn chart.
 */
export async function chartDrawn(frame: Frame): Promise<boolean> {
  return frame.evaluate(() => {
    for (const canvas of Array.from(document.querySelectorAll('canvas'))) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const context = canvas.getContext('2d');
      if (!context) continue;
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let alpha = 3; alpha < pixels.length; alpha += 4) if ((pixels[alpha] ?? 0) > 0) inked += 1;
      if (inked > 200) return true;
    }
    for (const svg of Array.from(document.querySelectorAll('svg'))) {
      if (svg.querySelectorAll('path, polyline, circle').length > 0) return true;
    }
    return false;
  });
}

export interface TableRow {
  /** The run the row belongs to (backend label), where the table has such a column. */
  run: string;
  workers: number;
}

/** The (run, k) rows of every table that has a worker-count column ("k" or "workers"). */
export async function tableRows(frame: Frame): Promise<TableRow[]> {
  return frame.evaluate(() => {
    const rows: { run: string; workers: number }[] = [];
    for (const table of Array.from(document.querySelectorAll('table'))) {
      const headers = Array.from(table.querySelectorAll('thead th, tr:first-child th')).map((th) =>
        (th.textContent ?? '').trim().toLowerCase(),
      );
      const workersColumn = headers.findIndex((h) => h === 'k' || h === 'workers');
      if (workersColumn < 0) continue;
      const runColumn = headers.findIndex((h) => h === 'run' || h === 'backend');
      for (const tr of Array.from(table.querySelectorAll('tbody tr'))) {
        const cells = Array.from(tr.querySelectorAll('td, th')).map((cell) =>
          (cell.textContent ?? '').trim(),
        );
        const workers = Number(cells[workersColumn]);
        if (Number.isInteger(workers))
          rows.push({ run: runColumn >= 0 ? (cells[runColumn] ?? '') : '', workers });
      }
    }
    return rows;
  });
}

export async function frameText(frame: Frame): Promise<string> {
  return frame.evaluate(() => document.body.innerText);
}

/** The status line a live report shows while its run goes on ("Profiling fn: 2 points measured so far..."). */
export async function liveStatus(frame: Frame): Promise<string | null> {
  return frame.evaluate(() => document.querySelector('.live[role=status]')?.textContent ?? null);
}

/** The report frame once it shows live rows: the run's first points, drawn before the run has ended. */
export async function liveReportFrame(page: Page, timeout = 120_000): Promise<Frame> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const frame = await webviewFrame(page, '.live[role=status]', deadline - Date.now());
    if ((await tableRows(frame).catch(() => [])).length > 0) return frame;
    await page.waitForTimeout(200);
  }
  throw new Error(`the report panel showed no live rows within ${timeout / 1000} s`);
}
