// Tasks that wait rather than compute, with exact expected speedups (n tasks of d ms on k threads take
// ceil(n/k) d):
//   npx amdahl profile samples/js/sleep.ts:nap --inputs "Array.from({length: 8}, () => 100)"
//   npx amdahl profile samples/js/sleep.ts:napAsync --inputs "Array.from({length: 8}, () => 100)"
const cell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks its worker thread for ms milliseconds. */
export function nap(ms: number): number {
  Atomics.wait(cell, 0, 0, ms);
  return ms;
}

/** Waits ms milliseconds on a timer; the promise is awaited inside the task. */
export async function napAsync(ms: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ms;
}
