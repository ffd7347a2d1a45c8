"""Sweep on top of smt_reference.py (independent numpy / scikit-learn reference of the one-layer SMT
classifier, 8,000 / 2,000 split of the embedded MNIST digits): (1) one-layer variants -- embedding
dims and window, pooling, logistic-regression C, top-k codes, pooled raw codes concatenated, and
training-set augmentation with the four one-pixel shifts; (2) a second SMT layer on layer 1's beta
maps. Prototype only; never a runtime dependency.

Front end: the cached whitening/atoms/codes of smt_reference.py (/tmp/smt-reference-cache, seed 0,
4,096 greedy atoms, cosine <= 0.7, 6x6 patches, eps 0.1 lambda_max, empty |x'| < 0.1). W and D are
recomputed with the same seed (1-2 s) and checked against the cached codes; they encode only the
one new line of patch positions a one-pixel shift brings in (the rest of a shifted digit's code map
is the unshifted one, moved by one position -- exact, since a 6x6 patch is moved whole).

Codes: 'top1' = 1-sparse binary (the reference recipe); 'topK-cos' / 'topK-bin' = the K atoms of
largest cosine among those with cosine >= 0.7 (the cached threshold codes; the best atom is always
kept, so a position has 1..K atoms), value the cosine or 1.

Layer 1 config (JSON): {"code": "top1", "dims": 32, "win": 5, "pool": "4/2", "C": [10],
  "raw": null | "reg2" | "reg3", "stats": 2000, "aug": 0 | 1}
  pool: "W/S" (WxW average windows at stride S over the 23x23 grid), "W/S/gSIG" (the same, Gaussian
  weights of std SIG around each window's centre), "regR" (an RxR grid of regions), several joined
  with '+' (features concatenated). raw: pooled raw codes (sparse, RxR regions of the 4,096-atom
  code maps, L2-normalised per region) concatenated to the embedded features. aug: the 4 one-pixel
  shifts of each training digit added (40,000 training images; the embedding from unshifted digits).
Layer 2 config (JSON): {"l2": 1, "pre": "3/2" | "2/1" | "none", "patch": 3, "atoms": 2048,
  "cos2": 0.7, "dims2": 32, "win2": 5, "pool2": "3/2", "C": [10], "l1pool": "4/2"}
  beta maps (23x23x32, layer-1 dims from "dims") -> optional average pooling (each vector
  L2-normalised) -> PATCHxPATCH windows flattened -> global mean removed, ZCA (eps 0.1 lambda_max),
  L2-normalised (a window with no non-empty vector is empty) -> greedy atoms (cosine <= cos2) ->
  1-sparse binary codes -> neighbour-mean embedding over the layer-2 grid -> pool2 -> per-vector L2.
  Prints L1 alone, L2 alone and L1 + L2 concatenated.

Run (Debian's /usr/bin/python3; under ~5 GB; 2 shared cores):
  cd bench/prototype && nice -n 15 /usr/bin/python3 smt_sweep2.py '{"dims":32}' '{"dims":64,"C":[1,10,100]}' ...
One JSON line per configuration with accuracy per C and the wall time of each step.

Results (2,000 test digits; 1 digit = 0.05 points; all train accuracies 1.0; defaults top1, dims 32,
win 5, pool 4/2, stats 2,000, C 10; 2 shared cores, loaded):
  baseline C 1 / 10 / 100: 0.9870 / 0.9875 / 0.9885 | dims 64 (C 10/100) 0.9875/0.9875 | dims 128 0.9880
  win 7 0.9865 | pool 6/3 0.9860, 5/2 0.9870, 3/2 0.9880, reg4 0.9840, 6/2/g1.5 0.9865, 4/2+reg4 0.9880
  top2-cos 0.9875, top3-cos 0.9870 | + raw codes reg2 (19,584 features) 0.9880
  4 one-pixel shifts (40,000 training digits): C 1 / 10 / 100: 0.9890 / 0.9885 / 0.9885
  layer 2 (L1 alone 0.9875): pre 3/2, 3x3, 2,048 atoms, 32 dims, pool 3/2: L2 0.9820, L1+L2 0.9865;
  pre 2/1, 3x3: L2 0.9865, L1+L2 0.9875; same, 4,096 atoms cos2 0.5, 64 dims: 0.9850 / 0.9870;
  pre none, 4x4: 0.9850 / 0.9870; pre 3/2, 4x4, cos2 0.5, 64 dims, win2 3, pool 4/2+reg2: 0.9820 / 0.9885.
  Nothing reaches 0.992; every difference is within 0.1-0.25 points (2-5 digits), i.e. noise.
"""
import sys, os, time, json
import numpy as np
import scipy.linalg, scipy.sparse as sp

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smt_reference as R
from smt_mnist import load

