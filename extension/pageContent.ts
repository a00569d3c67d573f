// What the report page is sent to show the panel's content: a finished report, or a running profile's start and
// its points so far. Kept so a page that is still loading (or reloads) gets all of it on "ready", and scoped to
// one run so a late point from an earlier run never lands on a later run's page.
import type { Comparison } from '../protocol/comparison';
import type { Environment, Point, Report, Run } from '../protocol/report';
import type { ToWebview } from '../protocol/webview';

export class PageContent {
  private messages: ToWebview[] = [];
  private liveRunId: string | undefined;

  /**
   * A final report replaces whatever was shown; points still arriving from its run are ignored. With a baseline
   * and its comparison, the page overlays the baseline and shows the verdicts.
   */
  showReport(report: Report, overlay?: { baseline: Report; comparison: Comparison }): ToWebview {
    this.liveRunId = undefined;
    return this.restart({ type: 'report', report, ...overlay });
  }

  /** A final report the page reads from its file at `url` (a webview resource URI), as showReport otherwise. */
  showReportFile(url: string): ToWebview {
    this.liveRunId = undefined;
    return this.restart({ type: 'reportFile', url });
  }

  /** A run has started on this page: the page is cleared and says the function is being profiled. */
  startRun(runId: string, fn: string, environment: Environment): ToWebview {
    this.liveRunId = runId;
    return this.restart({ type: 'live', function: fn, environment });
  }

  /** The message for a new point of the live run, or undefined when the point belongs to no run shown here. */
  addPoint(runId: string, run: Run, point: Point): ToWebview | undefined {
    if (runId !== this.liveRunId) return undefined;
    const message: ToWebview = { type: 'partial', run, point };
    this.messages.push(message);
    return message;
  }

  /** Everything the page needs, in order, to show the content from a blank page. */
  replay(): readonly ToWebview[] {
    return this.messages;
  }

  private restart(message: ToWebview): ToWebview {
    this.messages = [message];
    return message;
  }
}
