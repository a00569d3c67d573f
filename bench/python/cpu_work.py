"""CPU-bound tasks of fixed work for the time-to-answer bench: ten inputs make a serial pass of about 0.1 s,
1 s or 5 s on the 2-core development machine (a pure-Python loop, about 80 ns an iteration there)."""


def _work(iterations):
    x = 0
    for i in range(iterations):
        x += i * i % 7
    return x


def work_10ms(i):
    return _work(125_000)


def work_100ms(i):
    return _work(1_250_000)


def work_500ms(i):
    return _work(6_250_000)