G, NPOS, P_SIDE = R.G, R.NPOS, R.P_SIDE
K = 4096
log = R.log


class A:  # the reference's defaults
    atoms, cos, eps, empty, covsample, seed = 4096, 0.7, 0.1, 0.1, 100000, 0
    cache = '/tmp/smt-reference-cache'


# ---------------------------------------------------------------------------------------------- front end
def whitening_and_atoms(xtr):
    rng = np.random.default_rng(A.seed)
    flat = rng.choice(len(xtr) * NPOS, A.covsample, replace=False)
    C = np.cov(R.patches_at(xtr, flat).T.astype(np.float64))
    lam, U = np.linalg.eigh(C)
    W = ((U / np.sqrt(lam + A.eps * lam.max())) @ U.T).astype(np.float32)
    D, _ = R.greedy_atoms(xtr, W, A, rng)
    return W, D


def topk_from_thr(m, best, bestv, k):
    """idx, val [N, k] (-1 / 0 where absent) from the CSR of cosines >= 0.7 plus the best atom."""
    N = m.shape[0]
    idx = np.full((N, k), -1, np.int32)
    val = np.zeros((N, k), np.float32)
    idx[:, 0], val[:, 0] = best, bestv
    if k > 1:
        nnz = np.diff(m.indptr)
        mx = max(int(nnz.max()), k)
        dense_i = np.full((N, mx), -1, np.int32)
        dense_v = np.full((N, mx), -np.inf, np.float32)
        r = np.repeat(np.arange(N), nnz)
        c = np.arange(m.nnz) - np.repeat(m.indptr[:-1], nnz)
        dense_i[r, c], dense_v[r, c] = m.indices, m.data
        dense_v[dense_i == best[:, None]] = -np.inf  # the best is already in column 0
        o = np.argsort(-dense_v, 1)[:, :k - 1]
        vi, vv = np.take_along_axis(dense_i, o, 1), np.take_along_axis(dense_v, o, 1)
        ok = np.isfinite(vv) & (best[:, None] >= 0)
        idx[:, 1:] = np.where(ok, vi, -1)
        val[:, 1:] = np.where(ok, vv, 0)
    return idx, val


def encode_topk(r, W, D, k):
    """Top-k (cosine >= 0.7 beyond the first) of raw mean-removed patches r [M, 36]."""
    xw, empty = R.whiten_normalise(r, W, A.empty)
    z = xw @ D.T
    o = np.argsort(-z, 1)[:, :k]
    v = np.take_along_axis(z, o, 1)
    idx = o.astype(np.int32)
    idx[:, 1:][v[:, 1:] < A.cos] = -1
    v = np.where(idx >= 0, v, 0).astype(np.float32)
    idx[empty], v[empty] = -1, 0
    return idx, v


SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))


