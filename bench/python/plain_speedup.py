"""An independent measurement of S(2) with nothing but perf_counter: a serial loop against Pool(2).map, interleaved.

usage: plain_speedup.py FILE FUNCTION N REPEATS  -> prints {"serial": [...], "pool2": [...]}
"""
import importlib.util
import json
import multiprocessing
import sys
import time


def main():
    path, name, n, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    spec = importlib.util.spec_from_file_location("bench_target", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_target"] = module
    spec.loader.exec_module(module)
    fn = getattr(module, name)
    inputs = list(range(n))
    serial, pool2 = [], []
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(fn, inputs)
        [fn(i) for i in inputs]
        for _ in range(repeats):
            start = time.perf_counter()
            [fn(i) for i in inputs]
            serial.append(time.perf_counter() - start)
            start = time.perf_counter()
            pool.map(fn, inputs)
            pool2.append(time.perf_counter() - start)
    print(json.dumps({"serial": serial, "pool2": pool2}))


if __name__ == "__main__":
    main()
