"""Mutated corpus pages: real pages of ../shared/corpora (read in place, never copied) with line and byte damage."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .generators import SPECIAL_CHARS, cell, corrupt, type_soup
from .sources import Case, Source

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
MAX_CORPUS_PAGE = 48 * 1024  # bigger pages make each case slow without adding shapes
PAGES_PER_CORPUS = 40


@lru_cache(maxsize=1)
def corpus_pages() -> tuple[tuple[str, str, str], ...]:
    """(corpus, docs-relative path, text) for an evenly spread sample of each shared corpus (read, never copied)."""
    found = []
    if not CORPORA.is_dir():
        return ()
    for corpus in sorted(p for p in CORPORA.iterdir() if p.is_dir()):
        files = sorted(p for p in corpus.rglob("*.md") if p.is_file() and p.stat().st_size <= MAX_CORPUS_PAGE)
        step = max(1, len(files) // PAGES_PER_CORPUS)
        for path in files[::step][:PAGES_PER_CORPUS]:
            found.append((corpus.name, path.relative_to(corpus).as_posix(), path.read_text(encoding="utf-8", errors="replace")))
    return tuple(found)


def _table_rows(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith("|") and line.count("|") >= 3 and "---" not in line]


BLOWUP_CHUNKS = ["s.", ":", "a.", "-", "[", "(", "|", "*", "`", "> ", "  - x\n", "\\", "&lt;", "s->", " ", "\n", "x"]


def mutate(src: Source, page: str, max_repeat: int = 2000) -> str:
    """One to four line/character mutations of a page (rarely a long run of one chunk)."""
    lines = page.split("\n")
    for _ in range(src.integer(1, 4)):
        op = src.integer(0, 12) if src.integer(0, 9) == 0 else src.integer(0, 11)
        i = src.integer(0, max(0, len(lines) - 1))
        line = lines[i] if lines else ""
        col = src.integer(0, len(line))
        if op == 0 and lines:
            del lines[i]
        elif op == 1 and lines:
            lines.insert(i, line)
        elif op == 2 and lines:
            j = src.integer(0, len(lines) - 1)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and lines:
            lines[i] = line[:col] + "|" + line[col:]
        elif op == 4 and lines:
            lines[i] = line[:col] + "".join(src.choice(SPECIAL_CHARS) for _ in range(src.integer(1, 3))) + line[col:]
        elif op == 5:
            cut = src.integer(0, len(lines))
            lines = lines[:cut] + ([lines[cut][:col]] if cut < len(lines) else [])
        elif op in (6, 7) and _table_rows(lines):
            row = src.choice(_table_rows(lines))
            cells = lines[row].split("|")
            k = 2 if op == 6 and len(cells) > 3 else src.integer(1, max(1, len(cells) - 2))
            cells[k] = " " + (type_soup(src) if op == 6 else cell(src)) + " "
            lines[row] = "|".join(cells)
        elif op == 8 and lines:
            lines.insert(i, src.choice(["# Fields", "## Fields", "## Values", "## Supported Types", "### Parameters",
                                        "```", "````python", "> ", "- ", "| a | b |", "| --- |", "<!-- x", "-->", "</div>"]))
        elif op == 9 and lines:
            lines[i] = line[:col]  # a half line
        elif op == 10 and len(lines) > 1:
            lines[i:i + 2] = ["".join(lines[i:i + 2])]
        elif op == 11 and lines:
            lines[i] = corrupt(src, line)
        elif op == 12 and lines:
            count = src.choice([10, 100, 1000, max_repeat])
            lines[i] = line[:col] + src.choice(BLOWUP_CHUNKS) * count + line[col:]
    return "\n".join(lines)


def encode(src: Source, page: str) -> bytes:
    """UTF-8, rarely with byte damage (invalid bytes, a cut multi-byte character, CRLF endings)."""
    data = page.encode("utf-8")
    roll = src.integer(0, 39)
    if roll == 0 and data:
        at = src.integer(0, len(data))
        return data[:at] + src.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80"]) + data[at:]
    if roll == 1:
        return data.replace(b"\n", b"\r\n")
    if roll == 2:
        return b"\xef\xbb\xbf" + data
    return data


def mutated_tree(src: Source, max_repeat: int = 2000) -> Case:
    """One to three mutated pages of one corpus at their own paths (the dialect stays detectable)."""
    pages = corpus_pages()
    first = src.integer(0, len(pages) - 1)
    corpus = pages[first][0]
    same = [p for p in pages if p[0] == corpus]
    chosen = [pages[first]] + [src.choice(same) for _ in range(src.integer(0, 2))]
    return {rel: encode(src, mutate(src, page, max_repeat)) for _, rel, page in chosen}
