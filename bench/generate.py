"""Benchmark generation speed side by side with OpenAPI-based peers (median of several runs).

    python bench/generate.py [--runs N] [--quick]

(a)  docs2sdk generate airbyte-python into an empty directory, three ways:
       cold         an empty cache folder (DOCS2SDK_CACHE_DIR fresh for every run): every
                    page read, every statement black must see formatted;
       warm blocks  page facts, generated files and formatted blocks cached, the docs read
                    again (run records dropped);
       warm         the same docs generated before: IR, files and formatted blocks cached.
(b)  the same again with nothing changed (warm: OUT is proven current from the run record),
     and `docs2sdk check` on the result
(b') the same after one model page changed (a new edit each run, so its IR is never cached:
     the other pages' facts come from the page cache, and only the changed models module is
     built, rendered and formatted again)
(c)  datamodel-code-generator: dataclass models from the same API's OpenAPI document
(d)  openapi-python-client: a full client from the same document
(e)  docs2sdk generate on a synthetic corpus ten times airbyte-python, cold and warm, with
     peak memory

Every step runs as a command in its own process (start-up included), as a user runs it,
with CI=true (no progress bar). Wall time is the median; CPU is user+system time of the
command. (a) cold, (b'), (c) and (d) run in turn, round after round, so that their ratios
compare runs made under the same machine load. The peers are installed into
bench/out/peers-venv on first use (PyPI). --quick runs (a), (b) and (b') once on input_docs
only, as a CI smoke test; timings are only printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CORPORA = ROOT.parent / "shared" / "corpora"
SPEC = ROOT.parent / "shared" / "reference" / "airbyte-config-2023-06.yaml"
DOCS2SDK = [sys.executable, "-m", "generator"]  # as the docs2sdk console script runs
PEERS = OUT / "peers-venv"
WARM_CACHE = OUT / "cache-warm"

Measure = tuple[float, float, int, int]  # wall seconds, CPU seconds, exit code, peak RSS MB
Row = tuple[str, str, Measure]  # step, cache state, measure


def run_measured(cmd: list[str], cwd: Path = ROOT, cache: Path = WARM_CACHE) -> Measure:
    """Run a command; return (wall seconds, CPU seconds, exit code, peak RSS of the child in MB)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "true", "DOCS2SDK_CACHE_DIR": str(cache)}
    env.pop("DOCS2SDK_NO_CACHE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - start, usage.ru_utime + usage.ru_stime, proc.returncode,
            usage.ru_maxrss // 1024)


def summarize(results: list[Measure]) -> Measure:
    """Median wall and CPU seconds; the worst exit code; the largest peak RSS."""
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            max(r[2] for r in results), max(r[3] for r in results))


def median_of(runs: int, step: Callable[[], Measure]) -> Measure:
    """`step` run `runs` times, summarized."""
    return summarize([step() for _ in range(runs)])


def interleaved(runs: int, steps: dict[str, Callable[[], Measure]]) -> dict[str, Measure]:
    """Each step once per round, `runs` rounds, summarized by step: the machine's speed drifts
    (a VM here varies by up to ~25% from minute to minute), so steps compared with each other
    are measured side by side rather than one batch after another."""
    results: dict[str, list[Measure]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            results[name].append(step())
    return {name: summarize(found) for name, found in results.items()}


def ensure_peers() -> bool:
    """Install datamodel-code-generator and openapi-python-client into their own venv."""
    if (PEERS / "bin" / "openapi-python-client").exists():
        return True
    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    proc = subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "datamodel-code-generator",
                           "openapi-python-client"], capture_output=True, text=True)
    return proc.returncode == 0


def fresh_cache(name: str) -> Path:
    """An empty cache folder (a cold run)."""
    path = OUT / name
    shutil.rmtree(path, ignore_errors=True)
    return path


def generate_fresh(docs: Path, target: Path, config: list[str], cache: Path) -> Measure:
    """generate DOCS into an empty OUT."""
    shutil.rmtree(target, ignore_errors=True)
    return run_measured([*DOCS2SDK, "generate", str(docs), "-o", str(target), *config], cache=cache)


def one_page_changed_step(docs: Path, config: list[str], page: Path) -> Callable[[], Measure]:
    """(b'): a copy of DOCS generated once into its own OUT with its own cache; the step edits
    `page` (a new description every run: a real edit the caches have never seen) and generates."""
    work, target, cache = OUT / "docs-edit", OUT / "gen-edit", OUT / "cache-edit"
    for path in (work, target, cache):
        shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(docs, work)
    edited = work / page.relative_to(docs)
    original = edited.read_text(encoding="utf-8")
    title_end = original.index("\n\n") + 2  # the description paragraph follows the title
    counter = iter(range(1, 10_000))
    command = [*DOCS2SDK, "generate", str(work), "-o", str(target), *config]
    run_measured(command, cache=cache)

    def step() -> Measure:
        edited.write_text(f"{original[:title_end]}Edited ({next(counter)}). {original[title_end:]}", encoding="utf-8")
        return run_measured(command, cache=cache)

    return step


