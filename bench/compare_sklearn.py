#!/usr/bin/python3
"""The scikit-learn / SciPy side of bench/compare-sklearn.sh.

Reads the .npy files that CompareMain (the Glassbox side) wrote, runs scikit-learn or SciPy on the
same arrays, computes every objective here, the same way for both sides, and writes a JSON summary
per part. `ratios DIR` prints the final line.

The LASSO objective, for rows x of X [n, d], codes a of A [n, K], dictionary D [K, d]:

    F(A) = (1/n) sum_i ( 1/2 ||x_i - a_i D||^2 + lambda ||a_i||_1 )       (float64)

scikit-learn's SparseCoder(transform_algorithm='lasso_cd', transform_alpha=lambda) calls
Lasso(alpha=lambda / d) on each row, and Lasso minimises 1/(2 d) ||x - a D||^2 + (lambda / d) ||a||_1
(its n_samples is the d rows of D^T), which is F / d per row: the same minimiser, so transform_alpha
equals Glassbox's lambda. MiniBatchDictionaryLearning(alpha=lambda) minimises the same F over D.
"""
import glob
import json
import os
import sys
import time

import numpy as np


def objective(X, A, D, lam):
    X = X.astype(np.float64)
    A = A.astype(np.float64)
    R = X - A @ D.astype(np.float64)
    return float(np.mean(0.5 * np.sum(R * R, axis=1) + lam * np.sum(np.abs(A), axis=1)))


def reference_codes(X, D, lam, max_iter=3000):
    """Batched FISTA in float64 with gradient restart, run to a tight tolerance: the common
    encoder used to score every dictionary (Beck and Teboulle 2009; O'Donoghue and Candes 2015)."""
    X = X.astype(np.float64)
    D = D.astype(np.float64)
    G = D @ D.T
    L = float(np.linalg.eigvalsh(G)[-1])
    C = X @ D.T
    A = np.zeros_like(C)
    Y = A.copy()
    t = np.ones((X.shape[0], 1))
    th = lam / L
    for it in range(max_iter):
        V = Y - (Y @ G - C) / L
        An = np.sign(V) * np.maximum(np.abs(V) - th, 0.0)
        step = An - A
        restart = np.sum((Y - An) * step, axis=1, keepdims=True) > 0
        tn = (1 + np.sqrt(1 + 4 * t * t)) / 2
        beta = np.where(restart, 0.0, (t - 1) / tn)
        t = np.where(restart, 1.0, tn)
        Y = An + beta * step
        A = An
        if it % 25 == 24 and np.max(np.linalg.norm(step, axis=1) / np.maximum(np.linalg.norm(A, axis=1), 1e-12)) < 1e-7:
            break
    return A


def timed_median(fn, least=3, most=21, seconds=2.0):
    """The median time of at least `least` calls of fn, more while they have taken under `seconds` in
    all, at most `most`: the rule of the Java side's Timer (bench/src/main/java/org/glassbox/bench/common/Timer.java).
    Returns (median, the times, the last call's result)."""
    times = []
    while len(times) < least or (len(times) < most and sum(times) < seconds):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), times, result


