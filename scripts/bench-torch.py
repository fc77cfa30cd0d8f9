#!/usr/bin/env python3
"""PyTorch reference for `ahunt bench train`: the same network, sizes, batch and threads.

Not a dependency of the app: it exists so that anyone can rerun the comparison the README
quotes. Needs PyTorch (Debian: apt-get install python3-torch).

    python3 scripts/bench-torch.py --size 64 --bands 3 --threads 2 --seconds 10

The network is the AHUNT CNN as src-main/engine/learn/model.ts builds it: Conv(16) → MaxPool,
then k × [Conv(8) → MaxPool] with k = 1 up to 32 px and one more per doubling, Flatten,
Dense(64, ReLU), Dropout(0.6), Dense(3) with softmax cross-entropy, Adam(1e-3), and the same
augmentation a round uses (a random flip and quarter turn per image). Batch defaults follow
`ahunt bench train`: 256 up to 32 px, 128 up to 64 px, 64 beyond.
"""
import argparse
import json
import math
import time

import torch
from torch import nn


def extra_blocks(size):
    return 1 if size <= 32 else 1 + round(math.log2(size / 32))


def network(size, bands, classes=3, latent=64):
    layers = []
    channels = bands
    for block in range(extra_blocks(size) + 1):
        filters = 16 if block == 0 else 8
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        channels = filters
    final = size // 2 ** (extra_blocks(size) + 1)
    layers += [
        nn.Flatten(),
        nn.Linear(channels * final * final, latent),
        nn.ReLU(),
        nn.Dropout(0.6),
        nn.Linear(latent, classes),
    ]
    return nn.Sequential(*layers)


def augment(batch):
    """A random flip and quarter turn per image, as the app's flips-rot90 does."""
    flip = torch.rand(batch.shape[0]) < 0.5
    batch[flip] = batch[flip].flip(-1)
    turns = torch.randint(0, 4, (batch.shape[0],))
    return torch.stack([torch.rot90(img, int(k), (-2, -1)) for img, k in zip(batch, turns)])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--bands", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--seconds", type=float, default=10)
    args = ap.parse_args()
    batch = args.batch or (256 if args.size <= 32 else 128 if args.size <= 64 else 64)
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    per_image = args.size * args.size * args.bands * 4
    count = max(2 * batch, min(2048, (128 << 20) // (per_image * batch) * batch))
    images = torch.rand(count, args.bands, args.size, args.size)
    labels = torch.arange(count) % 2
    model = network(args.size, args.bands)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_of = nn.CrossEntropyLoss()

    def one_pass():
        order = torch.randperm(count)
        for start in range(0, count, batch):
            pick = order[start : start + batch]
            optimiser.zero_grad()
            loss = loss_of(model(augment(images[pick].clone())), labels[pick])
            loss.backward()
            optimiser.step()

    model.train()
    one_pass()  # warm-up
    trained, started = 0, time.perf_counter()
    while time.perf_counter() - started < args.seconds:
        one_pass()
        trained += count
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "engine": f"pytorch {torch.__version__}",
                "size": args.size,
                "bands": args.bands,
                "batchSize": batch,
                "threads": args.threads,
                "train_img_per_s": round(trained / seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
