"""Benchmark generation speed side by side with OpenAPI-based peers (median of several runs).

    python bench/generate.py [--runs N] [--quick]

(a)  docs2sdk generate airbyte-python into an empty directory
(b)  the same again with nothing changed; and `docs2sdk check` on the result
(b') the same after one model page changed
(c)  datamodel-code-generator: dataclass models from the same API's OpenAPI document
(d)  openapi-python-client: a full client from the same document
(e)  docs2sdk generate on a synthetic corpus ten times airbyte-python, with peak memory

Every step runs as a command in its own process (start-up included), as a user runs it.
The peers are installed into bench/out/peers-venv on first use (PyPI). --quick runs
(a) and (b) once on input_docs only, as a CI smoke test; timings are only printed.
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

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CORPORA = ROOT.parent / "shared" / "corpora"
SPEC = ROOT.parent / "shared" / "reference" / "airbyte-config-2023-06.yaml"
DOCS2SDK = [sys.executable, "-m", "generator.cli"]
PEERS = OUT / "peers-venv"


def run_measured(cmd: list[str], cwd: Path = ROOT) -> tuple[float, int, int]:
    """Run a command; return (seconds, exit code, peak RSS of the child in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, proc.returncode, usage.ru_maxrss // 1024


def median_of(runs: int, step: "callable[[], tuple[float, int, int]]") -> tuple[float, int, int]:  # type: ignore[name-defined]
    """Median seconds over runs; the worst exit code; the largest peak RSS."""
    results = [step() for _ in range(runs)]
    return (statistics.median(r[0] for r in results), max(r[1] for r in results), max(r[2] for r in results))


def ensure_peers() -> bool:
    """Install datamodel-code-generator and openapi-python-client into their own venv."""
    if (PEERS / "bin" / "openapi-python-client").exists():
        return True
    subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    proc = subprocess.run([str(PEERS / "bin" / "pip"), "install", "-q", "datamodel-code-generator",
                           "openapi-python-client"], capture_output=True, text=True)
    return proc.returncode == 0


def docs2sdk_steps(docs: Path, config: list[str], runs: int, page: Path) -> dict[str, tuple[float, int, int]]:
    """(a), (b), check, (b') for one docs tree."""
    target = OUT / "gen-a"
    results: dict[str, tuple[float, int, int]] = {}

    def fresh() -> tuple[float, int, int]:
        shutil.rmtree(target, ignore_errors=True)
        return run_measured([*DOCS2SDK, "generate", str(docs), "-o", str(target), *config])

    results["(a) generate, empty output"] = median_of(runs, fresh)
    results["(b) generate, nothing changed"] = median_of(
        runs, lambda: run_measured([*DOCS2SDK, "generate", str(docs), "-o", str(target), *config]))
    results["(b) check, nothing changed"] = median_of(
        runs, lambda: run_measured([*DOCS2SDK, "check", str(docs), "-o", str(target), *config]))
    work = OUT / "docs-edit"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(docs, work)
    edited = work / page.relative_to(docs)
    original = edited.read_text(encoding="utf-8")

    def one_page_changed() -> tuple[float, int, int]:
        # Alternate the description so each run sees a real change against the last output.
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text + " Edited." if text == original else original, encoding="utf-8")
        return run_measured([*DOCS2SDK, "generate", str(work), "-o", str(target), *config])

    results["(b') generate, one page changed"] = median_of(runs, one_page_changed)
    return results


def peer_steps(runs: int) -> dict[str, tuple[float, int, int]]:
    """(c) and (d) on the OpenAPI document of the same API."""
    if not SPEC.is_file() or not ensure_peers():
        return {}
    model_out = OUT / "dm-models.py"
    client_dir = OUT / "opc"

    def datamodel() -> tuple[float, int, int]:
        return run_measured([str(PEERS / "bin" / "datamodel-codegen"), "--input", str(SPEC), "--input-file-type",
                             "openapi", "--output-model-type", "dataclasses.dataclass", "--output", str(model_out)])

    def client() -> tuple[float, int, int]:
        shutil.rmtree(client_dir, ignore_errors=True)
        client_dir.mkdir(parents=True)
        return run_measured([str(PEERS / "bin" / "openapi-python-client"), "generate", "--path", str(SPEC),
                             "--output-path", str(client_dir / "client"), "--overwrite"], cwd=client_dir)

    return {"(c) datamodel-code-generator (models)": median_of(runs, datamodel),
            "(d) openapi-python-client (client)": median_of(runs, client)}


def synthetic_corpus(source: Path, copies: int) -> Path:
    """`copies` renamed copies of a corpus's group pages and model pages in one tree."""
    from synthetic import build_synthetic  # bench/synthetic.py

    target = OUT / f"synthetic-x{copies}"
    if not target.is_dir():
        build_synthetic(source, target, copies)
    return target


def print_table(results: dict[str, tuple[float, int, int]]) -> None:
    """One row per step: median seconds, ratio to (a), exit code, peak RSS."""
    base = results.get("(a) generate, empty output", (0.0, 0, 0))[0]
    print(f"{'step':42} {'median s':>9} {'x (a)':>7} {'exit':>5} {'peak MB':>8}")
    for name, (seconds, code, rss) in results.items():
        ratio = f"{seconds / base:7.2f}" if base else "      -"
        print(f"{name:42} {seconds:9.3f} {ratio} {code:5d} {rss:8d}")


def main() -> int:
    """Run the steps and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="input_docs only, one run (CI smoke test)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "bench"))
    if args.quick:
        docs = ROOT / "input_docs"
        print_table(docs2sdk_steps(docs, [], 1, docs / "docs" / "models" / "shared" / "author.md"))
        return 0
    docs = CORPORA / "airbyte-python"
    config = ["-c", str(ROOT / "tests" / "corpora" / "airbyte.toml")]
    page = docs / "docs" / "models" / "shared" / "webbackendconnectionread.md"
    results = docs2sdk_steps(docs, config, args.runs, page)
    results.update(peer_steps(args.runs))
    big = synthetic_corpus(docs, 10)
    target = OUT / "gen-e"

    def synthetic_run() -> tuple[float, int, int]:
        shutil.rmtree(target, ignore_errors=True)
        return run_measured([*DOCS2SDK, "generate", str(big), "-o", str(target)])

    results["(e) generate, synthetic x10, empty output"] = median_of(max(1, args.runs // 2), synthetic_run)
    print(f"median of {args.runs} runs on {os.cpu_count()} cores; peak MB = max RSS of the command")
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