def shifted_codes(x, idx, val, W, D, k):
    """Code maps [n*4, 23, 23, k] of the four one-pixel shifts (zero fill) of digits x [n, 28, 28],
    from the unshifted maps idx/val [n, 23, 23, k] plus the line of positions brought in."""
    n = len(x)
    oi, ov = [], []
    for dy, dx in SHIFTS:
        xs = np.zeros_like(x)
        xs[:, max(0, dy):28 + min(0, dy), max(0, dx):28 + min(0, dx)] = x[:, max(0, -dy):28 + min(0, -dy), max(0, -dx):28 + min(0, -dx)]
        si = np.full_like(idx, -1)
        sv = np.zeros_like(val)
        si[:, max(0, dy):G + min(0, dy), max(0, dx):G + min(0, dx)] = idx[:, max(0, -dy):G + min(0, -dy), max(0, -dx):G + min(0, -dx)]
        sv[:, max(0, dy):G + min(0, dy), max(0, dx):G + min(0, dx)] = val[:, max(0, -dy):G + min(0, -dy), max(0, -dx):G + min(0, -dx)]
        # the new line: row 0 (dy = 1), row 22 (dy = -1), column 0 / 22 likewise
        if dy:
            py = np.full(G, 0 if dy > 0 else G - 1); px = np.arange(G)
        else:
            px = np.full(G, 0 if dx > 0 else G - 1); py = np.arange(G)
        d = np.arange(P_SIDE)
        for s in range(0, n, 2000):
            xb = xs[s:s + 2000]
            r = xb[:, (py[:, None] + d)[:, :, None], (px[:, None] + d)[:, None, :]].reshape(-1, P_SIDE * P_SIDE)
            r = r - r.mean(1, keepdims=True)
            li, lv = encode_topk(r.astype(np.float32), W, D, k)
            si[s:s + 2000, py, px] = li.reshape(len(xb), G, k)
            sv[s:s + 2000, py, px] = lv.reshape(len(xb), G, k)
        oi.append(si), ov.append(sv)
    return np.concatenate(oi), np.concatenate(ov)


def to_csr(idx, val, binary):
    """[N, k] lists -> CSR [N, K]."""
    N, k = idx.shape
    ok = idx >= 0
    r = np.repeat(np.arange(N), k).reshape(N, k)[ok]
    d = np.ones(ok.sum(), np.float32) if binary else val[ok]
    return sp.csr_matrix((d, (r, idx[ok])), shape=(N, K))


# ---------------------------------------------------------------------------------------------- embedding
def embedding_g(A_, empty, n, g, window, dims, ridge=1e-3, skip=1):
    """smt_reference.embedding generalised to a g x g grid; P [dims, K']."""
    npos = g * g
    Kc = A_.shape[1]
    A_ = A_.astype(np.float64)
    ne = ~empty.reshape(n, g, g)
    r = window // 2
    pos = np.arange(n * npos).reshape(n, g, g)
    cnt = np.zeros((n, g, g))
    rows, cols = [], []
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy == 0 and dx == 0:
                continue
            ys, yd = slice(max(0, -dy), g - max(0, dy)), slice(max(0, dy), g + min(0, dy))
            xs, xd = slice(max(0, -dx), g - max(0, dx)), slice(max(0, dx), g + min(0, dx))
            ok = ne[:, ys, xs] & ne[:, yd, xd]
            cnt[:, ys, xs] += ok
            rows.append(pos[:, ys, xs][ok]), cols.append(pos[:, yd, xd][ok])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    cnt = cnt.ravel()
    inS = (ne.ravel() & (cnt > 0)).astype(np.float64)
    B = sp.csr_matrix((1.0 / cnt[rows], (rows, cols)), shape=(n * npos, n * npos))
    nV, nS = ne.sum(), inS.sum()
    V = (A_.T @ A_).toarray() / nV
    AS = sp.diags(inS) @ A_
    M = B @ A_
    G1 = (AS.T @ AS).toarray()
    G2 = (AS.T @ M).toarray()
    G4 = (A_.T @ ((B.T @ B) @ A_)).toarray()
    S = (G1 - G2 - G2.T + G4) / nS
    act = np.flatnonzero(np.diag(V) > 0)
    Va = V[np.ix_(act, act)] + ridge * np.trace(V) / Kc * np.eye(len(act))
    mu, vec = scipy.linalg.eigh(S[np.ix_(act, act)], Va, subset_by_index=[0, dims + skip - 1])
    P = np.zeros((dims, Kc), np.float32)
    P[:, act] = vec[:, skip:].T
    return P


