"""The report's chart — items per topic per week, stacked bars — as a PNG drawn with zlib
and struct: a Word document needs a raster image, and a plotting library would weigh more
than the whole product for one bar chart. Numbers (axis, dates) use a 3x5 pixel font; the
legend is written as text next to the image by the document, in the reader's language.
"""
from __future__ import annotations

import struct
import zlib

from veille.catalogue.chart import colour_index

# The same colours as the catalogue's SVG chart, so a topic looks the same everywhere.
COLOURS = ((0x25, 0x63, 0xEB), (0xD9, 0x77, 0x06), (0x05, 0x96, 0x69), (0xDC, 0x26, 0x26),
           (0x7C, 0x3A, 0xED), (0x08, 0x91, 0xB2), (0xBE, 0x18, 0x5D), (0x4B, 0x55, 0x63))
COLOUR_HEX = tuple("%02X%02X%02X" % c for c in COLOURS)
WHITE, INK, GRID = (255, 255, 255), (0x37, 0x41, 0x51), (0xE5, 0xE7, 0xEB)
# 3x5 glyphs, rows top to bottom, bits left to right
GLYPHS = {"0": (7, 5, 5, 5, 7), "1": (2, 6, 2, 2, 7), "2": (7, 1, 7, 4, 7), "3": (7, 1, 7, 1, 7),
          "4": (5, 5, 7, 1, 1), "5": (7, 4, 7, 1, 7), "6": (7, 4, 7, 5, 7), "7": (7, 1, 1, 1, 1),
          "8": (7, 5, 7, 5, 7), "9": (7, 5, 7, 1, 7), "/": (1, 1, 2, 4, 4), "-": (0, 0, 7, 0, 0)}


class Canvas:
    """An RGB pixel buffer with the three drawing operations the chart needs."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, colour: tuple[int, int, int]) -> None:
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0:
            return
        row = bytes(colour) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start:start + len(row)] = row

    def text(self, x: int, y: int, text: str, colour=INK, scale: int = 2, anchor: str = "left") -> None:
        width = (4 * len(text) - 1) * scale
        x = x - width // 2 if anchor == "middle" else x - width if anchor == "end" else x
        for k, ch in enumerate(text):
            for r, bits in enumerate(GLYPHS.get(ch, (0, 0, 0, 0, 0))):
                for c in range(3):
                    if bits & (4 >> c):
                        self.rect(x + (4 * k + c) * scale, y + r * scale, scale, scale, colour)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(self.pixels[y * self.width * 3:(y + 1) * self.width * 3])
                       for y in range(self.height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def weekly_bars_png(rows: list[dict], weeks: list[str], topics: list[str], height: int = 300) -> bytes:
    """rows: {"topic", "week" (Monday, YYYY-MM-DD), "n"}; one stacked bar per week, the
    topics in the order given, each in its taxonomy colour (chart.colour_index)."""
    counts = {(r["topic"], r["week"]): r["n"] for r in rows}
    totals = [sum(counts.get((t, w), 0) for t in topics) for w in weeks]
    top = max(totals + [1])
    step = max(18, min(60, 840 // max(1, len(weeks))))
    left, bottom, margin = 44, 26, 16
    width = left + step * len(weeks) + margin
    canvas = Canvas(max(width, 200), height)
    plot_h = height - bottom - margin
    for frac in (0, 0.5, 1):
        y = margin + round(plot_h * (1 - frac))
        canvas.rect(left, y, step * len(weeks), 1, GRID)
        canvas.text(left - 6, y - 5, str(round(top * frac)), anchor="end")
    bar_w = max(4, round(step * 0.7))
    label_every = max(1, -(-28 // step))  # dates 28 px wide must not overlap
    for i, week in enumerate(weeks):
        x = left + i * step + (step - bar_w) // 2
        y = margin + plot_h
        for topic in topics:
            n = counts.get((topic, week), 0)
            if n:
                h = max(1, round(plot_h * n / top))
                y -= h
                canvas.rect(x, y, bar_w, h, COLOURS[colour_index(topic) % len(COLOURS)])
        if i % label_every == 0:
            canvas.text(x + bar_w // 2, margin + plot_h + 8, f"{week[8:10]}/{week[5:7]}", anchor="middle")
    canvas.rect(left, margin + plot_h, step * len(weeks), 1, INK)
    return canvas.png()
