// Language-specific suggestion text for warnings whose cure depends on the runtime: batching tiny tasks,
// and avoiding copies of large arguments and results (structured clone in Node.js, pickle in Python).

/** Mean bytes per argument or result above which copying them is worth a warning of its own. */
export const LARGE_TRANSFER_BYTES = 1024 * 1024;

/** `implementation` is hello.implementation: "node" for the Node.js harness, else a Python implementation. */
export function isNode(implementation: string | null | undefined): boolean {
  return implementation === 'node';
}

/** How to send several inputs per task, for a suggested batch size. */
export function batchingAdvice(implementation: string | null | undefined, batch: number): string {
  return isNode(implementation)
    ? `piscina sends one message per task and has no chunksize: pass an array of about ${batch} inputs to each pool.run() and map over it inside the task`
    : `pass chunksize=${batch} to the pool's map`;
}

/** What to do when arguments or results are large, given the calibration's mean bytes. */
export function largeTransferAdvice(
  implementation: string | null | undefined,
  argumentBytes: number,
  resultBytes: number,
): string | null {
  const large = [
    argumentBytes >= LARGE_TRANSFER_BYTES ? `arguments of ${mib(argumentBytes)}` : null,
    resultBytes >= LARGE_TRANSFER_BYTES ? `results of ${mib(resultBytes)}` : null,
  ].filter((part): part is string => part !== null);
  if (large.length === 0) return null;
  const what = large.join(' and ');
  return isNode(implementation)
    ? `Each task copies ${what} by structured clone: put the data in ArrayBuffers or typed arrays and transfer them ` +
        `instead of copying (Piscina.move(buffer) for arguments and return values, or a transferList), or share one ` +
        `SharedArrayBuffer between the workers and send only offsets.`
    : `Each task pickles ${what}: pass a file path, multiprocessing.shared_memory or a NumPy memmap instead, or ` +
        `load the data once per worker in an initializer.`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB on average`;
}
