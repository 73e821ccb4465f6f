"""Write a generated tree atomically and incrementally, with a manifest of what docs2sdk wrote.

The new tree is built in a temporary folder beside OUT and swapped in with one atomic
exchange (`renameat2(RENAME_EXCHANGE)`; elsewhere two renames, undone by the next run if it
dies between them), so OUT is always the whole old tree or the whole new one. Files whose
bytes did not change are hard-linked (untouched: same inode and mtime); files docs2sdk did
not write (not in the manifest) are carried over, never deleted; files it wrote before and
no longer generates are dropped. When nothing changed, nothing is touched at all. A
non-empty OUT without a manifest is refused unless forced. Temporary folders are named
`.<OUT>.docs2sdk-<new|old>-<pid>-<random>`; the next run removes those of dead processes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .cache import pid_alive

MANIFEST = ".docs2sdk-manifest.json"
_TEMP = re.compile(r"^\.(?P<name>.+)\.docs2sdk-(?P<kind>new|old)-(?P<pid>\d+)-[^/]+$")
_RENAME_EXCHANGE = 2


class WriteError(Exception):
    """OUT cannot be written safely (reported as a usage error, never a traceback)."""


@dataclass(frozen=True)
class WriteReport:
    """What a write changed: new or changed files, unchanged files, removed files."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def changed(self) -> int:
        """Files written or removed."""
        return len(self.written) + len(self.removed)


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


def manifest_from_hashes(hashes: dict[str, str], generator: str) -> str:
    """The manifest for files with these sha256 digests: deterministic JSON, newline at end."""
    body = {"generator": generator, "files": {p: hashes[p] for p in sorted(hashes)}}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def manifest_text(files: dict[str, bytes], generator: str) -> str:
    """The manifest of these files."""
    return manifest_from_hashes({p: sha256(data) for p, data in files.items()}, generator)


def resolve_out(out: Path) -> Path:
    """OUT as an absolute path; a symlink to a folder is followed (the folder is what is replaced)."""
    return Path(os.path.realpath(out)) if os.path.islink(out) else Path(os.path.abspath(out))


def temp_dirs(out: Path) -> list[tuple[str, int, Path]]:
    """(kind, pid, path) of every docs2sdk temporary folder beside OUT."""
    found = []
    try:
        entries = list(os.scandir(out.parent))
    except OSError:
        return []
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match and match.group("name") == out.name:
            found.append((match.group("kind"), int(match.group("pid")), Path(entry.path)))
    return sorted(found)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove the temporary folders of runs that died (they are never swapped in). When a run
    died between the two renames of the fallback swap, OUT is missing: its old tree is restored."""
    dead = [(kind, path) for kind, pid, path in temp_dirs(out) if not pid_alive(pid)]
    if not os.path.lexists(out):
        olds = sorted((p for kind, p in dead if kind == "old"), key=lambda p: p.stat().st_mtime)
        if olds:
            os.rename(olds[-1], out)
            dead = [(kind, p) for kind, p in dead if p != olds[-1]]
    for _kind, path in dead:
        shutil.rmtree(path, ignore_errors=True)
    return [p for _k, p in dead]


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
        if os.path.lexists(out / rel) and rel not in (old or {}) and rel != MANIFEST:
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
    """Link every file of OUT that docs2sdk did not write into the new tree (empty folders too)."""
    for root, dirs, names in os.walk(out):
        base = Path(root)
        for name in dirs + names:
            path = base / name
            rel = path.relative_to(out).as_posix()
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    (tmp / rel).mkdir(parents=True, exist_ok=True)
            elif rel not in ours and rel != MANIFEST and not os.path.lexists(tmp / rel):
                _place(path, tmp / rel)


def _libc_renameat2() -> Optional[Callable[..., int]]:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        func: Any = ctypes.CDLL(None, use_errno=True).renameat2
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        func.restype = ctypes.c_int
        return func  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    func = _libc_renameat2()
    if func is None:
        return False
    import ctypes

    at_fdcwd = -100
    if func(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(out: Path, tmp: Path) -> None:
    """Put the new tree in place of OUT in one step; the old tree is removed after."""
    if not os.path.lexists(out):
        os.rename(tmp, out)
        return
    if exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old tree
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.docs2sdk-old-{os.getpid()}-", dir=out.parent))
    backup.rmdir()
    os.rename(out, backup)
    try:
        os.rename(tmp, out)
    except OSError:
        os.rename(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and \
            path.read_bytes() == data
    except OSError:
        return False


def write_tree(out: Path, texts: dict[str, str], *, generator: str, force: bool = False) -> WriteReport:
    """Write `texts` (relative POSIX path -> text) as the whole docs2sdk output in OUT."""
    out = resolve_out(out)
    clean_leftovers(out)
    files = {rel: text.encode("utf-8") for rel, text in texts.items()}
    old = read_manifest(out) if out.is_dir() else None
    _check(out, old, files, force)
    manifest = manifest_text(files, generator).encode("utf-8")
    unchanged = sorted(rel for rel, data in files.items() if out.is_dir() and _same_bytes(out / rel, data))
    written = sorted(set(files) - set(unchanged))
    removed = sorted(rel for rel in set(old or {}) - set(files) if os.path.lexists(out / rel))
    if out.is_dir() and not written and not removed and _same_bytes(out / MANIFEST, manifest):
        return WriteReport((), tuple(unchanged), ())  # nothing to do: OUT is not touched at all
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.docs2sdk-new-{os.getpid()}-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = tmp / rel
            if rel in unchanged:
                _place(out / rel, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(files[rel])
        if out.is_dir():
            _carry_user_files(out, tmp, set(old or {}) | set(files))
        (tmp / MANIFEST).write_bytes(manifest)
        os.chmod(tmp, (out.stat().st_mode & 0o7777) if out.is_dir() else 0o777 & ~_umask())
        _swap(out, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return WriteReport(tuple(written), tuple(unchanged), tuple(removed))


@dataclass(frozen=True)
class Difference:
    """One file where OUT differs from what `generate` would write."""

    path: str
    state: str  # added | changed | removed (what generate would do to it)


def compare_tree(out: Path, texts: dict[str, str]) -> list[Difference]:
    """Where OUT differs from what would be written (reads only; writes nothing)."""
    out = resolve_out(out)
    old = read_manifest(out) if out.is_dir() else None
    found = []
    for rel, text in sorted(texts.items()):
        path = out / rel
        if not path.is_file():
            found.append(Difference(rel, "added"))
        elif not _same_bytes(path, text.encode("utf-8")):
            found.append(Difference(rel, "changed"))
    found += [Difference(rel, "removed") for rel in sorted(set(old or {}) - set(texts))
              if os.path.lexists(out / rel)]
    return found


def tree_matches(out: Path, hashes: dict[str, str], generator: str) -> bool:
    """True when OUT holds exactly these generated files (by sha256) and their manifest."""
    out = resolve_out(out)
    if not _same_bytes(out / MANIFEST, manifest_from_hashes(hashes, generator).encode("utf-8")):
        return False
    for rel, digest in hashes.items():
        path = out / rel
        try:
            if path.is_symlink() or not path.is_file() or sha256(path.read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