# ---------------------------------------------------------------------------------------------- pooling
def pool_dense(g, spec):
    """[windows, g*g] dense pooling matrix for one spec ('W/S', 'W/S/gSIG', 'regR')."""
    rows = []
    if spec.startswith('reg'):
        R_ = int(spec[3:])
        edges = np.linspace(0, g, R_ + 1).round().astype(int)
        for i in range(R_):
            for j in range(R_):
                m = np.zeros((g, g), np.float32)
                m[edges[i]:edges[i + 1], edges[j]:edges[j + 1]] = 1
                rows.append(m.ravel() / m.sum())
        return np.array(rows)
    parts = spec.split('/')
    w, s = int(parts[0]), int(parts[1])
    sig = float(parts[2][1:]) if len(parts) > 2 else None
    u = np.arange(w) - (w - 1) / 2
    k1 = np.exp(-u ** 2 / (2 * sig ** 2)) if sig else np.ones(w)
    k2 = np.outer(k1, k1)
    k2 /= k2.sum()
    starts = list(range(0, g - w + 1, s))
    for i in starts:
        for j in starts:
            m = np.zeros((g, g), np.float32)
            m[i:i + w, j:j + w] = k2
            rows.append(m.ravel())
    return np.array(rows, np.float32)


def pool_features(beta, g, specs):
    """beta [m, g*g, d] -> concatenated per-window L2-normalised pooled vectors [m, F]."""
    out = []
    for spec in specs.split('+'):
        Pm = pool_dense(g, spec)
        f = np.matmul(Pm, beta)
        out.append(R.row_normalise(f.reshape(-1, f.shape[2])).reshape(len(beta), -1))
    return np.concatenate(out, 1)


def betas(Acodes, n, P, bs=500):
    for s in range(0, n, bs):
        e = min(n, s + bs)
        b = R.row_normalise(np.asarray(Acodes[s * NPOS:e * NPOS] @ P.T, np.float32))
        yield s, e, b.reshape(e - s, NPOS, -1)


def features_embedded(Acodes, n, P, pool):
    out = None
    for s, e, b in betas(Acodes, n, P):
        f = pool_features(b, G, pool)
        if out is None:
            out = np.empty((n, f.shape[1]), np.float32)
        out[s:e] = f
    return out


def features_raw(Acodes, n, R_, bs=500):
    Pm = sp.csr_matrix(pool_dense(G, f'reg{R_}'))
    W_ = Pm.shape[0]
    parts = []
    for s in range(0, n, bs):
        e = min(n, s + bs)
        f = (sp.kron(sp.eye(e - s, format='csr'), Pm, format='csr') @ Acodes[s * NPOS:e * NPOS]).tocsr()
        nr = np.sqrt(np.asarray(f.multiply(f).sum(1)).ravel())
        f = (sp.diags(1 / np.where(nr > 0, nr, 1)) @ f).tocoo()
        img, w = np.divmod(f.row, W_)
        parts.append(sp.csr_matrix((f.data.astype(np.float32), (img, w * K + f.col)), shape=(e - s, W_ * K)))
    return sp.vstack(parts, format='csr')


def readout(ftr, ytr, fte, yte, Cs):
    from sklearn.linear_model import LogisticRegression
    res = {}
    for C in Cs:
        t = time.time()
        clf = LogisticRegression(C=C, multi_class='multinomial', solver='lbfgs', max_iter=3000)
        clf.fit(ftr, ytr)
        res[f'C{C:g}'] = {'acc': round(clf.score(fte, yte), 4), 'train': round(clf.score(ftr, ytr), 4),
                          'it': int(clf.n_iter_[0]), 't': round(time.time() - t, 1)}
    return res


