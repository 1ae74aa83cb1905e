"""Iteration counts and weights of R plspm's stopping rule, recomputed on rows.

Written for csikit (not derived from plspm's code): it follows the procedure
of Sanchez (2013), *PLS Path Modeling with R*, ch. 4 and plspm's documented
`tol` argument: indicators standardized with population moments (divisor n),
unit starting weights scaled to a composite of population variance 1,
Lohmöller's simultaneous updates with the composites standardized and then
multiplied by sqrt((n-1)/n) (as plspm 0.5 does), Mode A w_j = (1/n) X_j' z_j,
Mode B w_j = (X_j'X_j)^-1 X_j' z_j, and the test  sum((|w_old| - |w_new|)^2) < tol  on the unnormalized
weights of two consecutive updates (the first update against the starting
weights); `changes` holds that sum after each update. With scaled=False (plspm's `scaled = FALSE`) the indicators are
only centred. It also records the one-update-late variant on normalized weights
that csikit used before (it differs on these models).

Run with numpy: python make.py > plspm_rule.json
"""
import csv
import json

import numpy as np

HERE = __file__.rsplit("/", 2)[0]


def load(name, na=None):
    rows = list(csv.reader(open(f"{HERE}/{name}")))
    head = rows[0]

    def val(x):
        try:
            v = float(x)
        except ValueError:
            return np.nan
        return np.nan if (na is not None and v == na) else v

    return head, np.array([[val(x) for x in r] for r in rows[1:]])


def fit(head, data, blocks, paths, modes, scheme, tol=1e-6, maxit=100, scaled=True):
    names = list(blocks)
    cols = [head.index(c) for b in names for c in blocks[b]]
    x = data[:, cols]
    x = x[~np.isnan(x).any(axis=1)]
    n = len(x)
    x = x - x.mean(0)
    sdv = np.sqrt((n - 1) / n)
    if scaled:
        xs = x / x.std(0, ddof=1)  # sample-standardized (csikit)
        x = xs / sdv  # population-standardized (plspm)
    else:
        xs = x  # centred only (plspm scaled = FALSE; csikit Scaling::Centered)
    k = len(names)
    pm = np.zeros((k, k))  # pm[to, from]
    for a, b in paths:
        pm[names.index(b), names.index(a)] = 1
    of = np.array([j for j, b in enumerate(names) for _ in blocks[b]])
    odm = np.zeros((len(cols), k))
    odm[np.arange(len(cols)), of] = 1
    w = odm / ((x @ odm).std(0, ddof=1) * sdv)

    def normalized(w):
        return (w / (xs @ w).std(0, ddof=1)).sum(1)

    seq_u, seq_n = [w.sum(1)], [normalized(w)]
    for _ in range(maxit):
        y = x @ w
        y = (y - y.mean(0)) / y.std(0, ddof=1) * sdv
        c = np.corrcoef(y.T)
        adj = pm + pm.T
        if scheme == "centroid":
            e = np.sign(c * adj)
        elif scheme == "factorial":
            e = c * adj
        else:
            e = np.zeros((k, k))
            for j in range(k):
                pr = np.where(pm[j] == 1)[0]
                if len(pr):
                    e[pr, j] = np.linalg.solve(c[np.ix_(pr, pr)], c[pr, j])
                su = np.where(pm[:, j] == 1)[0]
                e[su, j] = c[j, su]
        z = y @ e
        for j in range(k):
            m = of == j
            if modes[j] == "A":
                w[m, j] = z[:, j] @ x[:, m] / n
            else:
                w[m, j] = np.linalg.lstsq(x[:, m], z[:, j], rcond=None)[0]
        seq_u.append(w.sum(1).copy())
        seq_n.append(normalized(w))

    def d(a, b):
        return float(((abs(a) - abs(b)) ** 2).sum())

    new = next(t for t in range(1, maxit + 1) if d(seq_u[t - 1], seq_u[t]) < tol)
    late = next(t for t in range(2, maxit + 1) if d(seq_n[t - 2], seq_n[t - 1]) < tol)
    changes = [d(seq_u[t - 1], seq_u[t]) for t in range(1, new + 1)]
    return new, late, [abs(v) for v in seq_n[new]], changes


