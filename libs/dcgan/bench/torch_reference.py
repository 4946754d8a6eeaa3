#!/usr/bin/env python3
"""The reference DCGAN step and generator inference in PyTorch, timed like DcganBenchmark.java.

python3 torch_reference.py [threads] [cpu|cuda] [precisions]   (Debian python3-torch; install libopenblas0-openmp, or
torch uses the slow reference BLAS). A full step is the reference loop's D step (real, detached fake, one Adam step)
plus a G step. precisions, comma-separated: fp32; bf16 (autocast mixed precision: weights, Adam state and the loss stay
fp32, as in libs/dcgan); tf32 on CUDA (fp32 storage, tensor-core products: PyTorch's and TensorFlow's GPU default).
Default: fp32 on a CPU (the reference's loop; Debian's torch takes about 11 s a step there), all three on CUDA.
"""
import statistics
import sys
import time
from contextlib import nullcontext

import torch
import torch.nn as nn

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/parity")
import make_fixtures as ref  # noqa: E402  the same network definitions as the parity fixtures

ref.NZ, ref.NGF, ref.NDF = 100, 64, 64


def median_ms(fn, warmup, runs, sync):
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def precisions(device, names):
    """(name, autocast context factory, allow TF32) for each precision asked for."""
    bf16 = lambda: torch.autocast(device_type=device.type, dtype=torch.bfloat16)  # noqa: E731
    known = {"fp32": (nullcontext, False), "bf16": (bf16, False), "tf32": (nullcontext, True)}
    if device.type != "cuda":
        known.pop("tf32")
    unknown = [name for name in names if name not in known]
    if unknown:
        sys.exit(f"unknown precision {unknown} on {device.type}: choose from {', '.join(known)}")
    return [(name, *known[name]) for name in names]


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    device = torch.device(sys.argv[2] if len(sys.argv) > 2 else "cpu")
    torch.set_num_threads(threads)
    cuda = device.type == "cuda"
    names = (sys.argv[3] if len(sys.argv) > 3 else "fp32,bf16,tf32" if cuda else "fp32").split(",")
    sync = torch.cuda.synchronize if cuda else (lambda: None)
    torch.backends.cudnn.benchmark = cuda  # TensorFlow autotunes its GPU convolutions too
    warmup, runs = (10, 50) if cuda else (2, 5)
    where = torch.cuda.get_device_name(device) if cuda else f"threads {torch.get_num_threads()}"
    print(f"torch {torch.__version__}, {where}")
    train_batches = (64, 128, 1024) if cuda else (64, 128)
    generate_batches = (1, 16, 64, 1024) if cuda else (1, 16, 64)
    criterion = nn.BCELoss()
    for name, autocast, tf32 in precisions(device, names):
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = tf32
        torch.manual_seed(0)
        g, d = ref.generator().to(device), ref.discriminator().to(device)
        opt_g = torch.optim.Adam(g.parameters(), lr=1e-4, betas=(0.9, 0.999))
        opt_d = torch.optim.Adam(d.parameters(), lr=1e-5, betas=(0.9, 0.999))
        label = "pytorch" if name == "fp32" else f"pytorch {name}"
        for batch in train_batches:
            real = torch.rand(batch, 3, 96, 96, device=device) * 2 - 1
            ones, zeros = torch.ones(batch, device=device), torch.zeros(batch, device=device)

            def loss(logits, target):  # BCE is not autocast-safe: the loss is taken in fp32
                return criterion(logits.float().view(-1), target)

            def step():
                opt_d.zero_grad()
                with autocast():
                    on_real = d(real)
                    fake = g(torch.randn(batch, 100, 1, 1, device=device)).detach()
                    on_fake = d(fake)
                (loss(on_real, ones) + loss(on_fake, zeros)).backward()
                opt_d.step()
                opt_g.zero_grad()
                with autocast():
                    on_new = d(g(torch.randn(batch, 100, 1, 1, device=device)))
                loss(on_new, ones).backward()
                opt_g.step()

            median, best = median_ms(step, warmup, runs, sync)
            print(f"{label} train step batch {batch}: median {median:.1f} ms, min {best:.1f} ms"
                  f" = {batch * 1000 / median:.0f} images/s")
        g.eval()
        with torch.no_grad():
            for batch in generate_batches:
                z = torch.randn(batch, 100, 1, 1, device=device)

                def generate():
                    with autocast():
                        return g(z).float().cpu().numpy()

                median, best = median_ms(generate, warmup * 2, runs * 4, sync)
                print(f"{label} generate batch {batch}: median {median:.2f} ms, min {best:.2f} ms"
                      f" = {batch * 1000 / median:.0f} images/s")


if __name__ == "__main__":
    main()
