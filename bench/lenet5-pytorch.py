#!/usr/bin/env python3
"""An independent LeNet-5 in PyTorch on the embedded split, the reference recipe of issue 22.

conv 5x5 with 20 maps, max pool 2x2, conv 5x5 with 50 maps, max pool 2x2, dense 500, ReLU, softmax;
PyTorch's default initialisation; Adam at 1e-3; batches of 64; no augmentation; pixels in [0, 1]
as Glassbox reads them. Prints the test accuracy after every epoch, so the figure after a fixed
number of epochs (the issue's 10) can be read off, and, with --holdout, the accuracy on the same
stratified validation tenth the Deeplearning4j baselines hold out (then it trains on the other 7,200).

Input: the .npy files that org.glassbox.baselines.ExportSplit writes:
train_x.npy [8000, 28, 28, 1] float32, train_y.npy, test_x.npy, test_y.npy, val_idx.npy.

    java -cp "cli/target/classes:$(cat cli/target/classpath.txt)" org.glassbox.baselines.ExportSplit DIR
    python3 bench/lenet5-pytorch.py DIR [--seeds 1,2,3] [--epochs 10] [--holdout] [--standardise] [--threads 2]

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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--holdout", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--standardise", action="store_true",
                   help="subtract the training pixels' mean and divide by their standard deviation")
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
        net = LeNet5()
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for epoch in range(1, a.epochs + 1):
            order = torch.randperm(len(tx))
            for i in range(0, len(tx), 64):
                b = order[i:i + 64]
                opt.zero_grad()
                F.cross_entropy(net(tx[b]), ty[b]).backward()
                opt.step()
            line = f"seed {seed} epoch {epoch:2d} test {accuracy(net, sx, sy):.4f}"
            if vx is not None:
                line += f" validation {accuracy(net, vx, vy):.4f}"
            print(line, flush=True)


if __name__ == "__main__":
    main()
