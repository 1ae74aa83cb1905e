"""Reference numbers for tests/servqual.rs (sq.csv), plain arithmetic, no numpy.

Run: python3 tests/data/sq_reference.py
SERVPERF = mean over respondents of the mean of the five dimension means;
item variant = mean over respondents of the mean of the 22 items;
alpha = k/(k-1) * (1 - sum of item variances / variance of the item sum).
"""
import csv
import os

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, "sq.csv"))))
n = len(rows)
dims = {
    "tangibles": range(1, 5),
    "reliability": range(5, 10),
    "responsiveness": range(10, 14),
    "assurance": range(14, 18),
    "empathy": range(18, 23),
}


def col(i):
    return [float(r["a%02d" % i]) for r in rows]


def var(x):
    m = sum(x) / len(x)
    return sum((v - m) ** 2 for v in x) / (len(x) - 1)


sp = [sum(sum(float(r["a%02d" % i]) for i in its) / len(its) for its in dims.values()) / 5 for r in rows]
spi = [sum(float(r["a%02d" % i]) for i in range(1, 23)) / 22 for r in rows]
print("n", n)
print("servperf %.12f" % (sum(sp) / n))
print("servperf_items %.12f" % (sum(spi) / n))
for name, its in dims.items():
    cols = [col(i) for i in its]
    k = len(cols)
    mean = sum(sum(c[j] for c in cols) / k for j in range(n)) / n
    total = [sum(c[j] for c in cols) for j in range(n)]
    alpha = k / (k - 1) * (1 - sum(var(c) for c in cols) / var(total))
    print(name, "mean %.12f alpha %.12f" % (mean, alpha))
