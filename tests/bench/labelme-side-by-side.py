#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Limner and labelme 5.1.1 (Debian's labelme package) side by side, in one run.

  (a) first frame of a large image: limner-bench tiles (open, pick the level,
      every visible tile decoded) against what labelme does in loadFile() to
      show an image: LabelFile.load_image_file() (PIL decode, EXIF rotation,
      re-encode), QImage.fromData() and QPixmap.fromImage(), on the same JPEGs.
  (b) opening a labelme JSON file with 5,000 polygons: labelme's LabelFile()
      (parse, load the image it names, check its size) against
      `limner-cli import-annotations --format labelme` into a project that
      already holds the image.
  (c) COCO from 1,000 labelme files: labelme's own labelme2coco.py example
      (labelme-examples) against limner-cli init + import + import-annotations
      + export --format coco.

Each figure is the median of --runs runs (5 by default); labelme and Limner
runs alternate so that both see the same machine load. Run it through
build-aux/bench-labelme.sh, which installs the packages and builds first.
"""

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = "/usr/bin/python3"
LABELME2COCO = "/usr/share/doc/labelme-examples/examples/instance_segmentation/labelme2coco.py"

# labelme's path from a file name to a pixmap on the canvas (app.py loadFile),
# timed from inside the process, as limner-bench times from inside its own.
LABELME_SHOW = r"""
import os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qtpy import QtGui, QtWidgets
import labelme
app = QtWidgets.QApplication([])
t0 = time.perf_counter()
data = labelme.LabelFile.load_image_file(sys.argv[1])
image = QtGui.QImage.fromData(data)
assert not image.isNull(), "labelme could not load " + sys.argv[1]
pixmap = QtGui.QPixmap.fromImage(image)
t1 = time.perf_counter()
print((t1 - t0) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

LABELME_OPEN_JSON = r"""
import sys, time
import labelme
t0 = time.perf_counter()
f = labelme.LabelFile(sys.argv[1])
t1 = time.perf_counter()
assert len(f.shapes) == int(sys.argv[2]), "labelme read %d shapes" % len(f.shapes)
print((t1 - t0) * 1000)
"""

# labelme2coco.py needs pycocotools, which Debian 12 does not package; this
# stand-in keeps the mask as it is and counts it with numpy, which costs no
# more than pycocotools' RLE in C.
PYCOCOTOOLS_SHIM = r"""
import numpy as np

def encode(mask):
    return mask

def area(mask):
    return int(mask.sum())

def toBbox(mask):
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return np.zeros(4)
    return np.array([xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1], dtype=float)
"""

LABELS = ["car", "person", "bicycle", "sign", "tree"]


def polygon(rng, cx, cy, r, n):
    pts = []
    for i in range(n):
        a = 2 * math.pi * i / n
        rr = r * (0.6 + 0.4 * rng.random())
        pts.append([round(cx + rr * math.cos(a), 2), round(cy + rr * math.sin(a), 2)])
    return pts


def labelme_doc(rng, image_name, width, height, n_shapes, n_vertices, radius):
    shapes = []
    for _ in range(n_shapes):
        cx = rng.uniform(radius, width - radius)
        cy = rng.uniform(radius, height - radius)
        shapes.append({"label": rng.choice(LABELS), "points": polygon(rng, cx, cy, radius, n_vertices),
                       "group_id": None, "shape_type": "polygon", "flags": {}})
    return {"version": "5.1.1", "flags": {}, "shapes": shapes, "imagePath": image_name,
            "imageData": None, "imageHeight": height, "imageWidth": width}


def write_jpeg(path, width, height, seed):
    from PIL import Image
    import numpy as np
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * 255 // max(1, width - 1)), (y * 255 // max(1, height - 1)),
                     ((x + y) * 127 // max(1, width + height))], axis=-1)
    noise = rng.integers(0, 24, size=(height, width, 3))
    Image.fromarray((base + noise).clip(0, 255).astype("uint8")).save(path, quality=85)


def timed(cmd, **kw):
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
    return (time.perf_counter() - t0) * 1000


def child(code, *args):
    out = subprocess.run([PYTHON, "-c", code, *args], check=True, capture_output=True, text=True,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    return [float(v) for v in out.split()]


def med(values):
    return statistics.median(values)


def report(name, labelme_ms, limner_ms, note=""):
    lm, li = med(labelme_ms), med(limner_ms)
    print(f"{name:<44} labelme {lm:9.1f} ms   Limner {li:9.1f} ms   labelme/Limner {lm / li:6.1f}x {note}")
    sys.stdout.flush()
    return lm, li


def bench_first_frame(args, bench_dir):
    # limner-bench makes the inputs (and reuses them) and prints medians itself.
    out = subprocess.run([os.path.join(args.build, "tests", "bench", "limner-bench"), "tiles",
                          "--runs", str(args.runs), "--dir", bench_dir],
                         check=True, capture_output=True, text=True).stdout
    limner = {}
    for line in out.splitlines():
        if "complete" in line:
            name = line.split(" complete")[0].strip()
            ms = float(line.split("complete")[1].split("ms")[0])
            limner[name] = ms
    # The same files limner-bench opened; its "next image" row is the
    # latency of each 24 MP photo in turn.
    cases = [("100 MP baseline JPEG, fit", "baseline-10000.jpg"),
             ("next image, 24 MP JPEG, fit", "photo-24mp-0.jpg")]
    for key, name in cases:
        if key not in limner:
            sys.exit(f"limner-bench printed no “{key}” row")
        runs = [child(LABELME_SHOW, os.path.join(bench_dir, name)) for _ in range(args.runs)]
        report("(a) " + key, [r[0] for r in runs], [limner[key]],
               f"(labelme peak RSS {med([r[1] for r in runs]):.0f} MB)")


def bench_open_json(args, work):
    rng = random.Random(1)
    src = os.path.join(work, "json5000")
    os.makedirs(src, exist_ok=True)
    image = os.path.join(src, "street.jpg")
    write_jpeg(image, 4000, 3000, 1)
    doc = labelme_doc(rng, "street.jpg", 4000, 3000, 5000, 20, 30)
    path = os.path.join(src, "street.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    cli = os.path.join(args.build, "src", "cli", "limner-cli")
    template = os.path.join(work, "json5000-project")
    subprocess.run([cli, "init", template], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cli, "import", template, image], check=True, stdout=subprocess.DEVNULL)
    for label in LABELS:
        subprocess.run([cli, "labels", template, "add", label], check=True, stdout=subprocess.DEVNULL)
    labelme_ms, limner_ms = [], []
    for i in range(args.runs):
        labelme_ms.append(child(LABELME_OPEN_JSON, path, "5000")[0])
        project = os.path.join(work, f"json5000-run{i}")
        shutil.copytree(template, project)
        limner_ms.append(timed([cli, "import-annotations", project, "--format", "labelme", path]))
        shapes = json.loads(subprocess.run([cli, "info", project, "--json"], check=True,
                                           capture_output=True, text=True).stdout)["shapes"]
        assert shapes == 5000, f"Limner imported {shapes} shapes"
        shutil.rmtree(project)
    report("(b) labelme JSON, 5,000 polygons of 20 vertices", labelme_ms, limner_ms)


def bench_coco(args, work):
    rng = random.Random(2)
    src = os.path.join(work, "coco-src")
    os.makedirs(src, exist_ok=True)
    for i in range(args.files):
        name = f"img{i:05d}.jpg"
        write_jpeg(os.path.join(src, name), 640, 480, 100 + i)
        with open(os.path.join(src, f"img{i:05d}.json"), "w") as f:
            json.dump(labelme_doc(rng, name, 640, 480, 10, 12, 40), f)
    labels_txt = os.path.join(work, "labels.txt")
    with open(labels_txt, "w") as f:
        f.write("__ignore__\n" + "\n".join(LABELS) + "\n")
    shim = os.path.join(work, "shim", "pycocotools")
    os.makedirs(shim, exist_ok=True)
    open(os.path.join(shim, "__init__.py"), "w").close()
    with open(os.path.join(shim, "mask.py"), "w") as f:
        f.write(PYCOCOTOOLS_SHIM)
    env = dict(os.environ, PYTHONPATH=os.path.dirname(shim))
    cli = os.path.join(args.build, "src", "cli", "limner-cli")
    labelme_ms, limner_ms, limner_export_ms = [], [], []
    for i in range(args.runs):
        out = os.path.join(work, f"labelme-coco{i}")
        labelme_ms.append(timed([PYTHON, LABELME2COCO, src, out, "--labels", labels_txt, "--noviz"], env=env))
        with open(os.path.join(out, "annotations.json")) as f:
            n = len(json.load(f)["annotations"])
        assert n == 10 * args.files, f"labelme2coco wrote {n} annotations"
        shutil.rmtree(out)

        project = os.path.join(work, f"limner-coco{i}")
        out = os.path.join(work, f"limner-coco-out{i}")
        total = timed([cli, "init", project])
        total += timed([cli, "import", project, src])
        total += timed([cli, "import-annotations", project, "--format", "labelme", "--create-labels", src])
        export = timed([cli, "export", project, "--format", "coco", "--out", out], stderr=subprocess.DEVNULL)
        limner_ms.append(total + export)
        limner_export_ms.append(export)
        n = 0
        for root, _, files in os.walk(out):
            for name in files:
                if name.endswith(".json") and name != "manifest.json":
                    with open(os.path.join(root, name)) as f:
                        n += len(json.load(f).get("annotations", []))
        assert n == 10 * args.files, f"Limner exported {n} annotations"
        shutil.rmtree(project)
        shutil.rmtree(out)
    report(f"(c) COCO from {args.files} labelme files", labelme_ms, limner_ms,
           f"(Limner export step alone {med(limner_export_ms):.1f} ms)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "..", "build"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--bench-dir", default="/tmp/limner-bench")
    parser.add_argument("--only", choices=["a", "b", "c"])
    args = parser.parse_args()
    args.build = os.path.abspath(args.build)
    import labelme
    print(f"labelme {labelme.__version__}, {args.runs} runs each, medians")
    with tempfile.TemporaryDirectory(prefix="limner-labelme-") as work:
        if args.only in (None, "a"):
            bench_first_frame(args, args.bench_dir)
        if args.only in (None, "b"):
            bench_open_json(args, work)
        if args.only in (None, "c"):
            bench_coco(args, work)


if __name__ == "__main__":
    main()
