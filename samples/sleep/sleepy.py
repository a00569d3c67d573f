"""Sleep-based tasks whose speedups are known exactly on any machine (docs/method.md section 5).

n tasks of d seconds on k workers take ceil(n / k) * d, so S(k) = n / ceil(n / k):
with the default inputs range(10), S(1) = 1, S(2) = 5, S(3) = 10/4, S(4) = 10/3, S(5) = 5.

    npx amdahl profile samples/sleep/sleepy.py:nap --workers 1,2,3,4,5 --backends thread,process
"""
import time

NAP_SECONDS = 0.05


# amdahl: inputs=range(10)
def nap(input_index):
    time.sleep(NAP_SECONDS)
    return input_index


# amdahl: inputs=[0.01 * (i % 5 + 1) for i in range(20)]
def uneven_nap(seconds):
    """Tasks of 10 to 50 ms: the tail of the pass shows load imbalance."""
    time.sleep(seconds)
    return seconds
