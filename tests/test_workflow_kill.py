"""`docs2sdk generate` killed with SIGKILL at random moments never leaves a partial OUT.

OLD is the SDK of airbyte-python; NEW the SDK of a copy with one group removed and one model
page edited (one file removed, four changed). OUT starts as OLD each time; a generate of the
edited docs is killed after a random delay (seeded) spread over the whole run, with extra
draws near its end where the tree is written, and OUT must then hash exactly as OLD or as
NEW. Leftover temporary folders are left for the next run, which must remove them; a final
uninterrupted run must leave NEW and nothing beside it.

The caches are warm (IR and formatted blocks of both trees), so a run takes about half a
second and the test about 30-60 s (52 kills); the timings are printed (`pytest -s`).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gen_helpers import AIRBYTE_CONFIG, CORPORA
from generator.write import exchange

DOCS2SDK = Path(sys.executable).with_name("docs2sdk")
UNIFORM_KILLS = 36
LATE_KILLS = 16
SEED = 20261123


def tree_hashes(root: Path) -> dict[str, str]:
    """{relative path: sha256} of every file under root (empty when root is missing)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def edited_docs(source: Path, target: Path) -> Path:
    """airbyte-python without its health group and with one model description changed."""
    shutil.copytree(source, target)
    shutil.rmtree(target / "docs" / "sdks" / "health")
    page = target / "docs" / "models" / "shared" / "webbackendconnectionread.md"
    text = page.read_text(encoding="utf-8")
    assert "\nSuccessful operation\n" in text
    page.write_text(text.replace("\nSuccessful operation\n", "\nSuccessful operation, edited.\n", 1), encoding="utf-8")
    return target


