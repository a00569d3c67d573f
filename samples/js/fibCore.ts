// The recursive Fibonacci the fib sample imports: a local module, bundled with it by esbuild.
export function fibCore(n: number): number {
  return n < 2 ? n : fibCore(n - 1) + fibCore(n - 2);
}