# ---------------------------------------------------------------------------------------------- driver
class Ctx:
    def __init__(self):
        t = time.time()
        self.fe = R.front_end(A)
        self.xtr, self.ytr, self.xte, self.yte = load('mnist', 20261128)
        self.W = self.D = None
        self.P = {}
        self.maps = {}
        log(f'front end ready {time.time() - t:.1f}s')

    def wd(self):
        if self.W is None:
            t = time.time()
            self.W, self.D = whitening_and_atoms(self.xtr)
            # check against the cache: codes of the first 20 training digits
            i, v = encode_topk(R.raw_patches(self.xtr[:20]), self.W, self.D, 1)
            agree = float((i[:, 0] == self.fe['besttr'][:20 * NPOS]).mean())
            log(f'W, D recomputed {time.time() - t:.1f}s; agreement with cached codes {agree:.5f}')
            assert agree > 0.999
        return self.W, self.D

    def codemap(self, part, k):
        key = (part, k)
        if key not in self.maps:
            fe = self.fe
            self.maps[key] = topk_from_thr(fe['thr' + part], fe['best' + part], fe['bestv' + part], k)
        return self.maps[key]

    def codes(self, part, code, aug=False):
        k = 1 if code == 'top1' else int(code[3])
        binary = code == 'top1' or code.endswith('bin')
        idx, val = self.codemap(part, k)
        if not aug:
            return to_csr(idx, val, binary), idx[:, 0] < 0
        key = ('aug', k)
        if key not in self.maps:
            t = time.time()
            W, D = self.wd()
            n = len(self.xtr)
            si, sv = shifted_codes(self.xtr, idx.reshape(n, G, G, k), val.reshape(n, G, G, k), W, D, k)
            self.maps[key] = (np.concatenate([idx, si.reshape(-1, k)]), np.concatenate([val, sv.reshape(-1, k)]))
            log(f'shifted codes {time.time() - t:.1f}s')
        idx, val = self.maps[key]
        return to_csr(idx, val, binary), idx[:, 0] < 0

    def proj(self, code, win, dims, stats):
        key = (code, win, stats)
        if key not in self.P or self.P[key][1] < dims:
            t = time.time()
            Atr, empty = self.codes('tr', code)
            ntr = len(self.ytr)
            rng = np.random.default_rng(A.seed + 1)
            sel = np.sort(rng.choice(ntr, stats, replace=False)) if stats < ntr else np.arange(ntr)
            rows = (sel[:, None] * NPOS + np.arange(NPOS)).ravel()
            dmax = max(dims, 128)
            P = embedding_g(Atr[rows], empty[rows], stats, G, win, dmax)
            self.P[key] = (P, dmax, round(time.time() - t, 1))
        P, _, t = self.P[key]
        return P[:dims], t


def run_l1(ctx, c):
    code, dims, win, pool = c.get('code', 'top1'), c.get('dims', 32), c.get('win', 5), c.get('pool', '4/2')
    Cs, raw, stats, aug = c.get('C', [10]), c.get('raw'), c.get('stats', 2000), c.get('aug', 0)
    res = {'cfg': c}
    t0 = time.time()
    P, res['t_embedding'] = ctx.proj(code, win, dims, stats)
    t = time.time()
    Atr, _ = ctx.codes('tr', code, aug=bool(aug))
    Ate, _ = ctx.codes('te', code)
    ntr, nte = Atr.shape[0] // NPOS, Ate.shape[0] // NPOS
    ytr = np.tile(ctx.ytr, 5) if aug else ctx.ytr
    res['t_codes'] = round(time.time() - t, 1)
    t = time.time()
    ftr, fte = features_embedded(Atr, ntr, P, pool), features_embedded(Ate, nte, P, pool)
    if raw:
        R_ = int(raw[3:])
        ftr = sp.hstack([sp.csr_matrix(ftr), features_raw(Atr, ntr, R_)], format='csr')
        fte = sp.hstack([sp.csr_matrix(fte), features_raw(Ate, nte, R_)], format='csr')
    res['t_features'] = round(time.time() - t, 1)
    res['features'] = ftr.shape[1]
    res['readout'] = readout(ftr, ytr, fte, ctx.yte, Cs)
    res['best'] = max(v['acc'] for v in res['readout'].values())
    res['t_total'] = round(time.time() - t0, 1)
    log(json.dumps(res))


