"""The program that uses window_features: reads (here: makes) a few sensor signals and extracts their features."""
import sys

import numpy as np

from features import Window, window_features


def batches(seed: int = 7, signals: int = 4, windows: int = 6):
    """The calls the program makes: (signal, window, smooth), the same for the same seed."""
    rng = np.random.default_rng(seed)
    for s in range(signals):
        signal = np.sin(np.linspace(0, 200 * (s + 1), 120_000)) + rng.normal(0, 0.5, 120_000)
        for w in range(windows):
            yield signal, Window(start=w * 16_000, length=40_000, scale=1.0 + w / 10), 128 * (1 + w % 3)


def main() -> None:
    table = [window_features(signal, window, smooth=smooth) for signal, window, smooth in batches()]
    print("%d windows, mean energy %.1f" % (len(table), float(np.mean([row[0] for row in table]))))


if __name__ == "__main__":
    sys.exit(main())
