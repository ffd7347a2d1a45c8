"""The sweep of smt_sweep.py with the training digits augmented by shifted copies: dataset
'mnist-aug' adds the four one-pixel shifts (40,000 training images), 'mnist-aug8' the eight
one-pixel shifts including diagonals (72,000); the test digits are not shifted. Shifted pixels
that leave the 28 x 28 frame are dropped and the vacated ones are 0. Run, for example:
  /usr/bin/python3 smt_augment.py '{"ds":"mnist-aug","atoms":1024,"Cs":[10,100]}'"""
import numpy as np
import smt_mnist
import smt_sweep

_load = smt_mnist.load
SHIFTS = {'mnist-aug': [(1, 0), (-1, 0), (0, 1), (0, -1)],
          'mnist-aug8': [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]}


def shift(x, dy, dx):
    """x [n, h, w] moved dy rows down and dx columns right."""
    out = np.zeros_like(x)
    h, w = x.shape[1:]
    out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        x[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def load(ds, seed):
    if ds not in SHIFTS:
        return _load(ds, seed)
    xtr, ytr, xte, yte = _load('mnist', seed)
    xs = [xtr] + [shift(xtr, dy, dx) for dy, dx in SHIFTS[ds]]
    return np.concatenate(xs), np.tile(ytr, len(xs)), xte, yte


smt_sweep.load = load

if __name__ == '__main__':
    smt_sweep.main()
