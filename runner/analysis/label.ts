// The short names of a run: its legend label and the scope its warnings carry.
import type { Target } from '../../protocol/report';

/** e.g. "complex_operation · process (fork) · CPython 3.11.7". */
export function runLabel(
  target: Target,
  backend: string,
  /** The start method, and the library threads where they were limited: "fork, 1 BLAS thread". */
  detail: string | undefined,
  runtime: string,
): string {
  return [target.function, detail ? `${backend} (${detail})` : backend, runtime].join(' · ');
}
