// The profiled target of the piscina benchmark: a tiny task for dispatch cost, and spin for S(2): a CPU-bound
// loop whose machine code comes out the same in every V8 isolate (a recursive fib does not: its speed varied
// by up to 47% from one worker thread to the next, which would swamp the comparison).
function tiny(n) {
  return n + 1;
}

/** millions iterations of a linear congruential generator. */
function spin(millions) {
  let x = 7;
  let acc = 0;
  for (let i = 0; i < millions * 1_000_000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    acc += (x >>> 16) & 1023;
  }
  return acc;
}

module.exports = { tiny, spin };
