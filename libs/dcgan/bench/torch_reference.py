#!/usr/bin/env python3
"""The reference DCGAN step and generator inference in PyTorch, timed like DcganBenchmark.java.

python3 torch_reference.py [threads]   (Debian python3-torch; install libopenblas0-openmp, or torch uses the slow
reference BLAS). A full step is the reference loop's D step (real, detached fake, one Adam step) plus a G step.
"""
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/parity")
import make_fixtures as ref  # noqa: E402  the same network definitions as the parity fixtures

ref.NZ, ref.NGF, ref.NDF = 100, 64, 64


def median_ms(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    g, d = ref.generator(), ref.discriminator()
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.9, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=1e-5, betas=(0.9, 0.999))
    criterion = nn.BCELoss()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    for batch in (64, 128):
        real = torch.rand(batch, 3, 96, 96) * 2 - 1
        ones, zeros = torch.ones(batch), torch.zeros(batch)

        def step():
            opt_d.zero_grad()
            criterion(d(real).view(-1), ones).backward()
            fake = g(torch.randn(batch, 100, 1, 1)).detach()
            criterion(d(fake).view(-1), zeros).backward()
            opt_d.step()
            opt_g.zero_grad()
            criterion(d(g(torch.randn(batch, 100, 1, 1))).view(-1), ones).backward()
            opt_g.step()

        median, best = median_ms(step, 2, 5)
        print(f"pytorch train step batch {batch}: median {median:.0f} ms, min {best:.0f} ms")
    g.eval()
    with torch.no_grad():
        for batch in (1, 16, 64):
            z = torch.randn(batch, 100, 1, 1)
            median, best = median_ms(lambda: g(z).numpy(), 5, 20)
            print(f"pytorch generate batch {batch}: median {median:.1f} ms, min {best:.1f} ms")


if __name__ == "__main__":
    main()
