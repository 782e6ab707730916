"""The app's icons, drawn with Pillow: a white map pin with a dome on the app's green.

Drawn once per process and size; nothing binary is kept in the repository.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw

GREEN = (10, 104, 71)
WHITE = (255, 255, 255)
SAND = (232, 197, 120)

SIZES = {
    "icon-192": (192, False),
    "icon-512": (512, False),
    "maskable-512": (512, True),
    "apple-touch": (180, False),
    "favicon": (32, False),
}


@lru_cache(maxsize=8)
def icon_png(name: str) -> bytes:
    size, maskable = SIZES[name]
    scale = 4  # drawn large, then reduced: smooth edges without anti-aliasing primitives
    n = size * scale
    img = Image.new("RGB", (n, n), GREEN)
    draw = ImageDraw.Draw(img)
    # Maskable icons keep the drawing inside the central 80% safe zone.
    k = 0.62 if maskable else 0.78
    pin_w = n * 0.5 * k
    cx, top = n / 2, n * (0.5 - 0.42 * k)
    r = pin_w / 2
    cy = top + r
    draw.ellipse((cx - r, top, cx + r, top + 2 * r), fill=WHITE)
    tip = top + 2 * r * 1.55
    draw.polygon(
        [(cx - r * 0.86, cy + r * 0.5), (cx + r * 0.86, cy + r * 0.5), (cx, tip)], fill=WHITE
    )
    # A dome with its finial, for a municipality's building, inside the pin's head.
    d = r * 0.52
    base = cy + d * 0.75
    draw.pieslice((cx - d, base - d * 1.6, cx + d, base + d * 0.4), 180, 360, fill=GREEN)
    draw.rectangle((cx - d, base - d * 0.6, cx + d, base + d * 0.25), fill=GREEN)
    draw.rectangle((cx - d * 0.08, base - d * 1.95, cx + d * 0.08, base - d * 1.5), fill=GREEN)
    draw.ellipse((cx - d * 0.2, base - d * 2.2, cx + d * 0.2, base - d * 1.8), fill=SAND)
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    # Three colours and their anti-aliased edges fit a 32-colour palette: a few KB each.
    small = img.quantize(colors=32, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()