def lasso(d, lam, jobs):
    from sklearn.decomposition import SparseCoder
    X = np.load(os.path.join(d, "X.npy"))
    D = np.load(os.path.join(d, "D.npy"))
    n = X.shape[0]
    coder = SparseCoder(dictionary=D, transform_algorithm="lasso_cd", transform_alpha=lam, n_jobs=jobs)
    coder.transform(X[:50])  # warm-up: imports, joblib workers
    t_sk, times, A_sk = timed_median(lambda: coder.transform(X))
    f_sk = objective(X, A_sk, D, lam)
    print(f"lasso: n={n} d={X.shape[1]} K={D.shape[0]} lambda={lam}")
    from threadpoolctl import threadpool_info
    blas = ", ".join(f"{i['internal_api']} {i.get('version')} kernel {i.get('architecture')}" for i in threadpool_info())
    print(f"  NumPy's BLAS: {blas}")
    print(f"  sklearn lasso_cd (n_jobs={jobs}): {t_sk:.3f} s (median of {len(times)}: {', '.join(f'{t:.3f}' for t in times)}), {n / t_sk:.1f} rows/s, objective {f_sk:.6f}, "
          f"mean non-zeros {np.mean(np.sum(A_sk != 0, axis=1)):.1f}")
    gb = []
    with open(os.path.join(d, "gb_lasso.tsv")) as f:
        next(f)
        for line in f:
            solver, tol, sec, runs, rows, flops, gfl, iters = line.split("\t")
            A = np.load(os.path.join(d, f"codes_gb_{solver}_{tol}.npy"))
            fo = objective(X, A, D, lam)
            gap = (fo - f_sk) / abs(f_sk)
            gb.append(dict(solver=solver, tol=float(tol), seconds=float(sec), runs=int(runs), flops=int(flops), gflops=float(gfl),
                           iterations=int(iters), objective=fo, gap=gap, nnz=float(np.mean(np.sum(A != 0, axis=1)))))
            print(f"  glassbox {solver} tol={float(tol):g}: {float(sec):.4f} s (median of {runs}), {n / float(sec):.1f} rows/s, "
                  f"{float(gfl):.2f} GFLOP/s, objective {fo:.6f} (gap to sklearn {gap:+.2e}), "
                  f"max iterations/passes {int(iters)}, mean non-zeros {gb[-1]['nnz']:.1f}")
    gemm = {}
    with open(os.path.join(d, "gemm.tsv")) as f:
        next(f)
        for line in f:
            shape, before, after = line.strip().split("\t")
            gemm[shape] = (float(before), float(after))
            print(f"  ND4J float32 gemm {shape}: {float(before):.1f} GFLOP/s before, {float(after):.1f} after")
    ok = [r for r in gb if r["gap"] <= 1e-3]
    best = min(ok, key=lambda r: r["seconds"]) if ok else None
    K = D.shape[0]
    # each solver against the product shape its matrix-product time goes to: FISTA's [n, K] x [K, K],
    # coordinate descent's correlations [n, d] x [d, K]
    dim = X.shape[1]
    shape = f"[1024,{K}]x[{K},{K}]" if best and best["solver"] == "fista" else f"[1024,{dim}]x[{dim},{K}]"
    anchor = np.mean(gemm[shape])
    out = dict(t_sklearn=t_sk, sklearn_runs=times, f_sklearn=f_sk, glassbox=gb, gemm=gemm, anchor_gflops=anchor, anchor_shape=shape)
    if best:
        out.update(ratio=t_sk / best["seconds"], chosen=best, gemm_fraction=best["gflops"] / anchor)
        print(f"  equal objective: glassbox {best['solver']} tol={best['tol']:g} (gap {best['gap']:+.2e}) is "
              f"{out['ratio']:.1f}x sklearn's throughput; {best['gflops']:.1f} GFLOP/s = "
              f"{100 * out['gemm_fraction']:.0f}% of the gemm rate {anchor:.1f} of {shape}")
    else:
        print("  no Glassbox tolerance reached sklearn's objective within 1e-3")
    json.dump(out, open(os.path.join(d, "lasso.json"), "w"), indent=1)


