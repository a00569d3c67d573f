// The bare piscina baseline's worker: the same tiny task and the same fib as the harness benchmark, no Amdahl.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}
module.exports = ({ op, n }) => (op === 'fib' ? fib(n) : n + 1);
