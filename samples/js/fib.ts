// CPU-bound work that scales on worker threads:
//   npx amdahl profile samples/js/fib.ts:fib --inputs "Array.from({length: 12}, () => 30)"
import { fibCore } from './fibCore';

export function fib(n: number): number {
  return fibCore(n);
}