def dictlearn(d, lam, atoms, epochs, jobs):
    from sklearn.decomposition import MiniBatchDictionaryLearning
    Xt = np.load(os.path.join(d, "Xtrain.npy"))
    Xe = np.load(os.path.join(d, "Xeval.npy"))
    mb = MiniBatchDictionaryLearning(n_components=atoms, alpha=lam, batch_size=256, max_iter=epochs,
                                     fit_algorithm="cd", transform_algorithm="lasso_cd", transform_alpha=lam,
                                     n_jobs=jobs, random_state=0)
    # untimed warm-up fit (imports, worker processes), matching the Java side's JIT warm-up fit
    MiniBatchDictionaryLearning(n_components=atoms, alpha=lam, batch_size=256, max_iter=1, fit_algorithm="cd",
                                n_jobs=jobs, random_state=1).fit(Xt)
    times = []
    for _ in range(3):  # the median of 3 timed fits (same seed, same result), as the Java side
        t0 = time.perf_counter()
        mb.fit(Xt)
        times.append(time.perf_counter() - t0)
    t_sk = sorted(times)[1]
    D_sk = mb.components_
    f_sk = objective(Xe, reference_codes(Xe, D_sk, lam), D_sk, lam)
    print(f"dictionary learning: {Xt.shape[0]} training rows, d={Xt.shape[1]}, K={atoms}, lambda={lam}; "
          f"objective on {Xe.shape[0]} held-out rows, codes by one reference FISTA for every dictionary")
    print(f"  sklearn MiniBatchDictionaryLearning (cd, batch 256, max_iter={epochs}, n_jobs={jobs}, "
          f"{mb.n_steps_} steps): {t_sk:.2f} s (median of {', '.join(f'{t:.2f}' for t in times)}), objective {f_sk:.6f}")
    rows = []
    with open(os.path.join(d, "gb_dictlearn.tsv")) as f:
        next(f)
        for line in f:
            e, sec, fit_sec = line.strip().split("\t")
            D = np.load(os.path.join(d, f"D_gb_{e}.npy"))
            fo = objective(Xe, reference_codes(Xe, D, lam), D, lam)
            rows.append(dict(epochs=e, seconds=float(sec), fit_seconds=float(fit_sec), objective=fo))
            print(f"  glassbox {e} epoch(s): learning {float(sec):.2f} s (layer fit with its usage pass "
                  f"{float(fit_sec):.2f} s), objective {fo:.6f} (relative to sklearn {(fo - f_sk) / abs(f_sk):+.2e})")
    reached = [r for r in rows if r["objective"] <= f_sk * (1 + 1e-3)]
    out = dict(t_sklearn=t_sk, f_sklearn=f_sk, glassbox=rows)
    if reached:
        r = min(reached, key=lambda r: r["seconds"])
        whole = min(reached, key=lambda r: r["fit_seconds"])
        out.update(ratio=t_sk / r["seconds"], reached=r, ratio_with_usage=t_sk / whole["fit_seconds"])
        print(f"  glassbox reaches sklearn's final objective after {r['epochs']} epoch(s) of learning in "
              f"{r['seconds']:.2f} s: sklearn takes {out['ratio']:.1f}x as long (with the layer's usage pass: "
              f"{whole['fit_seconds']:.2f} s after {whole['epochs']} epoch(s), {out['ratio_with_usage']:.1f}x)")
    else:
        print("  glassbox did not reach sklearn's final objective in the epochs tried")
    json.dump(out, open(os.path.join(d, "dictlearn.json"), "w"), indent=1)


