"""Independent numpy / scikit-learn reference of the one-layer sparse manifold transform (SMT)
classifier of issue 23, on the embedded MNIST split (8,000 training / 2,000 test digits, seed
20261128, made by smt_mnist.load). It tells the Java implementation what accuracy each part of the
recipe should give; it is never a runtime dependency.

Recipe (one layer):
  * 6x6 patches at stride 1 of the 28x28 digits (23x23 positions), pixels in [0, 1], each patch's own
    mean removed. A patch with norm(patch - mean) < 0.1 is empty: zero code, left out of the
    embedding's statistics.
  * ZCA whitening with eps = 0.1 x the largest eigenvalue of the patch covariance (from 100,000
    sampled training patches), then each whitened patch L2-normalised.
  * 4,096 atoms picked greedily from randomly ordered non-empty training patches (whitened,
    normalised): a patch becomes a new atom when its cosine with every atom so far is <= 0.7.
  * Codes: '1sparse' (the atom of largest cosine) or 'thr' (every atom with cosine >= 0.7); values
    'bin' (1) or 'cos' (the cosine).
  * Embedding: V = E[a a^T] over non-empty positions plus a ridge 1e-3 trace(V) / K;
    S = E[c c^T], c = a_i - mean of the codes of the valid (non-empty, in-grid) neighbours of i in a
    5x5 window (i excluded), over non-empty positions with at least one valid neighbour;
    S p = mu V p for the 33 smallest mu, the first (trivial) dropped, 32 kept; beta = P a per
    position, L2-normalised (zero stays zero). Statistics from a sample of training images.
    Atoms never active in the sample each give a spurious mu = 0 (zero row of S, ridge-only V),
    which pushes the useful eigenvectors out of the 32 kept; by default (--used-only 1) the problem
    is solved over the used atoms only and unused atoms embed to zero (--used-only 0: literal).
  * 4x4 average pooling at stride 2 over the 23x23 grid (10x10 windows), each pooled vector
    L2-normalised (3,200 features; without the embedding 409,600 sparse features).
  * Readout: LogisticRegression (multinomial, lbfgs, C = 10) on the 8,000, accuracy on the 2,000.

The whitening, atoms and codes of all digits are computed once and cached in --cache; each
variant then reuses them. Variants are named CODE-VALUE-STATS, e.g. thr-bin-2000 (embedding with
statistics from 2,000 sampled training images), thr-cos-8000, 1sparse-bin-none (pooled codes
without the embedding).

Run (Debian's /usr/bin/python3 with numpy, scipy and python3-sklearn; under 3 GB of memory; on 2
shared cores the front end takes about 2 minutes once, an embedded variant 0.5-2 minutes, a
variant without the embedding 2-5 minutes):
  cd bench/prototype && nice -n 15 /usr/bin/python3 smt_reference.py \
      --variants 1sparse-bin-2000,1sparse-cos-2000,thr-bin-2000,thr-cos-2000,thr-bin-8000,thr-bin-none
Prints the front end's counts (candidates for the atoms, empty fraction, mean active atoms) and
one JSON line per variant (accuracy, times, eigenvalues).
"""
import argparse, os, sys, time, json
import numpy as np
import scipy.linalg, scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from smt_mnist import load  # the project's 8,000 / 2,000 split of the embedded digits

P_SIDE, IMG = 6, 28
G = IMG - P_SIDE + 1  # 23 positions per side
NPOS = G * G
POOL_W, POOL_S = 4, 2  # 4x4 average pooling at stride 2


def log(*a):
    print(f'[{time.strftime("%H:%M:%S")}]', *a, flush=True)


def raw_patches(x):
    """Mean-removed 6x6 patches of images x [n, 28, 28] -> [n * 529, 36] float32 (image-major)."""
    w = np.lib.stride_tricks.sliding_window_view(x, (P_SIDE, P_SIDE), axis=(1, 2))
    r = w.reshape(len(x) * NPOS, P_SIDE * P_SIDE).astype(np.float32)
    return r - r.mean(1, keepdims=True)


def patches_at(x, flat):
    """Mean-removed patches at flat indices image * 529 + y * 23 + x."""
    img, pos = np.divmod(flat, NPOS)
    py, px = np.divmod(pos, G)
    d = np.arange(P_SIDE)
    r = x[img[:, None, None], (py[:, None] + d)[:, :, None], (px[:, None] + d)[:, None, :]]
    r = r.reshape(len(flat), -1).astype(np.float32)
    return r - r.mean(1, keepdims=True)


def whiten_normalise(r, W, empty_norm):
    """Whitened, L2-normalised patches; empty ones (raw norm < empty_norm) are zero. Returns (xw, empty)."""
    empty = np.linalg.norm(r, axis=1) < empty_norm
    xw = r @ W
    n = np.linalg.norm(xw, axis=1, keepdims=True)
    xw /= np.maximum(n, 1e-12)
    xw[empty] = 0
    return xw, empty


