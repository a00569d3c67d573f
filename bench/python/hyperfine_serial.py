"""For the hyperfine comparison: one whole program that runs a target function over range(10) serially."""
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("bench_target", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
fn = getattr(module, sys.argv[2])
for i in range(10):
    fn(i)
