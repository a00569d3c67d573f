"""Features of sensor windows: a function that takes real data (a NumPy array and a dataclass), not range(10).

Record its inputs from the program that uses it, then profile over them:

    npx amdahl record samples/etl/features.py:window_features -- /usr/bin/python3 samples/etl/main.py
    npx amdahl profile samples/etl/features.py:window_features --inputs @recorded
"""
from dataclasses import dataclass

import numpy as np


@dataclass
class Window:
    """Where to look in a signal, and how to weigh it."""

    start: int
    length: int
    scale: float = 1.0


def window_features(signal: np.ndarray, window: Window, *, smooth: int = 64) -> np.ndarray:
    """Smoothed energy, spectral peak and band powers of one window of a signal."""
    part = signal[window.start : window.start + window.length] * window.scale
    kernel = np.hanning(smooth)
    kernel /= kernel.sum()
    smoothed = np.convolve(part, kernel, mode="same")
    spectrum = np.abs(np.fft.rfft(part)) ** 2
    bands = np.array_split(spectrum, 8)
    peak = float(np.argmax(spectrum[1:]) + 1)
    energy = float(np.sum(smoothed**2))
    return np.array([energy, peak] + [float(band.sum()) for band in bands])