# ---------------------------------------------------------------------------------------------- layer 2
def l2_maps(ctx, P, pre):
    """Layer-1 beta maps, optionally average-pooled (each vector L2-normalised): [n, g1, g1, d]."""
    out = {}
    for part in ('tr', 'te'):
        Ac, _ = ctx.codes(part, 'top1')
        n = Ac.shape[0] // NPOS
        chunks = []
        for s, e, b in betas(Ac, n, P):
            m, d = e - s, b.shape[2]
            if pre != 'none':
                w, st = map(int, pre.split('/'))
                g1 = (G - w) // st + 1
                b = R.row_normalise(np.matmul(pool_dense(G, pre), b).reshape(-1, d)).reshape(m, g1 * g1, d)
            g1 = int(round(np.sqrt(b.shape[1])))
            chunks.append(b.reshape(m, g1, g1, d).astype(np.float32))
        out[part] = np.concatenate(chunks)
    return out['tr'], out['te']


def windows(Bm, flat, g2, patch):
    """Flattened patch x patch windows of the maps Bm [n, g1, g1, d] at flat indices img * g2^2 + pos."""
    img, pos = np.divmod(flat, g2 * g2)
    py, px = np.divmod(pos, g2)
    d = np.arange(patch)
    return Bm[img[:, None, None], (py[:, None] + d)[:, :, None], (px[:, None] + d)[:, None, :]].reshape(len(flat), -1)


