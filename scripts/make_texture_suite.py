"""Builds anomaly-detection benchmark suites from real texture images in Debian packages.

Run it through scripts/make-texture-suite, which installs the packages and a venv.

Layout written under OUT (default /work/suites), for each suite and texture:

    OUT/<suite>/<texture>/train/good/0000.png ...          normal crops only (for `aedetect fit`)
    OUT/<suite>/<texture>/validation/good/*.png            normal
    OUT/<suite>/<texture>/validation/<defect>/*.png        defective, one folder per defect kind
    OUT/<suite>/<texture>/validation-masks/<defect>/*.png  mask with the same file name as the image:
                                                            8-bit gray, 255 = defect pixel, 0 = normal
    OUT/<suite>/<texture>/test/...  and  test-masks/...    the same, from other crops and seeds
    OUT/<suite>/README.md                                  how the suite was made
    OUT/READY-<suite>                                      empty marker, written last

Suites: tex64 (64x64 RGB), tex256 (256x256 RGB), tex64gray (tex64's images converted to
8-bit luma, without the colour-only defects) and stripes64 (synthetic coloured stripes).
A suite is built in OUT/.<suite>.partial and renamed into place, then its marker is written.

Everything is seeded from (suite, texture, split, kind, index), so the same command gives
the same files.
"""

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass

import numpy as np
from PIL import Image

PK3 = "/usr/share/games/openarena/baseoa/pak4-textures.pk3"
MYPAINT = "/usr/share/mypaint/backgrounds/ramon"
PACKAGES = ["openarena-081-textures", "mypaint-data-extras"]

# name -> (package, file: a member of PK3 or a path, what it looks like)
TEXTURES = {
    "wood": ("openarena-081-textures", "textures/gothic_ceiling/woodceiling1a.jpg",
             "brown wooden planks, ~64 px tall, with grain and knots"),
    "rust": ("openarena-081-textures", "textures/gothic_trim/pitted_rust2.jpg",
             "sharp, pitted dark-brown and orange rust"),
    "plaster": ("openarena-081-textures", "textures/evil8_base/e8crete03_blue.jpg",
                "rough dark-blue plaster / concrete"),
    "grass": ("openarena-081-textures", "textures/czest3ctf/grass_lush.tga",
              "fine green grass blades"),
    "cork": ("mypaint-data-extras", f"{MYPAINT}/HR_Cork.png",
             "orange granular cork board"),
    "paper": ("mypaint-data-extras", f"{MYPAINT}/HR_DecoPaper.png",
              "beige paper with thin dark fibres"),
}

# (name, angle in degrees, stripe width in px, colours): stripes64's synthetic textures
STRIPES = [
    ("vertical2", 0.0, 6.0, [(196, 48, 40), (238, 226, 200)]),
    ("diagonal3", 45.0, 5.0, [(30, 50, 110), (220, 180, 40), (40, 150, 140)]),
    ("horizontal3", 90.0, 4.0, [(60, 120, 50), (235, 235, 225), (120, 60, 140)]),
]

LUMA = np.array([0.299, 0.587, 0.114])


@dataclass(frozen=True)
class Scale:
    """Defect sizes for one image size (ranges are inclusive, in pixels)."""
    patch: tuple
    soft: int
    scratch_width: tuple
    scratch_length: tuple
    region: tuple
    blur_sigma: tuple


SCALES = {
    64: Scale(patch=(8, 16), soft=2, scratch_width=(1, 2), scratch_length=(15, 40),
              region=(8, 16), blur_sigma=(2.0, 3.0)),
    256: Scale(patch=(16, 48), soft=4, scratch_width=(2, 3), scratch_length=(40, 120),
               region=(24, 64), blur_sigma=(4.0, 8.0)),
}


@dataclass(frozen=True)
class Suite:
    name: str
    size: int
    source: str        # "real" or "stripes"
    gray: bool
    defects: tuple
    counts: dict       # train, validation_good, validation_defect, test_good, test_defect


