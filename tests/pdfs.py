"""Reading PDF exports back in tests: their text (pdfplumber) and their fonts (``pdffonts``,
poppler-utils; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from io import BytesIO

import pdfplumber


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_fonts(content: bytes) -> list[dict]:
    """``pdffonts``'s table: one dict per font with its name, type and ``emb`` column."""
    executable = shutil.which("pdffonts")
    assert executable, "pdffonts is missing: apt-get install poppler-utils"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        output = subprocess.run(
            [executable, handle.name], check=True, capture_output=True, text=True, timeout=30
        ).stdout
    lines = output.splitlines()[2:]
    fonts = []
    for line in lines:
        # name, type (may hold a space: "Type 1", "CID TrueType"), encoding, emb sub uni, id
        parts = line.split()
        fonts.append({"name": parts[0], "line": line, "emb": parts[-5], "sub": parts[-4]})
    return fonts


def assert_fonts_embedded(content: bytes) -> None:
    """Every font of the PDF is embedded (a reader without Chinese fonts still sees the text)."""
    fonts = pdf_fonts(content)
    assert fonts, "the PDF names no font"
    assert all(font["emb"] == "yes" for font in fonts), [font["line"] for font in fonts]
