"""The workload of the article Amdahl starts from: the same element-wise math in pure Python and in NumPy.

Profile it:  npx amdahl profile samples/seed/complex_operation.py:complex_operation
        and  npx amdahl profile samples/seed/complex_operation.py:complex_operation_numpy --python /usr/bin/python3
The article's last examples, on Ray (installed in a virtual environment: python3 -m venv .venv && .venv/bin/pip
install ray): remote functions, then a pool of actors each built once:
             npx amdahl profile samples/seed/complex_operation.py:complex_operation --backends ray --python .venv/bin/python
        and  npx amdahl profile samples/seed/complex_operation.py:complex_operation --backends ray --ray-mode actors \
                 --python .venv/bin/python
The iteration count is scaled so that a serial pass over range(10) takes about one second on a 2-core machine.
"""
import math

iterations_count = 600_000


# amdahl: inputs=range(10)
def complex_operation(input_index):
    print("Complex operation. Input index: {:2d}".format(input_index))
    [math.exp(i) * math.sinh(i) for i in [1] * iterations_count]


# amdahl: inputs=range(10)
def complex_operation_numpy(input_index):
    # Imported here so the pure-Python function above still runs on an interpreter without NumPy.
    import numpy as np

    print("Complex operation (NumPy). Input index: {:2d}".format(input_index))
    data = np.ones(iterations_count)
    np.exp(data) * np.sinh(data)


if __name__ == "__main__":
    for i in range(10):
        complex_operation(i)