def greedy_atoms(xtr, W, a, rng):
    """Atoms from randomly ordered non-empty training patches: keep one when its cosine with every
    atom so far is <= a.cos. Returns (D [K, 36], candidates examined)."""
    K = a.atoms
    D = np.zeros((K, P_SIDE * P_SIDE), np.float32)
    k, seen = 0, 0
    order = rng.permutation(len(xtr) * NPOS)
    B = 4096
    for s in range(0, len(order), B):
        xw, empty = whiten_normalise(patches_at(xtr, order[s:s + B]), W, a.empty)
        xw = xw[~empty]
        keep = (xw @ D[:k].T).max(1) <= a.cos if k else np.ones(len(xw), bool)
        cand = np.flatnonzero(keep)
        gram = xw[cand] @ xw[cand].T
        acc = []
        for j in range(len(cand)):
            if not acc or gram[j, acc].max() <= a.cos:
                acc.append(j)
                if k + len(acc) == K:
                    break
        D[k:k + len(acc)] = xw[cand[acc]]
        k += len(acc)
        if k == K:
            return D, seen + cand[acc[-1]] + 1
        seen += len(xw)
    raise RuntimeError(f'only {k} atoms from {seen} candidates')


def encode(x, W, D, a, bs=250):
    """For images x: empty mask [N], best atom [N] (-1 when empty), its cosine [N], and the CSR of all
    cosines >= a.cos [N, K] (values = cosine)."""
    empties, best, bestv, mats = [], [], [], []
    for s in range(0, len(x), bs):
        xw, empty = whiten_normalise(raw_patches(x[s:s + bs]), W, a.empty)
        z = xw @ D.T
        b = z.argmax(1).astype(np.int32)
        bv = z[np.arange(len(z)), b]
        b[empty] = -1
        bv[empty] = 0
        r, c = np.nonzero(z >= a.cos)
        mats.append(sp.csr_matrix((z[r, c], (r, c)), shape=z.shape, dtype=np.float32))
        empties.append(empty), best.append(b), bestv.append(bv)
    return np.concatenate(empties), np.concatenate(best), np.concatenate(bestv), sp.vstack(mats, format='csr')


def front_end(a):
    """Whitening, atoms and codes of all digits (cached)."""
    key = os.path.join(a.cache, f'front-a{a.atoms}-c{a.cos}-e{a.eps}-m{a.empty}-n{a.covsample}-s{a.seed}.npz')
    xtr, ytr, xte, yte = load('mnist', 20261128)
    if os.path.exists(key):
        z = np.load(key)
        info = json.loads(str(z['info']))
        out = {'ytr': ytr, 'yte': yte, 'info': info}
        for part in ('tr', 'te'):
            out['empty' + part], out['best' + part], out['bestv' + part] = z['empty' + part], z['best' + part], z['bestv' + part]
            out['thr' + part] = sp.csr_matrix((z['data' + part], z['indices' + part], z['indptr' + part]),
                                              shape=(len(z['empty' + part]), a.atoms))
        log('front end from cache', key, info)
        return out
    rng = np.random.default_rng(a.seed)
    info = {}
    t = time.time()
    flat = rng.choice(len(xtr) * NPOS, a.covsample, replace=False)
    C = np.cov(patches_at(xtr, flat).T.astype(np.float64))
    lam, U = np.linalg.eigh(C)
    W = ((U / np.sqrt(lam + a.eps * lam.max())) @ U.T).astype(np.float32)
    info['t_whiten'] = round(time.time() - t, 1)
    t = time.time()
    D, seen = greedy_atoms(xtr, W, a, rng)
    info['t_atoms'] = round(time.time() - t, 1)
    info['candidates'] = int(seen)
    log('atoms', a.atoms, 'from', seen, 'candidates', f'{info["t_atoms"]}s')
    t = time.time()
    out = {'ytr': ytr, 'yte': yte, 'info': info}
    for part, x in (('tr', xtr), ('te', xte)):
        out['empty' + part], out['best' + part], out['bestv' + part], out['thr' + part] = encode(x, W, D, a)
    info['t_codes'] = round(time.time() - t, 1)
    e = out['emptytr']
    info['empty_frac_train'] = round(float(e.mean()), 4)
    info['empty_frac_test'] = round(float(out['emptyte'].mean()), 4)
    nnz = np.diff(out['thrtr'].indptr)[~e]
    info['thr_mean_active'] = round(float(nnz.mean()), 3)
    info['thr_zero_frac_nonempty'] = round(float((nnz == 0).mean()), 4)
    info['best_cos_mean_nonempty'] = round(float(out['bestvtr'][~e].mean()), 4)
    os.makedirs(a.cache, exist_ok=True)
    save = {'info': json.dumps(info)}
    for part in ('tr', 'te'):
        m = out['thr' + part]
        save.update({'empty' + part: out['empty' + part], 'best' + part: out['best' + part],
                     'bestv' + part: out['bestv' + part], 'data' + part: m.data, 'indices' + part: m.indices,
                     'indptr' + part: m.indptr})
    np.savez(key, **save)
    log('front end', info)
    return out


