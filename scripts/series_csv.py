"""Dates and CSV writing shared by the series generators (generate-series.py, generate-daily-series.py)."""
import os

import numpy as np


def months(n, start=(2000, 1)):
    """n month starts from `start` (year, month), as YYYY-MM-01."""
    y, m = start
    for _ in range(n):
        yield f"{y:04d}-{m:02d}-01"
        m += 1
        if m > 12:
            y, m = y + 1, 1


def business_days(n, first):
    """n weekdays from `first` (YYYY-MM-DD) on."""
    d, k = np.datetime64(first), 0
    while k < n:
        if np.is_busday(d):
            yield str(d)
            k += 1
        d += 1


def write(folder, name, dates, values):
    """folder/name.csv with a date,value header, values to six decimals."""
    with open(os.path.join(folder, name + ".csv"), "w") as f:
        f.write("date,value\n")
        for d, v in zip(dates, values):
            f.write(f"{d},{v:.6f}\n")
