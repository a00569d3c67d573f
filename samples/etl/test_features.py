"""A test of window_features: recording it (`amdahl record ... -- python3 -m pytest samples/etl`) takes its inputs."""
import numpy as np

from features import Window, window_features


def test_peak_of_a_pure_tone():
    signal = np.sin(2 * np.pi * 50 * np.arange(100_000) / 100_000)
    features = window_features(signal, Window(start=0, length=100_000))
    assert features[1] == 50


def test_scale_multiplies_energy():
    signal = np.random.default_rng(1).normal(size=50_000)
    one = window_features(signal, Window(0, 50_000))
    two = window_features(signal, Window(0, 50_000, scale=2.0))
    assert np.isclose(two[0], 4 * one[0])
