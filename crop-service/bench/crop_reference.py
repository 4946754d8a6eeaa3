#!/usr/bin/env python3
"""The reference crop (seed-model.md section 1) in Python, timed on the same files as CropBenchmark.java.

usage: crop_reference.py CASCADE IMAGE... [--rounds N]
Bytes are read once; each round decodes, detects, crops, resizes and PNG-encodes every image, as the service does.
"""
import sys
import time

import cv2
import numpy as np


def main():
    args = sys.argv[1:]
    rounds = 40
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i:i + 2]
    cascade = cv2.CascadeClassifier(args[0])
    images = [np.frombuffer(open(p, "rb").read(), np.uint8) for p in args[1:]]

    def crop_all():
        faces = 0
        for data in images:
            image = cv2.imdecode(data, cv2.IMREAD_COLOR)
            grey = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
            for (x, y, w, h) in cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(32, 32)):
                face = cv2.resize(image[y:y + h, x:x + w], (96, 96))
                ok, png = cv2.imencode(".png", face)
                faces += 1
        return faces

    for _ in range(3):
        crop_all()
    start = time.perf_counter()
    faces = sum(crop_all() for _ in range(rounds))
    seconds = time.perf_counter() - start
    n = rounds * len(images)
    print(f"python opencv {cv2.__version__} threads={cv2.getNumThreads()}: {n} images, {faces} faces in "
          f"{seconds:.2f} s = {n / seconds:.1f} images/s")


if __name__ == "__main__":
    main()
