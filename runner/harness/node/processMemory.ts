// The harness process's memory around each pass, for pools whose workers are threads of it (piscina, the serial
// thread): Linux resets the process's peak RSS (VmHWM) on "5" written to /proc/self/clear_refs, so the peak of one
// pass, less the resident memory just before it, is what that pass grew the process by. Pools are open side by
// side and their passes interleave, so the figures are kept per pool: the largest over its passes. Elsewhere
// nothing is reported.
import { readFileSync, writeFileSync } from 'node:fs';

interface Growth {
  parentPeakRssBytes: number;
  processGrowthBytes: number;
}

function ownPeakBytes(): number | null {
  try {
    const line = readFileSync('/proc/self/status', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    const kib = line ? Number(line.split(/\s+/)[1]) : NaN;
    return Number.isFinite(kib) ? kib * 1024 : null;
  } catch {
    return null;
  }
}

function resetOwnPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export class PassMemory {
  private readonly byPool = new Map<string, Growth>();

  /** Runs one pass (or a pool's start and warm-up) of pool `id`, outside its timed span, and keeps its growth. */
  async around<T>(id: string, pass: () => Promise<T>): Promise<T> {
    const idle = resetOwnPeak() ? process.memoryUsage.rss() : null;
    const result = await pass();
    const peak = idle === null ? null : ownPeakBytes();
    if (idle !== null && peak !== null) {
      const known = this.byPool.get(id);
      this.byPool.set(id, {
        parentPeakRssBytes: Math.max(known?.parentPeakRssBytes ?? 0, peak),
        processGrowthBytes: Math.max(known?.processGrowthBytes ?? 0, peak - idle),
      });
    }
    return result;
  }

  /** The closed message's fields for pool `id` (none where the platform cannot tell), forgotten afterwards. */
  closedFields(id: string): Partial<Growth> {
    const growth = this.byPool.get(id);
    this.byPool.delete(id);
    return growth ?? {};
  }
}