def syntax(blocks, paths, modes):
    lines = [
        f"{b} {'=~' if m == 'A' else '<~'} {' + '.join(ind)}"
        for (b, ind), m in zip(blocks.items(), modes)
    ]
    targets = {}
    for a, b in paths:
        targets.setdefault(b, []).append(a)
    lines += [f"{b} ~ {' + '.join(a)}" for b, a in targets.items()]
    return "\n".join(lines)


mobi_blocks = dict(
    IMAG=[f"IMAG{i}" for i in range(1, 6)],
    CUEX=["CUEX1", "CUEX2", "CUEX3"],
    PERQ=[f"PERQ{i}" for i in range(1, 8)],
    PERV=["PERV1", "PERV2"],
    CUSA=["CUSA1", "CUSA2", "CUSA3"],
    COMPL=["CUSCO"],
    CUSL=["CUSL1", "CUSL2", "CUSL3"],
)
mobi_paths = [
    ("IMAG", "CUEX"), ("IMAG", "CUSA"), ("IMAG", "CUSL"), ("CUEX", "PERQ"),
    ("CUEX", "PERV"), ("CUEX", "CUSA"), ("PERQ", "PERV"), ("PERQ", "CUSA"),
    ("PERV", "CUSA"), ("CUSA", "COMPL"), ("CUSA", "CUSL"), ("COMPL", "CUSL"),
]
corp_blocks = dict(
    QUAL=[f"qual_{i}" for i in range(1, 9)],
    PERF=[f"perf_{i}" for i in range(1, 6)],
    CSOR=[f"csor_{i}" for i in range(1, 6)],
    ATTR=["attr_1", "attr_2", "attr_3"],
    COMP=["comp_1", "comp_2", "comp_3"],
    LIKE=["like_1", "like_2", "like_3"],
    CUSA=["cusa"],
    CUSL=["cusl_1", "cusl_2", "cusl_3"],
)
corp_paths = [(a, b) for a in ["QUAL", "PERF", "CSOR", "ATTR"] for b in ["COMP", "LIKE"]] + [
    ("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL"),
]
cases = []
mobi = load("mobi.csv")
corp = load("corp_rep.csv", na=-99)
for data, file, blocks, paths, modes, scheme, scaled in [
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "AAAAAAA", "path", True),
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "BBBBBBB", "path", True),
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "BBBBBBB", "centroid", True),
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "BBBBBBB", "factorial", True),
    (corp, "corp_rep.csv", corp_blocks, corp_paths, "BBBBAAAA", "path", True),
    (corp, "corp_rep.csv", corp_blocks, corp_paths, "BBBBAAAA", "centroid", True),
    (corp, "corp_rep.csv", corp_blocks, corp_paths, "BBBBBBBB", "path", True),
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "AAAAAAA", "path", False),
    (mobi, "mobi.csv", mobi_blocks, mobi_paths, "BBBBBBB", "path", False),
    (corp, "corp_rep.csv", corp_blocks, corp_paths, "BBBBAAAA", "path", False),
]:
    new, late, w, changes = fit(*data, blocks, paths, modes, scheme, scaled=scaled)
    cases.append(dict(
        data=file, na=-99 if file == "corp_rep.csv" else None, scheme=scheme,
        scaling="standardized" if scaled else "centered",
        model=syntax(blocks, paths, modes), iterations=new,
        iterations_one_late=late, abs_weights=w, changes=changes,
    ))
print(json.dumps(dict(
    source="tests/data/plspm_rule/make.py (numpy), plspm's rule recomputed on rows",
    tol=1e-6, max_iter=100, cases=cases), indent=1))
