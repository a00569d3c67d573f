// The layout of the timing buffer a piscina pool shares with its workers (apart from worker.ts, so the harness
// imports these numbers without loading the worker's module).
//
// A finished task writes [thread id, W3, W4, CPU seconds or NaN] into its input's slots and answers with the
// bare value: the message back is then what the user's own pool would send, which the dispatch benchmark
// against bare piscina measures. Thread ids of workers start at 1, so the first slot also tells the answer's
// kind: 0 (never written) for a control answer, RAISED for a task that threw.
export const TIMING_SLOTS = 4;
export const RAISED = -1;
