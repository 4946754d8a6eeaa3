#!/usr/bin/env python3
"""Parity fixtures for libs/dcgan: the reference DCGAN (seed-model.md section 3) in PyTorch at small width.

Writes, as .npy files in TensorFlow's NHWC layout, into ../src/test/resources/parity/:
  weights before (G_w*, G_bn*, D_w*, D_bn*, with randomised running statistics so eval mode is exercised),
  inputs (z, z2, real), outputs (G in train and eval mode, D on real), the losses,
  and every weight and running statistic after one iteration (D step, then G step) with PyTorch's Adam.
Label convention: real = 1, fake = 0; G is trained towards 1.
Run with Debian's python3-torch (1.13): python3 make_fixtures.py
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

NZ, NGF, NDF, BATCH = 16, 8, 8, 4
LR_G, LR_D, BETAS = 1e-4, 1e-5, (0.9, 0.999)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "parity")


def generator():
    return nn.Sequential(
        nn.ConvTranspose2d(NZ, NGF * 8, 4, 1, 0, bias=False), nn.BatchNorm2d(NGF * 8), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 8, NGF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 4), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 4, NGF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF * 2), nn.ReLU(True),
        nn.ConvTranspose2d(NGF * 2, NGF, 4, 2, 1, bias=False), nn.BatchNorm2d(NGF), nn.ReLU(True),
        nn.ConvTranspose2d(NGF, 3, 5, 3, 1, bias=False), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Conv2d(3, NDF, 5, 3, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF, NDF * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 2), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 2, NDF * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 4), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 4, NDF * 8, 4, 2, 1, bias=False), nn.BatchNorm2d(NDF * 8), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(NDF * 8, 1, 4, 1, 0, bias=False), nn.Sigmoid())


# index of each convolution and of the batch norm after it in nn.Sequential, named as libs/dcgan names them
G_CONVS, G_BNS = [0, 3, 6, 9, 12], {1: 0, 4: 1, 7: 2, 10: 3}
D_CONVS, D_BNS = [0, 2, 5, 8, 11], {3: 1, 6: 2, 9: 3}


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(array, dtype=np.float32))


def nhwc(t):
    return t.detach().permute(0, 2, 3, 1).numpy()


def export(prefix, net, convs, bns, suffix=""):
    for i, index in enumerate(convs):
        # Conv2d [out,in,kh,kw] -> [kh,kw,in,out]; ConvTranspose2d [in,out,kh,kw] -> [kh,kw,out,in]: same permutation
        save(f"{prefix}_w{i}{suffix}", net[index].weight.detach().permute(2, 3, 1, 0).numpy())
    for index, layer in bns.items():
        bn = net[index]
        for field, value in (("gamma", bn.weight), ("beta", bn.bias), ("mean", bn.running_mean), ("var", bn.running_var)):
            save(f"{prefix}_bn{layer}_{field}{suffix}", value.detach().numpy())


def randomise(net, bns, generator_):
    with torch.no_grad():
        for index in bns:
            bn = net[index]
            bn.weight.uniform_(0.5, 1.5, generator=generator_)
            bn.bias.uniform_(-0.2, 0.2, generator=generator_)
            bn.running_mean.uniform_(-0.1, 0.1, generator=generator_)
            bn.running_var.uniform_(0.5, 1.5, generator=generator_)


def save_like_the_reference(g):
    """model_G_<n>.pth as the original script writes it: torch.save(model_G.state_dict()), trained on CUDA, so every
    storage is tagged 'cuda:0' (patched here, no GPU needed). The importer must map them to the CPU."""
    original = torch.serialization.location_tag
    torch.serialization.location_tag = lambda storage: "cuda:0"
    try:
        torch.save(g.state_dict(), os.path.join(OUT, "model_G_parity.pth"))
    finally:
        torch.serialization.location_tag = original


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1234)
    rng = torch.Generator().manual_seed(99)
    g, d = generator(), discriminator()
    with torch.no_grad():
        for net in (g, d):
            for m in net:
                if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
                    m.weight.normal_(0.0, 0.05, generator=rng)
    randomise(g, G_BNS, rng)
    randomise(d, D_BNS, rng)
    export("G", g, G_CONVS, G_BNS)
    export("D", d, D_CONVS, D_BNS)
    save_like_the_reference(g)

    z = torch.randn(BATCH, NZ, 1, 1, generator=rng)
    z2 = torch.randn(BATCH, NZ, 1, 1, generator=rng)
    real = torch.rand(BATCH, 3, 96, 96, generator=rng) * 2 - 1
    save("z", nhwc(z))
    save("z2", nhwc(z2))
    save("real", nhwc(real))

    with torch.no_grad():
        g.eval(); d.eval()
        save("G_eval", nhwc(g(z)))
        g.train(); d.train()
        # forward-only copies, so these calls do not touch the running statistics of the nets we train
        g_probe, d_probe = generator(), discriminator()
        g_probe.load_state_dict(g.state_dict()); d_probe.load_state_dict(d.state_dict())
        save("G_train", nhwc(g_probe(z)))
        save("D_real", d_probe(real).view(-1).numpy())

    criterion = nn.BCELoss()
    ones, zeros = torch.ones(BATCH), torch.zeros(BATCH)
    opt_g = torch.optim.Adam(g.parameters(), lr=LR_G, betas=BETAS)
    opt_d = torch.optim.Adam(d.parameters(), lr=LR_D, betas=BETAS)

    # D step: real, then the detached fake, gradients summed, one optimiser step
    opt_d.zero_grad()
    loss_real = criterion(d(real).view(-1), ones)
    loss_real.backward()
    fake = g(z).detach()
    loss_fake = criterion(d(fake).view(-1), zeros)
    loss_fake.backward()
    opt_d.step()
    # G step: fresh noise, D not updated
    opt_g.zero_grad()
    loss_g = criterion(d(g(z2)).view(-1), ones)
    loss_g.backward()
    opt_g.step()

    export("G", g, G_CONVS, G_BNS, "_after")
    export("D", d, D_CONVS, D_BNS, "_after")
    with open(os.path.join(OUT, "parity.json"), "w") as f:
        json.dump({"torch": torch.__version__, "nz": NZ, "ngf": NGF, "ndf": NDF, "batch": BATCH,
                   "lrG": LR_G, "lrD": LR_D, "beta1": BETAS[0], "beta2": BETAS[1],
                   "lossD": loss_real.item() + loss_fake.item(), "lossG": loss_g.item()}, f, indent=2)
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
