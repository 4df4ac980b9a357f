#!/usr/bin/env python3
"""The reference for `canvass outcomes --model`: statsmodels Logit on the same responses, read
from a CSV (stage,repeat,vulnerable,channel,satisfied; one row per response in the measure's base),
with the same design (stage against none, channel against phone-101). Prints the odds ratios.

Usage: outcomes_statsmodels.py ROWS.csv
"""
import sys

import numpy as np
import statsmodels.api as sm

STAGES = ["none", "warning-1", "warning-2", "warning-3-home-visit", "cpw", "cpn", "cbo", "injunction", "closure", "eviction"]
CHANNELS = ["phone-999", "phone-101", "online", "in-person", "partner", "other"]


def main():
    data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.int64)
    stage, repeat, vulnerable, channel, y = data.T
    columns = [np.ones(len(y))]
    names = ["intercept"]
    for code in range(1, len(STAGES)):
        columns.append((stage == code).astype(float))
        names.append("stage: " + STAGES[code])
    columns += [repeat.astype(float), vulnerable.astype(float)]
    names += ["repeat victim", "vulnerable victim"]
    for code, name in enumerate(CHANNELS):
        if name != "phone-101":
            columns.append((channel == code).astype(float))
            names.append("channel: " + name)
    fit = sm.Logit(y.astype(float), np.column_stack(columns)).fit(disp=0)
    for name, beta, (lower, upper) in zip(names[1:], fit.params[1:], np.exp(fit.conf_int()[1:])):
        print(f"{name:28s} {np.exp(beta):.3f}  {lower:.3f}-{upper:.3f}")


if __name__ == "__main__":
    main()
