// A one-line progress bar on stderr while a profile runs (only on a terminal; plain lines otherwise).
import { escapeControl } from '../../protocol/terminalText';

export class ProgressBar {
  private lastLine = '';
  private lastPlainAt = 0;
  private answered = false;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
  }

  /** answering: the text carries an answer so far; the first such line is written at once, even in a log. */
  update(fraction: number, text: string, answering = false): void {
    const message = escapeControl(text);
    const clamped = Math.min(1, Math.max(0, fraction));
    const percent = `${Math.round(clamped * 100)}`.padStart(3);
    if (!this.tty) {
      // In CI logs, one line every few seconds is enough to show the run is alive.
      const now = Date.now();
      const firstAnswer = answering && !this.answered;
      this.answered ||= answering;
      if (now - this.lastPlainAt < 5000 && !firstAnswer) return;
      this.lastPlainAt = now;
      this.stream.write(`amdahl: ${percent}% ${message}\n`);
      return;
    }
    const width = 24;
    const filled = Math.round(clamped * width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% `;
    const room = Math.max(10, (this.stream.columns || 100) - bar.length - 1);
    const line = bar + (message.length > room ? `${message.slice(0, room - 1)}…` : message);
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.stream.write(`\r\x1b[2K${line}`);
  }

  done(): void {
    if (this.tty && this.lastLine !== '') this.stream.write('\r\x1b[2K');
    this.lastLine = '';
  }
}
