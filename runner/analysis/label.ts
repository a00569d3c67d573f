// The short names of a run: its legend label and the scope its warnings carry.
import type { Target } from '../../protocol/report';

/** e.g. "complex_operation · process (fork) · CPython 3.11.7". */
export function runLabel(
  target: Target,
  backend: string,
  startMethod: string | undefined,
  runtime: string,
): string {
  return [target.function, startMethod ? `${backend} (${startMethod})` : backend, runtime].join(' · ');
}
