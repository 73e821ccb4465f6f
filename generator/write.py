"""Write a generated tree atomically, with a manifest of what docs2sdk wrote.

The new tree is built in a temporary folder beside OUT and swapped in with two renames.
Files whose bytes did not change are hard-linked (untouched: same inode and mtime); files
docs2sdk did not write (not in the manifest) are carried over, never deleted; files it wrote
before and no longer generates are dropped. A non-empty OUT without a manifest is refused
unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

MANIFEST = ".docs2sdk-manifest.json"


class WriteError(Exception):
    """OUT cannot be written safely (reported as a usage error, never a traceback)."""


@dataclass(frozen=True)
class WriteReport:
    """What a write changed: new or changed files, unchanged files, removed files."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def sha256(data: bytes) -> str:
    """Hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> Optional[dict[str, str]]:
    """{relative path: sha256} of the files docs2sdk wrote into OUT, or None without a manifest."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WriteError(f"{path}: unreadable manifest ({exc}); remove it or pass --force") from None
    if not isinstance(files, dict):
        raise WriteError(f"{path}: unreadable manifest; remove it or pass --force")
    return {str(k): str(v) for k, v in files.items()}


def manifest_text(files: dict[str, bytes], generator: str) -> str:
    """The manifest: deterministic JSON (sorted), newline at end."""
    body = {"generator": generator, "files": {p: sha256(files[p]) for p in sorted(files)}}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def _check(out: Path, old: Optional[dict[str, str]], files: dict[str, bytes], force: bool) -> None:
    """Refuse to write where it would clobber files docs2sdk did not write."""
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out} exists and is not a folder")
    if force or not out.is_dir():
        return
    if old is None and any(out.iterdir()):
        raise WriteError(f"{out} is not empty and holds no {MANIFEST}; refusing to write into it "
                         "(pass --force to write anyway; files docs2sdk did not write are kept)")
    for rel in files:
        if (out / rel).exists() and rel not in (old or {}) and rel != MANIFEST:
            raise WriteError(f"{out / rel} exists and was not written by docs2sdk; move it away or pass --force")


def _place(source: Path, target: Path) -> None:
    """Carry a file over into the new tree without copying bytes when possible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _carry_user_files(out: Path, tmp: Path, ours: set[str]) -> None:
    """Link every file of OUT that docs2sdk did not write into the new tree."""
    for root, dirs, names in os.walk(out):
        base = Path(root)
        for name in dirs + names:
            path = base / name
            rel = path.relative_to(out).as_posix()
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    (tmp / rel).mkdir(parents=True, exist_ok=True)
            elif rel not in ours and rel != MANIFEST and not (tmp / rel).exists():
                _place(path, tmp / rel)


def _swap(out: Path, tmp: Path) -> None:
    """Put the new tree in place of OUT (two renames); the old tree is removed after."""
    if not out.exists():
        os.rename(tmp, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    backup.rmdir()
    os.rename(out, backup)
    try:
        os.rename(tmp, out)
    except OSError:
        os.rename(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def write_tree(out: Path, texts: dict[str, str], *, generator: str, force: bool = False) -> WriteReport:
    """Write `texts` (relative POSIX path -> text) as the whole docs2sdk output in OUT."""
    out = Path(os.path.abspath(out))
    files = {rel: text.encode("utf-8") for rel, text in texts.items()}
    old = read_manifest(out) if out.is_dir() else None
    _check(out, old, files, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    written, unchanged = [], []
    try:
        for rel, data in sorted(files.items()):
            current = out / rel
            if current.is_file() and not current.is_symlink() and current.read_bytes() == data:
                _place(current, tmp / rel)
                unchanged.append(rel)
            else:
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / rel).write_bytes(data)
                written.append(rel)
        if out.is_dir():
            _carry_user_files(out, tmp, set(old or {}) | set(files))
        (tmp / MANIFEST).write_text(manifest_text(files, generator), encoding="utf-8", newline="\n")
        os.chmod(tmp, (out.stat().st_mode & 0o7777) if out.is_dir() else 0o777 & ~_umask())
        _swap(out, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    removed = sorted(set(old or {}) - set(files))
    return WriteReport(tuple(written), tuple(unchanged), tuple(removed))


def compare_tree(out: Path, texts: dict[str, str]) -> list[tuple[str, str]]:
    """(path, "missing" | "changed" | "stale") where OUT differs from what would be written."""
    old = read_manifest(out) if out.is_dir() else None
    found = []
    for rel, text in sorted(texts.items()):
        path = out / rel
        if not path.is_file():
            found.append((rel, "missing"))
        elif path.read_bytes() != text.encode("utf-8"):
            found.append((rel, "changed"))
    found += [(rel, "stale") for rel in sorted(set(old or {}) - set(texts)) if (out / rel).exists()]
    return found


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
