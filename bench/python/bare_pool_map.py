"""The baseline for the instrumentation-cost benchmark: a bare Pool.map of the same tasks, timed with perf_counter.

usage: bare_pool_map.py FILE FUNCTION N WORKERS REPEATS  -> prints one JSON list of pass seconds
"""
import importlib.util
import json
import multiprocessing
import sys
import time


def main():
    path, name, n, workers, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    spec = importlib.util.spec_from_file_location("bench_target", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_target"] = module
    spec.loader.exec_module(module)
    fn = getattr(module, name)
    inputs = list(range(n))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(fn, inputs)  # warm-up, as the profiler does
        samples = []
        for _ in range(repeats):
            start = time.perf_counter()
            pool.map(fn, inputs)
            samples.append(time.perf_counter() - start)
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