def eigen(d):
    """SciPy's generalised eigh on the manifold layer's S and V (written by CompareMain eigen), all
    pairs and the smallest ones for each count Glassbox timed (subset_by_index, LAPACK dsygvx,
    median of 3), beside the times Glassbox wrote; checks that Glassbox's eigenpairs are SciPy's."""
    import scipy.linalg
    S = np.load(os.path.join(d, "S.npy"))
    V = np.load(os.path.join(d, "V.npy"))
    n = S.shape[0]
    gb = {}
    for line in open(os.path.join(d, "gb_eigen.tsv")).read().splitlines()[1:]:
        atoms, active, count, solver, seconds = line.split("\t")
        gb[(solver, int(count))] = float(seconds)
    t0 = time.perf_counter()
    mu = scipy.linalg.eigh(S, V, eigvals_only=True)
    t_all = time.perf_counter() - t0
    out = dict(atoms=int(atoms), active=n, scipy_all=t_all, glassbox_all=gb[("dense_all", n)],
               eigenvalue_error_all=float(np.max(np.abs(np.load(os.path.join(d, "mu_gb.npy")) - mu)) / np.max(np.abs(mu))))
    print(f"eigen-solve, K = {atoms} atoms, {n} used (the manifold layer's problem): all pairs: "
          f"Glassbox dsygvd {out['glassbox_all']:.2f} s, scipy.linalg.eigh {t_all:.2f} s; "
          f"eigenvalues agree to {out['eigenvalue_error_all']:.1e}")
    for keep in sorted(count for solver, count in gb if solver == "lanczos"):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            mu_s, P_s = scipy.linalg.eigh(S, V, subset_by_index=[0, keep - 1])
            times.append(time.perf_counter() - t0)
        t_sub = float(np.median(times))
        mu_gb = np.load(os.path.join(d, f"mu_gb_{keep}.npy"))
        P_gb = np.load(os.path.join(d, f"P_gb_{keep}.npy"))
        val_err = float(np.max(np.abs(mu_gb - mu_s)) / np.max(np.abs(mu_s)))
        resid = float(np.max(np.linalg.norm(S @ P_gb - (V @ P_gb) * mu_gb, axis=0)) / np.linalg.norm(S))
        orth = float(np.max(np.abs(P_gb.T @ V @ P_gb - np.eye(keep))))
        # the eigenvalues are distinct, so each Glassbox vector is SciPy's up to sign
        same = float(np.min(np.abs(np.sum(P_gb * (V @ P_s), axis=0))))
        gap = float(np.min(np.diff(mu[:keep + 1])) / mu[keep])
        lan, dense = gb[("lanczos", keep)], gb[("dense_smallest", keep)]
        print(f"  {keep} smallest: Glassbox (the layer's shift-invert Lanczos) {lan:.2f} s, Glassbox dense dpotrf/dsygst/dsyevr "
              f"{dense:.2f} s, scipy.linalg.eigh(subset_by_index) {t_sub:.2f} s (median of {', '.join(f'{t:.2f}' for t in times)}): "
              f"SciPy takes {t_sub / lan:.2f}x as long")
        print(f"    agreement: max relative eigenvalue difference {val_err:.1e}; max ||S p - mu V p|| / ||S|| = {resid:.1e}; "
              f"max |P^T V P - I| = {orth:.1e}; min |p_glassbox^T V p_scipy| = {same:.15f} (smallest relative gap {gap:.1e})")
        out[f"smallest_{keep}"] = dict(glassbox=lan, glassbox_dense=dense, scipy=t_sub, scipy_runs=times, ratio=t_sub / lan,
                                       eigenvalue_error=val_err, residual=resid, orthonormality=orth, min_abs_cosine=same)
    json.dump(out, open(os.path.join(d, "eigen.json"), "w"), indent=1)


def ratios(d):
    def load(name):
        p = os.path.join(d, name)
        return json.load(open(p)) if os.path.exists(p) else {}
    la = load("lasso/lasso.json")
    dl = load("dictlearn/dictlearn.json")
    fmt = lambda v: "nan" if v is None else f"{v:.3f}"
    print(f"ratios: lasso_cd={fmt(la.get('ratio'))} dict_learning={fmt(dl.get('ratio'))} "
          f"gemm_fraction={fmt(la.get('gemm_fraction'))}")


if __name__ == "__main__":
    cmd, d = sys.argv[1], sys.argv[2]
    jobs = os.cpu_count()
    if cmd == "lasso":
        lasso(d, float(sys.argv[3]), jobs)
    elif cmd == "dictlearn":
        dictlearn(d, float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), jobs)
    elif cmd == "eigen":
        eigen(d)
    elif cmd == "ratios":
        ratios(d)
    else:
        sys.exit("unknown command " + cmd)