def docs2sdk_steps(docs: Path, config: list[str], runs: int, page: Path,
                   peers: Optional[dict[str, Callable[[], Measure]]] = None) -> list[Row]:
    """(a) cold and (b') side by side with the peers' steps (rows of their own, at the end), then
    (a) warm blocks / warm, (b) and check for one docs tree."""
    target = OUT / "gen-a"
    cold, changed = "(a) generate, empty output", "(b') generate, one page changed"
    found = interleaved(runs, {cold: lambda: generate_fresh(docs, target, config, fresh_cache("cache-cold")),
                               changed: one_page_changed_step(docs, config, page), **(peers or {})})
    rows: list[Row] = [(cold, "cold", found.pop(cold))]
    changed_row: Row = (changed, "warm blocks, docs read", found.pop(changed))
    peer_rows: list[Row] = [(name, "-", measure) for name, measure in found.items()]
    shutil.rmtree(WARM_CACHE, ignore_errors=True)
    generate_fresh(docs, target, config, WARM_CACHE)  # fills the warm cache

    def blocks_only() -> Measure:
        shutil.rmtree(WARM_CACHE / "runs", ignore_errors=True)
        return generate_fresh(docs, target, config, WARM_CACHE)

    rows.append(("(a) generate, empty output", "warm blocks, docs read", median_of(runs, blocks_only)))
    generate_fresh(docs, target, config, WARM_CACHE)
    rows.append(("(a) generate, empty output", "warm (IR + blocks)",
                 median_of(runs, lambda: generate_fresh(docs, target, config, WARM_CACHE))))
    rows.append(("(b) generate, nothing changed", "warm (run record)", median_of(
        runs, lambda: run_measured([*DOCS2SDK, "generate", str(docs), "-o", str(target), *config]))))
    rows.append(("(b) check, nothing changed", "warm (run record)", median_of(
        runs, lambda: run_measured([*DOCS2SDK, "check", str(docs), "-o", str(target), *config]))))
    return [*rows, changed_row, *peer_rows]


def peer_steps() -> dict[str, Callable[[], Measure]]:
    """(c) and (d) on the OpenAPI document of the same API (none when it or the peers are missing)."""
    if not SPEC.is_file() or not ensure_peers():
        return {}
    model_out = OUT / "dm-models.py"
    client_dir = OUT / "opc"

    def datamodel() -> Measure:
        return run_measured([str(PEERS / "bin" / "datamodel-codegen"), "--input", str(SPEC), "--input-file-type",
                             "openapi", "--output-model-type", "dataclasses.dataclass", "--output", str(model_out)])

    def client() -> Measure:
        shutil.rmtree(client_dir, ignore_errors=True)
        client_dir.mkdir(parents=True)
        return run_measured([str(PEERS / "bin" / "openapi-python-client"), "generate", "--path", str(SPEC),
                             "--output-path", str(client_dir / "client"), "--overwrite"], cwd=client_dir)

    return {"(c) datamodel-code-generator (models)": datamodel, "(d) openapi-python-client (client)": client}


def synthetic_corpus(source: Path, copies: int) -> Path:
    """`copies` renamed copies of a corpus's group pages and model pages in one tree."""
    from synthetic import build_synthetic  # bench/synthetic.py

    target = OUT / f"synthetic-x{copies}"
    if not target.is_dir():
        build_synthetic(source, target, copies)
    return target


def synthetic_steps(docs: Path, runs: int) -> list[Row]:
    """(e): the x10 corpus, cold (empty cache) and warm (IR and blocks cached)."""
    big = synthetic_corpus(docs, 10)
    target = OUT / "gen-e"
    cache = OUT / "cache-e"
    cold = median_of(runs, lambda: generate_fresh(big, target, [], fresh_cache("cache-e")))
    warm = median_of(runs, lambda: generate_fresh(big, target, [], cache))
    return [("(e) generate, synthetic x10, empty output", "cold", cold),
            ("(e) generate, synthetic x10, empty output", "warm (IR + blocks)", warm)]


def print_table(rows: list[Row]) -> None:
    """One row per step: cache state, median wall and CPU seconds, ratios to (a) cold and warm, exit, peak RSS."""
    base = {state: m[0] for step, state, m in rows if step.startswith("(a)")}
    cold, warm = base.get("cold", 0.0), base.get("warm (IR + blocks)", 0.0)
    print(f"{'step':42} {'cache':24} {'wall s':>7} {'cpu s':>7} {'x(a)cold':>8} {'x(a)warm':>8} {'exit':>4} {'MB':>5}")
    for step, state, (wall, cpu, code, rss) in rows:
        ratio_cold = f"{wall / cold:8.2f}" if cold else "       -"
        ratio_warm = f"{wall / warm:8.2f}" if warm else "       -"
        print(f"{step:42} {state:24} {wall:7.3f} {cpu:7.3f} {ratio_cold} {ratio_warm} {code:4d} {rss:5d}")


def main() -> int:
    """Run the steps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="input_docs only, one run (CI smoke test)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "bench"))
    # Bytecode as an installed docs2sdk has it (pip compiles at install; the peers' venv has it):
    # a checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)
    load = os.getloadavg()
    if args.quick:
        docs = ROOT / "input_docs"
        print_table(docs2sdk_steps(docs, [], 1, docs / "docs" / "models" / "shared" / "author.md"))
        return 0
    docs = CORPORA / "airbyte-python"
    config = ["-c", str(ROOT / "tests" / "corpora" / "airbyte.toml")]
    page = docs / "docs" / "models" / "shared" / "webbackendconnectionread.md"
    rows = docs2sdk_steps(docs, config, args.runs, page, peer_steps())
    rows += synthetic_steps(docs, max(1, args.runs // 2))
    print(f"median of {args.runs} runs ((e): {max(1, args.runs // 2)}) on {os.cpu_count()} cores; load average "
          f"{load[0]:.2f} before, {os.getloadavg()[0]:.2f} after; MB = peak RSS of the command")
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
