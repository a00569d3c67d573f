// The profiled target of the piscina benchmark: a tiny task for dispatch cost and fib for S(2).
export function tiny(n) {
  return n + 1;
}

export function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
