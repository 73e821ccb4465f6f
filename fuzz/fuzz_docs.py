"""Long fuzz run over reader + extractor + pipeline, with the generators of the pytest run.

    python fuzz/fuzz_docs.py --cases 100000 --seed 1 [--jobs 2] [--timeout 30]
    python fuzz/fuzz_docs.py --seed 1 --case 4711          # re-run one case and print it
    python fuzz/fuzz_docs.py --replay fuzz/findings/<dir>  # re-check a saved minimal input
    python fuzz/fuzz_docs.py --cases 2000 --generate       # also run `generate` on error-free IR

Case i of seed s is generated from `random.Random(f"{s}:{i}")`, so any case can be
reproduced alone. Half the cases are mutated pages of ../shared/corpora (when present),
half generated pages (tests/hostile/strategies.py). The oracle (tests/hostile/harness.py)
lists broken invariants; the first case of each new signature is shrunk (delta
debugging) and saved under fuzz/findings/<kind>-<hash>/ (the folder ignores itself in git).
Findings already pinned by a strict-xfail test are reported as known. Exit status 1 when
a finding is not known.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import queue
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile.harness import Finding, check_case  # noqa: E402
from hostile.shrinking import describe, shrink  # noqa: E402
from hostile.strategies import Case, RandomSource, any_tree, corpus_pages  # noqa: E402

FINDINGS = ROOT / "fuzz" / "findings"
REPORT_EVERY = 15.0


def make_case(seed: int, index: int, max_repeat: int) -> Case:
    """The docs tree of case `index` under `seed`."""
    return any_tree(RandomSource(random.Random(f"{seed}:{index}")), max_repeat)


def _worker(worker: int, args: argparse.Namespace, out: "mp.Queue[Any]") -> None:
    """Check cases worker, worker+jobs, ...; report progress and each new signature once (shrunk)."""
    seen: set[str] = set()
    done = 0
    shm = Path("/dev/shm")
    workdir = Path(tempfile.mkdtemp(prefix=f"docs2sdk-fuzz-w{worker}-", dir=shm if shm.is_dir() else None))
    for index in range(args.start + worker, args.start + args.cases, args.jobs):
        try:
            pages = make_case(args.seed, index, args.max_repeat)
        except Exception as exc:  # noqa: BLE001 - a broken generator is reported, not fatal
            out.put(("finding", index, Finding("harness", f"generator error {type(exc).__name__}", repr(exc)), {}))
            continue
        for finding in check_case(pages, args.timeout, workdir, generate=args.generate):
            first = finding.signature not in seen
            seen.add(finding.signature)
            minimal = pages
            if first and finding.kind != "timeout" and args.shrink_budget > 0:
                minimal = shrink(pages, finding.signature, args.shrink_budget, args.timeout, args.generate)
            out.put(("finding", index, finding, minimal if first else None))
        done += 1
        if done % 25 == 0:
            out.put(("progress", worker, done))
    out.put(("progress", worker, done))
    out.put(("done", worker, None))


def _save(finding: Finding, index: int, pages: Case, args: argparse.Namespace) -> Path:
    """Write the minimal input as a docs tree plus finding.json; return its folder."""
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / ".gitignore").write_text("*\n", encoding="utf-8")
    digest = hashlib.sha1(finding.signature.encode()).hexdigest()[:10]
    folder = FINDINGS / f"{finding.kind}-{digest}"
    tree = folder / "tree"
    for rel, data in pages.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_bytes(data)
    meta = {"kind": finding.kind, "signature": finding.signature, "detail": finding.detail, "known": finding.known,
            "seed": args.seed, "case": index, "max_repeat": args.max_repeat, "generate": args.generate,
            "minimal_pages": sorted(pages),
            "reproduce": f"python fuzz/fuzz_docs.py --seed {args.seed} --max-repeat {args.max_repeat} --case {index}"
                         + (" --generate" if args.generate else ""),
            "replay": f"python fuzz/fuzz_docs.py --replay {folder.relative_to(ROOT)}"}
    (folder / "finding.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def run(args: argparse.Namespace) -> int:
    """The long run: workers, progress lines, a summary; 1 when a finding is new."""
    print(f"docs2sdk fuzz: {args.cases} cases from seed {args.seed}, {args.jobs} job(s), "
          f"{len(corpus_pages())} corpus pages, timeout {args.timeout}s CPU per run"
          f"{', with the SDK generator' if args.generate else ''}", flush=True)
    out: "mp.Queue[Any]" = mp.Queue()
    done = [0] * args.jobs
    workers = [mp.Process(target=_worker, args=(w, args, out), daemon=True) for w in range(args.jobs)]
    started = time.monotonic()
    for proc in workers:
        proc.start()
    by_signature: dict[str, tuple[Finding, int, int]] = {}  # signature -> (finding, first case, count)
    finished = 0
    try:
        finished = _collect(out, workers, done, by_signature, args, started)
    except KeyboardInterrupt:
        print("interrupted; partial results follow", flush=True)
        for proc in workers:
            proc.terminate()
    for proc in workers:
        proc.join(timeout=5)
        if proc.exitcode not in (0, None, -15):
            print(f"  a worker exited with status {proc.exitcode}", flush=True)
    elapsed = time.monotonic() - started
    total = sum(done)
    print(f"done: {total} cases in {elapsed:.1f}s ({total / elapsed:.1f} cases/s), {finished}/{args.jobs} workers finished")
    new = 0
    for signature, (finding, index, count) in sorted(by_signature.items()):
        new += not finding.known
        label = f"known ({finding.known})" if finding.known else "NEW"
        print(f"  {label}: {signature} x{count}, first at case {index}\n      {finding.detail[:300]}")
    if not by_signature:
        print("  no findings")
    return 1 if new else 0


def _collect(out: "mp.Queue[Any]", workers: list[mp.Process], done: list[int],
             by_signature: dict[str, tuple[Finding, int, int]], args: argparse.Namespace, started: float) -> int:
    """Read worker messages until every worker is done (or dead); print progress; save new findings."""
    finished, last = 0, started
    while finished < args.jobs:
        try:
            kind, key, payload, *rest = out.get(timeout=1.0)
        except queue.Empty:
            if not any(p.is_alive() for p in workers):
                break
            continue
        if kind == "progress":
            done[key] = payload
        elif kind == "done":
            finished += 1
        elif kind == "finding":
            finding, minimal = payload, rest[0]
            first = by_signature.get(finding.signature)
            by_signature[finding.signature] = (finding, first[1] if first else key, (first[2] if first else 0) + 1)
            if minimal is not None and first is None:
                folder = _save(finding, key, minimal, args)
                label = f"known: {finding.known}" if finding.known else "NEW"
                print(f"  finding [{label}] {finding.signature} (case {key}) -> {folder.relative_to(ROOT)}", flush=True)
        now = time.monotonic()
        if now - last >= REPORT_EVERY:
            last = now
            total = sum(done)
            print(f"  {total} cases, {now - started:.0f}s, {total / (now - started):.1f} cases/s, "
                  f"{len(by_signature)} signature(s)", flush=True)
    return finished


def one_case(args: argparse.Namespace) -> int:
    """Re-run a single case and print its pages and findings."""
    pages = make_case(args.seed, args.case, args.max_repeat)
    print(describe(pages))
    findings = check_case(pages, args.timeout, generate=args.generate)
    for f in findings:
        print(f"finding: {f.kind}: {f.signature} {'(known: ' + f.known + ')' if f.known else ''}\n    {f.detail}")
    return 1 if any(not f.known for f in findings) else 0


def replay(args: argparse.Namespace) -> int:
    """Re-check a saved finding's tree."""
    tree = Path(args.replay) / "tree"
    pages = {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}
    findings = check_case(pages, args.timeout, generate=args.generate)
    for f in findings:
        print(f"finding: {f.kind}: {f.signature} {'(known: ' + f.known + ')' if f.known else ''}\n    {f.detail}")
    print("still failing" if findings else "no longer failing")
    return 1 if findings else 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    parser.add_argument("--start", type=int, default=0, help="first case index (default 0)")
    parser.add_argument("--jobs", type=int, default=max(1, mp.cpu_count()), help="worker processes (default: CPUs)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="CPU seconds per pipeline run before a case counts as a hang (6x that of wall time; "
                             "a normal case takes ~40 ms)")
    parser.add_argument("--max-repeat", type=int, default=50_000,
                        help="longest run of one repeated chunk a mutation inserts (the pytest run uses 2000)")
    parser.add_argument("--shrink-budget", type=int, default=400, help="pipeline runs spent shrinking a new finding")
    parser.add_argument("--generate", action="store_true",
                        help="also run the SDK generator on error-free IR (about 10x slower per case)")
    parser.add_argument("--case", type=int, help="re-run only this case index and print it")
    parser.add_argument("--replay", help="re-check a saved finding folder")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args)
    if args.case is not None:
        return one_case(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
