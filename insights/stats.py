"""Small statistics for the splits: Wilson score intervals for rates and a normal interval for
means, both at 95 %."""

import math

Z95 = 1.959963984540054


def wilson(successes, n, z=Z95):
    """(low, high) of the Wilson score interval for `successes` out of `n`; None when n is 0."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(total, total_squares, n, z=Z95):
    """(mean, low, high) of a mean from its sum, sum of squares and count (the sample variance,
    normal approximation); None when n < 2."""
    if n < 2:
        return None
    mean = total / n
    variance = max((total_squares - n * mean * mean) / (n - 1), 0.0)
    half = z * math.sqrt(variance / n)
    return mean, mean - half, mean + half