def code_matrix(fe, part, code, value, K):
    """CSR codes [N, K] of one variant."""
    if code == 'thr':
        m = fe['thr' + part].copy()
        if value == 'bin':
            m.data[:] = 1
        return m
    b, v = fe['best' + part], fe['bestv' + part]
    ok = b >= 0
    r = np.flatnonzero(ok)
    data = v[ok] if value == 'cos' else np.ones(len(r), np.float32)
    return sp.csr_matrix((data.astype(np.float32), (r, b[ok])), shape=(len(b), K))


def embedding(A, empty, n, a):
    """P [dims, K] from the codes A [n * 529, K] (rows of n whole images) and their empty mask."""
    K = A.shape[1]
    A = A.astype(np.float64)
    ne = ~empty.reshape(n, G, G)
    r = a.window // 2
    pos = np.arange(n * NPOS).reshape(n, G, G)
    cnt = np.zeros((n, G, G))
    rows, cols = [], []
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy == 0 and dx == 0:
                continue
            ys, yd = slice(max(0, -dy), G - max(0, dy)), slice(max(0, dy), G + min(0, dy))
            xs, xd = slice(max(0, -dx), G - max(0, dx)), slice(max(0, dx), G + min(0, dx))
            ok = ne[:, ys, xs] & ne[:, yd, xd]  # i and its neighbour i + (dy, dx) both non-empty
            cnt[:, ys, xs] += ok
            rows.append(pos[:, ys, xs][ok]), cols.append(pos[:, yd, xd][ok])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    cnt = cnt.ravel()
    inS = (ne.ravel() & (cnt > 0)).astype(np.float64)
    # B: row i averages the codes of i's valid neighbours (rows of i outside S's set stay empty)
    B = sp.csr_matrix((1.0 / cnt[rows], (rows, cols)), shape=(n * NPOS, n * NPOS))
    nV, nS = ne.sum(), inS.sum()
    V = (A.T @ A).toarray() / nV
    AS = sp.diags(inS) @ A
    M = B @ A
    G1 = (AS.T @ AS).toarray()
    G2 = (AS.T @ M).toarray()
    G4 = (A.T @ ((B.T @ B) @ A)).toarray()  # M^T M with fewer operations
    S = (G1 - G2 - G2.T + G4) / nS
    used = np.diag(V) > 0
    # An atom never active in the sample has a zero row in S and only the ridge in V, so it gives an
    # eigenvalue mu = 0 whose eigenvector lives on unused atoms only. With --used-only (default) the
    # problem is solved over the used atoms and the unused ones embed to zero.
    act = np.flatnonzero(used) if a.used_only else np.arange(K)
    Va = V[np.ix_(act, act)] + a.ridge * np.trace(V) / K * np.eye(len(act))
    t = time.time()
    mu, vec = scipy.linalg.eigh(S[np.ix_(act, act)], Va, subset_by_index=[0, a.dims + a.skip - 1])
    P = np.zeros((a.dims, K), np.float32)
    P[:, act] = vec[:, a.skip:].T
    info = {'t_eigh': round(time.time() - t, 1), 'unused_atoms': int(K - used.sum()), 'mu_below_1e-9': int((mu < 1e-9).sum()),
            'mu_0_1_2_last': [float(f'{m:.3g}') for m in mu[[0, 1, 2, -1]]], 'positions_V': int(nV), 'positions_S': int(nS)}
    return P, info


def pool_matrix():
    """[100, 529] sparse: 4x4 average windows at stride 2 over the 23x23 grid (10x10 windows)."""
    o = (G - POOL_W) // POOL_S + 1
    r, c = [], []
    for i in range(o):
        for j in range(o):
            for u in range(POOL_W):
                for v in range(POOL_W):
                    r.append(i * o + j), c.append((i * POOL_S + u) * G + j * POOL_S + v)
    return sp.csr_matrix((np.full(len(r), 1.0 / POOL_W ** 2, np.float32), (r, c)), shape=(o * o, NPOS))


def row_normalise(f):
    n = np.linalg.norm(f, axis=1, keepdims=True)
    return f / np.where(n > 0, n, 1)