def run(docs: Path, out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `docs2sdk generate DOCS -o OUT -c airbyte.toml -q`."""
    return subprocess.Popen([str(DOCS2SDK), "generate", str(docs), "-o", str(out), "-c", str(AIRBYTE_CONFIG), "-q"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def reset(out: Path, template: Path) -> None:
    """OUT becomes a fresh copy of the OLD tree."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(template, out)


def test_sigkill_leaves_the_old_or_the_new_tree(tmp_path: Path) -> None:
    """At least 50 kills; after each, OUT is exactly OLD or exactly NEW; the next run cleans up."""
    corpus = CORPORA / "airbyte-python"
    if not corpus.is_dir():
        pytest.skip(f"corpus airbyte-python not found at {corpus} (the shared corpora are expected beside the checkout)")
    probe_a, probe_b = tmp_path / "probe-a", tmp_path / "probe-b"
    probe_a.mkdir()
    probe_b.mkdir()
    if not exchange(probe_a, probe_b):
        pytest.skip("this file system cannot swap folders atomically (renameat2 RENAME_EXCHANGE); "
                    "docs2sdk falls back to two renames there, which the next run repairs")
    started = time.perf_counter()
    env = {**os.environ, "DOCS2SDK_CACHE_DIR": str(tmp_path / "cache"), "CI": "true"}
    env.pop("DOCS2SDK_NO_CACHE", None)
    docs_new = edited_docs(corpus, tmp_path / "docs-new")
    old_tree, new_tree = tmp_path / "old", tmp_path / "new"
    for docs, target in ((corpus, old_tree), (docs_new, new_tree)):  # also warms both caches
        assert run(docs, target, env).wait(timeout=300) == 0
    old, new = tree_hashes(old_tree), tree_hashes(new_tree)
    assert old != new and set(old) - set(new) == {"airbyte/health.py"}
    work = tmp_path / "work"
    out = work / "sdk"
    work.mkdir()
    durations = []
    for _ in range(3):
        reset(out, old_tree)
        begin = time.perf_counter()
        assert run(docs_new, out, env).wait(timeout=300) == 0
        durations.append(time.perf_counter() - begin)
        assert tree_hashes(out) == new
    duration = statistics.median(durations)
    rng = random.Random(SEED)
    delays = [rng.uniform(0, duration * 1.05) for _ in range(UNIFORM_KILLS)]
    delays += [rng.uniform(duration * 0.6, duration * 1.05) for _ in range(LATE_KILLS)]
    outcomes: Counter[str] = Counter()
    leftover_count = 0
    kill_started = time.perf_counter()
    for delay in delays:
        reset(out, old_tree)
        proc = run(docs_new, out, env)
        time.sleep(delay)
        proc.kill()
        code = proc.wait(timeout=60)
        state = tree_hashes(out)
        assert out.is_dir() and state in (old, new), (
            f"after SIGKILL at {delay:.3f} s OUT is neither tree: missing {sorted(set(new) - set(state))[:5]}, "
            f"extra {sorted(set(state) - set(old) - set(new))[:5]}")
        outcomes[("new" if state == new else "old") + (" (finished)" if code == 0 else " (killed)")] += 1
        leftovers = [p.name for p in work.iterdir() if p.name != "sdk"]
        assert all(re.fullmatch(r"\.sdk\.docs2sdk-(new|old)-\d+-\w+", name) for name in leftovers), leftovers
        leftover_count += len(leftovers)
    kill_seconds = time.perf_counter() - kill_started
    reset(out, old_tree)
    assert run(docs_new, out, env).wait(timeout=300) == 0
    assert tree_hashes(out) == new
    assert sorted(p.name for p in work.iterdir()) == ["sdk"], "leftovers of killed runs were not removed"
    print(f"\nSIGKILL test: run {duration:.2f} s (median of 3, warm caches), {len(delays)} kills in "
          f"{kill_seconds:.1f} s, outcomes {dict(outcomes)}, temporary folders found after kills {leftover_count}, "
          f"total {time.perf_counter() - started:.1f} s")
    assert sum(outcomes.values()) >= 50
    assert outcomes["old (killed)"] and outcomes["new (killed)"] + outcomes["new (finished)"], outcomes


def _children(pid: int) -> list[int]:
    """Live (non-zombie) processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _python_here(code: str) -> subprocess.Popen[str]:
    """`code` in a Python process that imports this checkout's generator, its stdout piped."""
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


def _kill_and_outlived(proc: subprocess.Popen[str], workers: list[int]) -> list[int]:
    """SIGKILL the run; the workers still alive 10 s later."""
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [pid for pid in workers if _alive(pid)]


def test_killed_run_leaves_no_formatting_workers() -> None:
    """Formatting workers die with a docs2sdk killed by SIGKILL (they would wait forever otherwise)."""
    if not Path("/proc/self/stat").is_file():
        pytest.skip("needs Linux /proc to find the worker processes")
    code = ("import os\nfrom generator import format as fmt\n"
            "sources = [f'x{i} = f(' + ', '.join(f'a{j}' for j in range(40)) + ')\\n' for i in range(3000)]\n"
            "print(os.getpid(), flush=True)\nfmt._run_jobs(sources, None)\n")
    proc = _python_here(code)
    assert proc.stdout is not None
    parent = int(proc.stdout.readline())
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline and proc.poll() is None:
        workers = _children(parent)
        time.sleep(0.05)
    assert workers, "no worker process was started"
    assert not _kill_and_outlived(proc, workers), f"workers {workers} outlived the killed run"


def test_killed_run_leaves_no_warm_black_worker() -> None:
    """The black worker forked ahead of need (format_black) dies with a run killed by SIGKILL."""
    if not Path("/proc/self/stat").is_file():
        pytest.skip("needs Linux /proc to find the worker process")
    code = ("import os, time\nfrom generator import format_black\n"
            "worker = format_black.WarmBlack()\n"
            "print(os.getpid(), worker.pid, flush=True)\ntime.sleep(60)\n")
    proc = _python_here(code)
    assert proc.stdout is not None
    parent, worker = map(int, proc.stdout.readline().split())
    assert worker in _children(parent)
    assert not _kill_and_outlived(proc, [worker]), f"the warm black worker {worker} outlived the killed run"