ALL_DEFECTS = ("patch", "scratch", "colour", "hue", "blur")
COUNTS64 = dict(train=300, validation_good=40, validation_defect=20, test_good=60, test_defect=30)
COUNTS256 = dict(train=200, validation_good=20, validation_defect=10, test_good=40, test_defect=20)
SUITES = {
    "tex64": Suite("tex64", 64, "real", False, ALL_DEFECTS, COUNTS64),
    "tex256": Suite("tex256", 256, "real", False, ALL_DEFECTS, COUNTS256),
    "tex64gray": Suite("tex64gray", 64, "real", True, ("patch", "scratch", "blur"), COUNTS64),
    "stripes64": Suite("stripes64", 64, "stripes", False, ALL_DEFECTS, COUNTS64),
}


def rng_for(*key):
    """A generator seeded by a stable hash of the key (never Python's salted hash())."""
    digest = hashlib.sha256("/".join(map(str, key)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


# ---------------------------------------------------------------- sources

def read_source_bytes(path):
    if path.startswith("/"):
        with open(path, "rb") as f:
            return f.read()
    with zipfile.ZipFile(PK3) as z:
        return z.read(path)


def load_source(path):
    return np.asarray(Image.open(io.BytesIO(read_source_bytes(path))).convert("RGB"))


def regions(width, height, size):
    """Where crops of each split may lie: split -> (x0, y0, x1, y1) in the source.

    Train takes the left 2/3. Validation and test take the top and bottom halves of the
    right 1/3 when that is big enough; otherwise both take the right 2/3 (overlapping the
    train region's right half) and differ only by seed.
    """
    cut = 2 * width // 3
    train = (0, 0, cut, height)
    if width - cut >= size and height // 2 >= size:
        return {"train": train, "validation": (cut, 0, width, height // 2),
                "test": (cut, height // 2, width, height)}
    held = (width // 3, 0, width, height)
    return {"train": train, "validation": held, "test": held}


def crop(src, rng, region, h, w, flips=True):
    x0, y0, x1, y1 = region
    y = rng.integers(y0, y1 - h + 1)
    x = rng.integers(x0, x1 - w + 1)
    out = src[y:y + h, x:x + w]
    if flips and rng.random() < 0.5:
        out = out[:, ::-1]
    if flips and rng.random() < 0.5:
        out = out[::-1]
    return np.ascontiguousarray(out)


class RealTexture:
    def __init__(self, name, size):
        self.name = name
        self.package, self.path, self.looks = TEXTURES[name]
        self.src = load_source(self.path)
        self.size = size
        self.regions = regions(self.src.shape[1], self.src.shape[0], size)

    def normal(self, rng, split):
        return crop(self.src, rng, self.regions[split], self.size, self.size)

    def piece(self, rng, split, h, w):
        return crop(self.src, rng, self.regions[split], h, w)


class StripeTexture:
    def __init__(self, spec, size):
        self.name, self.angle, self.width, colours = spec
        self.colours = np.array(colours, dtype=np.float64)
        self.size = size

    def render(self, rng, n):
        """Stripes with a random phase and +-7% width, 4x4 supersampled, plus faint noise."""
        width = self.width * rng.uniform(0.93, 1.07)
        phase = rng.uniform(0, len(self.colours))
        sub = (np.arange(n * 4) + 0.5) / 4
        yy, xx = np.meshgrid(sub, sub, indexing="ij")
        a = np.deg2rad(self.angle)
        u = xx * np.cos(a) + yy * np.sin(a)
        idx = np.floor(u / width + phase).astype(int) % len(self.colours)
        img = self.colours[idx].reshape(n, 4, n, 4, 3).mean(axis=(1, 3))
        img += rng.normal(0, 2.0, img.shape)
        return to_u8(img)

    def normal(self, rng, split):
        return self.render(rng, self.size)

    def piece(self, rng, split, h, w):
        return crop(self.render(rng, self.size), rng, (0, 0, self.size, self.size), h, w, flips=False)


# ---------------------------------------------------------------- image helpers

def to_u8(a):
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def luma(img):
    return img.astype(np.float64) @ LUMA


def gaussian_blur(img, sigma):
    """Separable Gaussian blur with reflected borders (numpy only, so it never depends on Pillow)."""
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    out = img.astype(np.float64)
    for axis in (0, 1):
        pad = [(0, 0)] * out.ndim
        pad[axis] = (r, r)
        p = np.pad(out, pad, mode="reflect")
        n = out.shape[axis]
        out = sum(k[i] * np.take(p, np.arange(i, i + n), axis=axis) for i in range(2 * r + 1))
    return out


def region_mask(rng, size, lo, hi):
    """A rectangle or ellipse of random size in [lo, hi] at a random position inside the image."""
    h, w = rng.integers(lo, hi + 1, 2)
    y, x = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
    mask = np.zeros((size, size), bool)
    if rng.random() < 0.5:
        mask[y:y + h, x:x + w] = True
    else:
        yy, xx = np.mgrid[:size, :size]
        cy, cx = y + (h - 1) / 2, x + (w - 1) / 2
        mask = ((yy - cy) / (h / 2)) ** 2 + ((xx - cx) / (w / 2)) ** 2 <= 1.0
    return mask


def segment_mask(size, p0, p1, width):
    """Pixels whose centre is within width/2 of the segment p0-p1 (points are (x, y))."""
    yy, xx = np.mgrid[:size, :size].astype(np.float64)
    (x0, y0), (x1, y1) = p0, p1
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xx - x0) * dx + (yy - y0) * dy) / (dx * dx + dy * dy), 0, 1)
    dist = np.hypot(xx - (x0 + t * dx), yy - (y0 + t * dy))
    return dist < width / 2


def rotate_hue(img, degrees):
    """Rotates the chroma (BT.601 Cb/Cr) by `degrees`, keeping each pixel's luma."""
    f = img.astype(np.float64)
    y = f @ LUMA
    cb, cr = 0.564 * (f[..., 2] - y), 0.713 * (f[..., 0] - y)
    a = np.deg2rad(degrees)
    cb, cr = cb * np.cos(a) - cr * np.sin(a), cb * np.sin(a) + cr * np.cos(a)
    r, b = y + 1.403 * cr, y + 1.773 * cb
    g = (y - 0.299 * r - 0.114 * b) / 0.587
    rgb = np.clip(np.stack([r, g, b], axis=-1), 0, 255)
    # Clipping changed the luma: shift all channels back to it, clip again, and fix what is left
    # exactly by moving towards white (luma too low) or scaling towards black (too high).
    rgb = np.clip(rgb + (y - rgb @ LUMA)[..., None], 0, 255)
    yc = rgb @ LUMA
    up = (yc < y)[..., None]
    towards_white = rgb + ((y - yc) / np.maximum(255 - yc, 1e-9))[..., None] * (255 - rgb)
    towards_black = rgb * (y / np.maximum(yc, 1e-9))[..., None]
    return to_u8(np.where(up, towards_white, towards_black))


def change(before, after, mask):
    """Mean absolute change per channel inside the mask."""
    return np.abs(after.astype(np.int16) - before.astype(np.int16))[mask].mean()


# ---------------------------------------------------------------- defects
# Each takes (img, rng, scale, foreign) and returns (defective image, bool mask).
# `foreign(rng, h, w)` gives an h x w piece of another texture of the suite.

def defect_patch(img, rng, sc, foreign):
    size = img.shape[0]
    h, w = rng.integers(sc.patch[0], sc.patch[1] + 1, 2)
    y, x = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
    alpha = np.ones((h, w))
    if rng.random() < 0.5:  # soft edge: a linear ramp over the outer `soft` pixels
        d = np.minimum.outer(np.minimum(np.arange(h), np.arange(h)[::-1]),
                             np.minimum(np.arange(w), np.arange(w)[::-1]))
        alpha = np.minimum(1.0, (d + 1) / (sc.soft + 1))
    out = img.astype(np.float64)
    window = out[y:y + h, x:x + w]
    out[y:y + h, x:x + w] = alpha[..., None] * foreign(rng, h, w) + (1 - alpha[..., None]) * window
    mask = np.zeros((size, size), bool)
    mask[y:y + h, x:x + w] = True
    return to_u8(out), mask


def defect_scratch(img, rng, sc, foreign):
    size = img.shape[0]
    length = rng.uniform(sc.scratch_length[0], sc.scratch_length[1])
    width = rng.integers(sc.scratch_width[0], sc.scratch_width[1] + 1)
    angle = rng.uniform(0, np.pi)
    hx, hy = length / 2 * np.cos(angle), length / 2 * np.sin(angle)
    m = 1 + width
    cx = rng.uniform(m + abs(hx), size - 1 - m - abs(hx))
    cy = rng.uniform(m + abs(hy), size - 1 - m - abs(hy))
    mask = segment_mask(size, (cx - hx, cy - hy), (cx + hx, cy + hy), width)
    # The line takes the local colour (a blur of the image) half desaturated, shifted lighter or
    # darker: a uniform line, so that on grass or fibres it does not pass for one more blade.
    local = gaussian_blur(img, 2.0 * width)
    local = 0.5 * local + 0.5 * (local @ LUMA)[..., None]
    level = luma(img)[mask].mean()
    sign = 1 if level < 90 else -1 if level > 165 else rng.choice([-1, 1])
    out = img.astype(np.float64)
    out[mask] = local[mask] + sign * rng.uniform(35, 60)
    return to_u8(out), mask


PERMUTATIONS = [(0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]


def defect_colour(img, rng, sc, foreign):
    mask = region_mask(rng, img.shape[0], *sc.region)
    out = img.copy()
    out[mask] = img[mask][:, list(PERMUTATIONS[rng.integers(len(PERMUTATIONS))])]
    return out, mask


def defect_hue(img, rng, sc, foreign):
    mask = region_mask(rng, img.shape[0], *sc.region)
    out = img.copy()
    out[mask] = rotate_hue(img[mask], rng.uniform(90, 180) * rng.choice([-1, 1]))
    return out, mask


def defect_blur(img, rng, sc, foreign):
    mask = region_mask(rng, img.shape[0], *sc.region)
    out = img.copy()
    out[mask] = to_u8(gaussian_blur(img, rng.uniform(*sc.blur_sigma)))[mask]
    return out, mask


DEFECTS = {"patch": defect_patch, "scratch": defect_scratch, "colour": defect_colour,
           "hue": defect_hue, "blur": defect_blur}
# A defect whose mean change inside its mask is below this is redrawn (up to 20 times, then
# the most visible draw is kept): a permutation of a grey region or a blur of a smooth one
# would otherwise be a defect nobody could see.
MIN_CHANGE = {"patch": 12.0, "scratch": 20.0, "colour": 10.0, "hue": 6.0, "blur": 5.0}

DEFECT_TEXT = {
    "patch": "a {patch} px rectangle (each side) cut from ANOTHER texture of the suite (same split), "
             "pasted at a random position; half of them with a soft edge (linear ramp over the outer "
             "{soft} px). Mask: the whole rectangle.",
    "scratch": "a straight line {scratch_width} px wide and {scratch_length} px long at a random angle, "
               "painted in the local colour (the image blurred with sigma 2 x width, half desaturated) "
               "shifted by 35-60 levels in all channels: lighter where the line's mean luma < 90, darker "
               "where > 165, otherwise either. Mask: the line pixels (centre within width/2 of the segment).",
    "colour": "a rectangle or ellipse ({region} px each side) whose RGB channels are permuted by one of "
              "the 5 non-identity permutations. Mask: the region.",
    "hue": "a rectangle or ellipse ({region} px) whose hue is rotated by 90-180 degrees (either way) "
           "in the BT.601 Cb/Cr plane, then clipped and brought back to each pixel's luma "
           "0.299R+0.587G+0.114B (equal shift of the channels, clip, then an exact move towards "
           "white or black), so the luma changes only by rounding (< 1 level). Mask: the region.",
    "blur": "a rectangle or ellipse ({region} px) replaced by a Gaussian blur (sigma {blur_sigma} px) "
            "of the image. Mask: the region.",
}


def make_defect(kind, img, rng, sc, foreign):
    best = None
    for _ in range(20):
        out, mask = DEFECTS[kind](img, rng, sc, foreign)
        score = change(img, out, mask)
        if best is None or score > best[0]:
            best = (score, out, mask)
        if score >= MIN_CHANGE[kind]:
            break
    return best[1], best[2], best[0]


# ---------------------------------------------------------------- building a suite

def textures_for(suite):
    if suite.source == "stripes":
        return [StripeTexture(spec, suite.size) for spec in STRIPES]
    return [RealTexture(name, suite.size) for name in TEXTURES]


def seed_suite(suite):
    """tex64gray converts tex64's images, so it draws them with tex64's seeds."""
    return "tex64" if suite.name == "tex64gray" else suite.name


def foreign_for(textures, index, split):
    others = [t for i, t in enumerate(textures) if i != index]

    def foreign(rng, h, w):
        return others[rng.integers(len(others))].piece(rng, split, h, w)
    return foreign


def items(suite, textures, t_index, split):
    """Yields (folder, file name, image, None or (mask, change)) for one texture and split."""
    tex, c = textures[t_index], suite.counts
    key = (seed_suite(suite), tex.name, split)
    n_good = c["train"] if split == "train" else c[f"{split}_good"]
    for i in range(n_good):
        yield "good", f"{i:04d}.png", tex.normal(rng_for(*key, "good", i), split), None
    if split == "train":
        return
    sc, foreign = SCALES[suite.size], foreign_for(textures, t_index, split)
    for kind in suite.defects:
        for i in range(c[f"{split}_defect"]):
            rng = rng_for(*key, kind, i)
            img, mask, score = make_defect(kind, tex.normal(rng, split), rng, sc, foreign)
            yield kind, f"{i:04d}.png", img, (mask, score)


def save_png(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)


def write_texture(suite, textures, t_index, root, stats):
    tex = textures[t_index]
    for split in ("train", "validation", "test"):
        for kind, fname, img, defect in items(suite, textures, t_index, split):
            if suite.gray:
                img = np.asarray(Image.fromarray(img).convert("L"))
            save_png(os.path.join(root, tex.name, split, kind, fname), img)
            if defect is not None:
                mask, score = defect
                save_png(os.path.join(root, tex.name, f"{split}-masks", kind, fname),
                         mask.astype(np.uint8) * 255)
                stats.setdefault((tex.name, kind), []).append((mask.mean(), score))


def build_suite(suite, out):
    start = time.time()
    marker = os.path.join(out, f"READY-{suite.name}")
    final, partial = os.path.join(out, suite.name), os.path.join(out, f".{suite.name}.partial")
    if os.path.exists(marker):
        os.remove(marker)
    shutil.rmtree(partial, ignore_errors=True)
    textures = textures_for(suite)
    stats = {}
    for t_index in range(len(textures)):
        write_texture(suite, textures, t_index, partial, stats)
    with open(os.path.join(partial, "README.md"), "w") as f:
        f.write(readme(suite, textures, stats))
    shutil.rmtree(final, ignore_errors=True)
    os.replace(partial, final)
    open(marker, "w").close()
    print(f"{suite.name}: {time.time() - start:.1f} s -> {final}", flush=True)


# ---------------------------------------------------------------- README

def package_version(name):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def readme_sources(suite, textures):
    if suite.source == "stripes":
        lines = ["Synthetic, no source files. Each image: stripes of 2-3 flat colours at a fixed angle, "
                 "random phase, stripe width scaled by U(0.93, 1.07), 4x4 supersampled edges, plus "
                 "Gaussian noise sigma 2. No flips.", "",
                 "| texture | angle | stripe width (px) | colours (RGB) |", "| --- | --- | --- | --- |"]
        lines += [f"| {t.name} | {t.angle:g} deg | {t.width:g} | "
                  f"{', '.join(str(tuple(int(v) for v in c)) for c in t.colours)} |" for t in textures]
        return lines
    versions = ", ".join(f"{p} {package_version(p)}" for p in PACKAGES)
    lines = [f"Debian packages: {versions}. OpenArena files are members of `{PK3}`.", "",
             "| texture | package | file | source size | sha256 (first 16) | looks like |",
             "| --- | --- | --- | --- | --- | --- |"]
    for t in textures:
        sha = hashlib.sha256(read_source_bytes(t.path)).hexdigest()[:16]
        lines.append(f"| {t.name} | {t.package} | `{t.path}` | {t.src.shape[1]}x{t.src.shape[0]} | "
                     f"{sha} | {t.looks} |")
    r = textures[0].regions
    lines += ["", "Normal images are crops at the source's own resolution (no scaling), each flipped "
              "horizontally and/or vertically with probability 1/2. Crop regions (x0, y0, x1, y1) "
              f"for a {textures[0].src.shape[1]}x{textures[0].src.shape[0]} source: train {r['train']}, "
              f"validation {r['validation']}, test {r['test']}."]
    if r["validation"] == r["test"]:
        lines.append("The sources are too small for disjoint 256-px crops: validation and test crops come "
                     "from the right 2/3 of the source, so each shares between 1/3 and 2/3 of its columns "
                     "with the train region (the left 2/3); validation and test differ by seed only.")
    else:
        lines.append("Train, validation and test regions are disjoint: train the left 2/3, validation the "
                     "top half of the right 1/3, test its bottom half.")
    return lines


def readme(suite, textures, stats):
    c, sc = suite.counts, SCALES[suite.size]
    params = {k: "-".join(str(v) for v in val) if isinstance(val, tuple) else str(val)
              for k, val in sc.__dict__.items()}
    lines = [f"# {suite.name}", "",
             f"Made by `scripts/make-texture-suite` (scripts/make_texture_suite.py) of aedetect. "
             f"{suite.size}x{suite.size} "
             + ("8-bit grayscale PNGs: tex64's images (same crops, seeds and defects) converted to luma "
                "L = 0.299R + 0.587G + 0.114B (Pillow's convert('L')); the colour-only defects are left out."
                if suite.gray else "RGB PNGs."), "",
             "## Layout", "",
             "`<texture>/train/good/` normal images only; `<texture>/{validation,test}/good/` normal; "
             "`<texture>/{validation,test}/<defect>/` defective; `<texture>/{validation,test}-masks/<defect>/` "
             "a mask per defective image with the same file name (8-bit gray, 255 = defect, 0 = normal).",
             "", "## Sources", ""]
    lines += readme_sources(suite, textures)
    n_def = len(suite.defects)
    lines += ["", "## Counts (per texture)", "",
              "| split | good | per defect | total |", "| --- | --- | --- | --- |",
              f"| train | {c['train']} | - | {c['train']} |",
              f"| validation | {c['validation_good']} | {c['validation_defect']} x {n_def} | "
              f"{c['validation_good'] + n_def * c['validation_defect']} |",
              f"| test | {c['test_good']} | {c['test_defect']} x {n_def} | "
              f"{c['test_good'] + n_def * c['test_defect']} |", "",
              f"Textures: {', '.join(t.name for t in textures)}. Defects: {', '.join(suite.defects)}.", "",
              "## Defects", "",
              "Each defective image is a fresh normal crop (its own seed) with exactly one defect. "
              "A draw whose mean absolute change inside its mask is below "
              + ", ".join(f"{k} {MIN_CHANGE[k]:g}" for k in suite.defects)
              + " levels (per channel, in the RGB image) is redrawn, up to 20 times.", ""]
    lines += [f"- `{k}`: " + DEFECT_TEXT[k].format(**params) for k in suite.defects]
    lines += ["", "Per texture and defect, over validation and test: mean mask area (fraction of the "
              "image) / mean absolute change inside the mask (levels per channel, RGB) / how many "
              "defects stayed below the threshold after 20 draws:", "",
              "| texture | " + " | ".join(suite.defects) + " |",
              "| --- |" + " --- |" * n_def]
    for t in textures:
        cells = []
        for k in suite.defects:
            area, score = np.array(stats[(t.name, k)]).T
            cells.append(f"{area.mean():.3f} / {score.mean():.1f} / {(score < MIN_CHANGE[k]).sum()}")
        lines.append(f"| {t.name} | " + " | ".join(cells) + " |")
    lines += ["", "## Seeds", "",
              "Every image is drawn from numpy's default_rng seeded with sha256 of "
              f"\"{seed_suite(suite)}/<texture>/<split>/<good|defect>/<index>\", so rebuilding gives the "
              "same files (with the same Debian packages and the Pillow/numpy versions the script pins).", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", default="/work/suites", help="output folder (default /work/suites)")
    ap.add_argument("--only", default=",".join(SUITES),
                    help="comma-separated suites, built in this order (default: %(default)s)")
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        ap.error(f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(SUITES)}")
    os.makedirs(args.out, exist_ok=True)
    for name in names:
        build_suite(SUITES[name], args.out)


if __name__ == "__main__":
    sys.exit(main())
