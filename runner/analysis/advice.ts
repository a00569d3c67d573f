// Language-specific suggestion text for warnings whose cure depends on the runtime: batching tiny tasks,
// and avoiding copies of large arguments and results (structured clone in Node.js, pickle in Python).

/** Mean bytes per argument or result from which copying them is worth a warning of its own. */
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

/** What to do about arguments or results too large to copy for every task. */
export function largeTransferAdvice(implementation: string | null | undefined): string {
  return isNode(implementation)
    ? 'Put the data in ArrayBuffers or typed arrays and transfer them instead of cloning them: return ' +
        'Piscina.move(buffer) from the task and pass Piscina.move(buffer) (or a transferList) to pool.run(), or share ' +
        'one SharedArrayBuffer between the workers and send only offsets.'
    : 'Pickling them is the cost: pass a file path, multiprocessing.shared_memory or a NumPy memmap instead, or ' +
        'load the data once per worker in an initializer.';
}
