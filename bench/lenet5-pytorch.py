#!/usr/bin/env python3
"""An independent LeNet-5 in PyTorch on the embedded split, the reference recipe of issue 22.

conv 5x5 with 20 maps, max pool 2x2, conv 5x5 with 50 maps, max pool 2x2, dense 500, ReLU, softmax;
PyTorch's default initialisation; Adam at 1e-3; batches of 64; pixels in [0, 1] as Glassbox reads
them. By default no augmentation and a constant rate (the issue's reference recipe); --translate T
moves every training image by whole pixels dx, dy drawn from [-T, T] anew every epoch (zeros moved
in) and --step-after E divides the rate by 10 after epoch E, as the Deeplearning4j LeNet-5 recipe
does with T = 2 and E = 10. Prints the test accuracy after every epoch, so the figure after a fixed
number of epochs (the issue's 10) can be read off, and, with --holdout, the accuracy on the same
stratified validation tenth the Deeplearning4j baselines hold out (then it trains on the other 7,200).

Input: the .npy files that org.glassbox.baselines.ExportSplit writes:
train_x.npy [8000, 28, 28, 1] float32, train_y.npy, test_x.npy, test_y.npy, val_idx.npy.

    java -cp "cli/target/classes:$(cat cli/target/classpath.txt)" org.glassbox.baselines.ExportSplit DIR
    python3 bench/lenet5-pytorch.py DIR [--seeds 1,2,3] [--epochs 10] [--holdout] [--standardise] [--threads 2]
        [--translate 2] [--step-after 10]

Debian: apt-get install python3-torch (not a dependency of Glassbox; a check only).
"""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(4 * 4 * 50, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        return self.fc2(x)


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        pred = torch.cat([net(x[i:i + 500]).argmax(1) for i in range(0, len(x), 500)])
    net.train()
    return (pred == y).float().mean().item()


def translated(x, t, generator):
    """Each image of x [n, 1, h, w] moved by dx, dy drawn uniformly from [-t, t], zeros moved in."""
    if t == 0:
        return x
    n, _, h, w = x.shape
    padded = F.pad(x, (t, t, t, t))
    dx = torch.randint(-t, t + 1, (n,), generator=generator)
    dy = torch.randint(-t, t + 1, (n,), generator=generator)
    out = torch.empty_like(x)
    for mx in range(-t, t + 1):
        for my in range(-t, t + 1):
            pick = (dx == mx) & (dy == my)
            # out(y, x) = in(y - my, x - mx) = padded(y - my + t, x - mx + t)
            out[pick] = padded[pick, :, t - my:t - my + h, t - mx:t - mx + w]
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--holdout", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--standardise", action="store_true",
                   help="subtract the training pixels' mean and divide by their standard deviation")
    p.add_argument("--translate", type=int, default=0,
                   help="move every training image by up to this many pixels each way, drawn every epoch")
    p.add_argument("--step-after", type=int, default=0,
                   help="divide the learning rate by 10 after this epoch (0: constant)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    load = lambda name: np.load(f"{a.dir}/{name}.npy")
    tx = torch.from_numpy(load("train_x")).permute(0, 3, 1, 2).contiguous()
    ty = torch.from_numpy(load("train_y")).long()
    sx = torch.from_numpy(load("test_x")).permute(0, 3, 1, 2).contiguous()
    sy = torch.from_numpy(load("test_y")).long()
    vx = vy = None
    if a.holdout:
        val = np.zeros(len(tx), dtype=bool)
        val[load("val_idx")] = True
        vx, vy = tx[val], ty[val]
        tx, ty = tx[~val], ty[~val]
    if a.standardise:
        mean, std = tx.mean(), tx.std()
        tx, sx = (tx - mean) / std, (sx - mean) / std
        if vx is not None:
            vx = (vx - mean) / std
        print(f"standardised: mean {mean:.4f}, std {std:.4f} of the training pixels")
    print(f"train {len(tx)}, test {len(sx)}, torch {torch.__version__}, threads {torch.get_num_threads()}")
    for seed in [int(s) for s in a.seeds.split(",")]:
        torch.manual_seed(seed)
        moves = torch.Generator().manual_seed(seed)
        net = LeNet5()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for epoch in range(1, a.epochs + 1):
            if a.step_after and epoch == a.step_after + 1:
                for group in opt.param_groups:
                    group["lr"] = 1e-4
            epoch_x = translated(tx, a.translate, moves)
            order = torch.randperm(len(tx))
            for i in range(0, len(tx), 64):
                b = order[i:i + 64]
                opt.zero_grad()
                F.cross_entropy(net(epoch_x[b]), ty[b]).backward()
                opt.step()
            line = f"seed {seed} epoch {epoch:2d} test {accuracy(net, sx, sy):.4f}"
            if vx is not None:
                line += f" validation {accuracy(net, vx, vy):.4f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