def run_l2(ctx, c):
    pre, patch, natoms, cos2 = c.get('pre', '3/2'), c.get('patch', 3), c.get('atoms', 2048), c.get('cos2', 0.7)
    dims, dims2, win2, pool2 = c.get('dims', 32), c.get('dims2', 32), c.get('win2', 5), c.get('pool2', '3/2')
    Cs, l1pool, stats = c.get('C', [10]), c.get('l1pool', '4/2'), c.get('stats', 2000)
    res = {'cfg': c}
    t0 = time.time()
    P1, _ = ctx.proj('top1', 5, dims, c.get('stats1', 2000))
    Btr, Bte = l2_maps(ctx, P1, pre)
    g2 = Btr.shape[1] - patch + 1
    npos2 = g2 * g2
    res['grid2'] = g2
    res['t_l2_inputs'] = round(time.time() - t0, 1)
    t = time.time()
    ntr, nte, dim = len(Btr), len(Bte), patch * patch * Btr.shape[3]

    def empties(Bm):  # a window with no non-empty vector
        ne = (np.abs(Bm).sum(3) > 0).astype(np.int32)
        cnt = np.lib.stride_tricks.sliding_window_view(ne, (patch, patch), axis=(1, 2)).sum((3, 4))
        return (cnt == 0).reshape(-1)
    emp_tr, emp_te = empties(Btr), empties(Bte)
    rng = np.random.default_rng(7)
    flat = np.flatnonzero(~emp_tr)
    samp = windows(Btr, rng.choice(flat, min(100000, len(flat)), replace=False), g2, patch).astype(np.float64)
    mean = samp.mean(0)
    lam, U = np.linalg.eigh(np.cov(samp.T))
    W2 = ((U / np.sqrt(np.maximum(lam, 0) + 0.1 * lam.max())) @ U.T).astype(np.float32)
    del samp

    def wn(x, emp):
        xw = (x - mean.astype(np.float32)) @ W2
        xw /= np.maximum(np.linalg.norm(xw, axis=1, keepdims=True), 1e-12)
        xw[emp] = 0
        return xw
    # greedy atoms from randomly ordered non-empty training windows
    order = rng.permutation(flat)
    D2 = np.zeros((natoms, dim), np.float32)
    k = 0
    for s in range(0, len(order), 8192):
        xw = wn(windows(Btr, order[s:s + 8192], g2, patch), np.zeros(len(order[s:s + 8192]), bool))
        keep = (xw @ D2[:k].T).max(1) <= cos2 if k else np.ones(len(xw), bool)
        cand = np.flatnonzero(keep)
        gram = xw[cand] @ xw[cand].T
        acc = []
        for j in range(len(cand)):
            if not acc or gram[j, acc].max() <= cos2:
                acc.append(j)
                if k + len(acc) == natoms:
                    break
        D2[k:k + len(acc)] = xw[cand[acc]]
        k += len(acc)
        if k == natoms:
            break
    res['atoms2'] = k
    D2 = D2[:k]
    res['t_l2_atoms'] = round(time.time() - t, 1)
    t = time.time()

    def enc(Bm, emp):
        n = len(Bm)
        best = np.empty(n * npos2, np.int32)
        for s in range(0, n * npos2, 40000):
            f = np.arange(s, min(n * npos2, s + 40000))
            best[f] = (wn(windows(Bm, f, g2, patch), emp[f]) @ D2.T).argmax(1)
        best[emp] = -1
        return best
    btr, bte = enc(Btr, emp_tr), enc(Bte, emp_te)
    del Btr, Bte
    res['t_l2_codes'] = round(time.time() - t, 1)
    t = time.time()

    def csr(b):
        ok = b >= 0
        return sp.csr_matrix((np.ones(ok.sum(), np.float32), (np.flatnonzero(ok), b[ok])), shape=(len(b), k))
    A2tr, A2te = csr(btr), csr(bte)
    rng2 = np.random.default_rng(A.seed + 1)
    sel = np.sort(rng2.choice(ntr, stats, replace=False)) if stats < ntr else np.arange(ntr)
    rows = (sel[:, None] * npos2 + np.arange(npos2)).ravel()
    P2 = embedding_g(A2tr[rows], btr[rows] < 0, stats, g2, win2, dims2)
    res['t_l2_embedding'] = round(time.time() - t, 1)
    t = time.time()

    def feats(A2, n):
        b = R.row_normalise(np.asarray(A2 @ P2.T, np.float32)).reshape(n, npos2, -1)
        return pool_features(b, g2, pool2)
    f2tr, f2te = feats(A2tr, ntr), feats(A2te, nte)
    Atr, _ = ctx.codes('tr', 'top1')
    Ate, _ = ctx.codes('te', 'top1')
    f1tr, f1te = features_embedded(Atr, ntr, P1, l1pool), features_embedded(Ate, nte, P1, l1pool)
    res['t_features'] = round(time.time() - t, 1)
    res['features'] = {'l1': f1tr.shape[1], 'l2': f2tr.shape[1]}
    for name, (a, b) in {'l1': (f1tr, f1te), 'l2': (f2tr, f2te),
                         'l1+l2': (np.hstack([f1tr, f2tr]), np.hstack([f1te, f2te]))}.items():
        if name == 'l1' and c.get('skip_l1'):
            continue
        res[name] = readout(a, ctx.ytr, b, ctx.yte, Cs)
    res['t_total'] = round(time.time() - t0, 1)
    log(json.dumps(res))


def main():
    ctx = Ctx()
    for arg in sys.argv[1:]:
        c = json.loads(arg)
        try:
            (run_l2 if c.get('l2') else run_l1)(ctx, c)
        except Exception as e:  # keep the sweep going
            import traceback
            traceback.print_exc()
            log('FAILED', arg, repr(e))


if __name__ == '__main__':
    main()
