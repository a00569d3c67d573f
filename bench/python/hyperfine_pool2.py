"""For the hyperfine comparison: one whole program that runs a target function over range(10) on Pool(2)."""
import importlib.util
import multiprocessing
import sys

if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("bench_target", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_target"] = module
    spec.loader.exec_module(module)
    fn = getattr(module, sys.argv[2])
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(fn, range(10))