def features_embedded(A, n, P, bs=500):
    Pool = pool_matrix().toarray()
    W = Pool.shape[0]
    out = np.empty((n, W * P.shape[0]), np.float32)
    for s in range(0, n, bs):
        e = min(n, s + bs)
        beta = row_normalise(np.asarray(A[s * NPOS:e * NPOS] @ P.T, np.float32))  # [m * 529, dims]
        beta = beta.reshape(e - s, NPOS, -1)
        f = np.matmul(Pool, beta)  # [m, 100, dims]
        out[s:e] = row_normalise(f.reshape(-1, f.shape[2])).reshape(e - s, -1)
    return out


def features_codes(A, n, bs=500):
    """Pooled codes without the embedding: sparse [n, 100 * K]."""
    K = A.shape[1]
    Pool = pool_matrix()
    W = Pool.shape[0]
    parts = []
    for s in range(0, n, bs):
        e = min(n, s + bs)
        f = (sp.kron(sp.eye(e - s, format='csr'), Pool, format='csr') @ A[s * NPOS:e * NPOS]).tocsr()
        nr = np.sqrt(np.asarray(f.multiply(f).sum(1)).ravel())
        f = (sp.diags(1 / np.where(nr > 0, nr, 1)) @ f).tocoo()
        img, w = np.divmod(f.row, W)
        parts.append(sp.csr_matrix((f.data.astype(np.float32), (img, w * K + f.col)), shape=(e - s, W * K)))
    return sp.vstack(parts, format='csr')


def readout(ftr, ytr, fte, yte, a):
    from sklearn.linear_model import LogisticRegression
    clf = LogisticRegression(C=a.C, multi_class='multinomial', solver='lbfgs', max_iter=a.max_iter)
    clf.fit(ftr, ytr)
    return clf.score(fte, yte), int(clf.n_iter_[0]), clf.score(ftr, ytr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--variants', default='1sparse-bin-2000,thr-bin-2000')
    ap.add_argument('--atoms', type=int, default=4096)
    ap.add_argument('--cos', type=float, default=0.7, help='greedy-atom and threshold-code cosine')
    ap.add_argument('--eps', type=float, default=0.1, help='ZCA eps as a fraction of the largest eigenvalue')
    ap.add_argument('--empty', type=float, default=0.1, help='a patch with smaller mean-removed norm is empty')
    ap.add_argument('--covsample', type=int, default=100000)
    ap.add_argument('--window', type=int, default=5)
    ap.add_argument('--dims', type=int, default=32)
    ap.add_argument('--ridge', type=float, default=1e-3)
    ap.add_argument('--skip', type=int, default=1, help='smallest eigenvectors dropped (1: the trivial one)')
    ap.add_argument('--used-only', type=int, default=1, help='solve over the atoms used in the statistics sample only')
    ap.add_argument('--C', type=float, default=10.0)
    ap.add_argument('--max-iter', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--cache', default='/tmp/smt-reference-cache')
    a = ap.parse_args()
    t = time.time()
    fe = front_end(a)
    log(f'front end ready {time.time() - t:.1f}s')
    ntr, nte = len(fe['ytr']), len(fe['yte'])
    for var in a.variants.split(','):
        code, value, stats = var.split('-')
        t0 = time.time()
        Atr = code_matrix(fe, 'tr', code, value, a.atoms)
        Ate = code_matrix(fe, 'te', code, value, a.atoms)
        res = {'variant': var}
        if stats == 'none':
            ftr, fte = features_codes(Atr, ntr), features_codes(Ate, nte)
            res['t_features'] = round(time.time() - t0, 1)
            res['features'] = f'{ftr.shape[1]} sparse, {ftr.nnz / ntr:.0f} nnz per image'
        else:
            ns = int(stats)
            rng = np.random.default_rng(a.seed + 1)
            sel = np.sort(rng.choice(ntr, ns, replace=False)) if ns < ntr else np.arange(ntr)
            rows = (sel[:, None] * NPOS + np.arange(NPOS)).ravel()
            P, info = embedding(Atr[rows], fe['emptytr'][rows], ns, a)
            res['t_embedding'] = round(time.time() - t0, 1)
            res.update(info)
            t1 = time.time()
            ftr, fte = features_embedded(Atr, ntr, P), features_embedded(Ate, nte, P)
            res['t_features'] = round(time.time() - t1, 1)
            res['features'] = ftr.shape[1]
        t1 = time.time()
        acc, it, tracc = readout(ftr, fe['ytr'], fte, fe['yte'], a)
        res.update({'accuracy': round(acc, 4), 'train_accuracy': round(tracc, 4), 'lbfgs_iter': it,
                    't_readout': round(time.time() - t1, 1), 't_total': round(time.time() - t0, 1)})
        log(json.dumps(res))


if __name__ == '__main__':
    main()
