"""The release-pipeline workflow: `check`, incremental generate, run caches, leftovers of killed
runs, the summary line, --quiet/--verbose, the progress bar, the pre-commit hook.

(The SIGKILL test is in test_workflow_kill.py; formatting in test_workflow_format.py.)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pty
import re
import select
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from click.testing import CliRunner, Result

from gen_helpers import AIRBYTE_CONFIG, CORPORA, INPUT_DOCS, ROOT, schema_for
from generator import cli, pipeline
from generator.generate import generate
from generator.progress import Progress, interactive
from generator.write import MANIFEST, write_tree

DOCS2SDK = Path(sys.executable).with_name("docs2sdk")
SUMMARY = re.compile(r"^(\d+) models, (\d+) enums, (\d+) operations -> (\d+) files \((\d+) changed\) in \d+\.\d s$")


@pytest.fixture(autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """One cache folder for this module (formatted blocks stay warm; records are per input)."""
    folder = tmp_path_factory.getbasetemp() / "workflow-cache"
    monkeypatch.setenv("DOCS2SDK_CACHE_DIR", str(folder))
    monkeypatch.delenv("DOCS2SDK_NO_CACHE", raising=False)
    yield folder


def invoke(*args: str) -> Result:
    """Run the CLI in process (stderr and stdout apart; CliRunner's streams are not terminals)."""
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """{relative path: (sha256, mtime_ns, inode)} of every file under root."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            out[path.relative_to(root).as_posix()] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                     stat.st_mtime_ns, stat.st_ino)
    return out


def beside(out: Path) -> list[str]:
    """Names in OUT's parent folder."""
    return sorted(p.name for p in out.parent.iterdir())


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A private copy of input_docs (tests edit it)."""
    target = tmp_path / "docs"
    shutil.copytree(INPUT_DOCS, target)
    return target


def edit_description(docs: Path, page: str = "author.md") -> None:
    """Change one model page's description (its model's block changes, nothing else)."""
    path = docs / "docs" / "models" / "shared" / page
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))
    lines[index] = lines[index] + " Edited for the test."
    path.write_text("\n".join(lines), encoding="utf-8")


def test_check_passes_on_fresh_output_and_writes_nothing(docs: Path, tmp_path: Path) -> None:
    """Exit 0 with the summary line; OUT and its parent are byte-, mtime- and inode-identical after."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    before, names = snapshot(out), beside(out)
    for _ in range(2):  # the first check may prove it from the run record, the second surely does
        result = invoke("check", str(docs), "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert SUMMARY.match(result.stderr.splitlines()[-2]) and "is up to date" in result.stderr
    assert snapshot(out) == before and beside(out) == names


@pytest.mark.parametrize("cache", ["cached", "uncached"])
def test_check_reports_added_removed_and_changed_files(cache: str, docs: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A stale OUT: exit 1, one line per file, a summary counting each kind, --diff, and no writes."""
    if cache == "uncached":
        monkeypatch.setenv("DOCS2SDK_NO_CACHE", "1")
    out = tmp_path / "out"
    files = generate(schema_for(docs)).files
    extra = "bookshelf/old_module.py"
    write_tree(out, {**files, extra: "x = 1\n"}, generator="docs2sdk test")  # an earlier run wrote one more file
    (out / "README.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "bookshelf" / "py.typed").unlink()
    before, names = snapshot(out), beside(out)
    result = invoke("check", str(docs), "-o", str(out))
    assert result.exit_code == 1
    assert sorted(result.stdout.splitlines()) == [f"{out}/README.md: changed", f"{out}/bookshelf/old_module.py: removed",
                                                  f"{out}/bookshelf/py.typed: added"]
    assert f"{out} is stale: 1 added, 1 removed, 1 changed; run docs2sdk generate" in result.stderr
    shown = invoke("check", str(docs), "-o", str(out), "--diff")
    assert shown.exit_code == 1
    assert "--- a/README.md\n+++ b/README.md\n" in shown.stdout and "-edited by hand\n" in shown.stdout
    assert "--- a/bookshelf/old_module.py\n+++ /dev/null\n" in shown.stdout and "-x = 1\n" in shown.stdout
    assert "+++ b/bookshelf/py.typed" in shown.stdout
    quiet = invoke("check", str(docs), "-o", str(out), "--quiet")
    assert quiet.exit_code == 1 and quiet.stdout == "" and quiet.stderr == ""
    assert snapshot(out) == before and beside(out) == names, "check wrote something"


def test_check_after_a_docs_change_is_stale(docs: Path, tmp_path: Path) -> None:
    """Editing a page makes OUT stale (the run record of the old docs does not apply)."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    edit_description(docs)
    result = invoke("check", str(docs), "-o", str(out))
    assert result.exit_code == 1 and result.stdout == f"{out}/bookshelf/models/shared/__init__.py: changed\n"


def test_up_to_date_runs_read_no_docs(docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a run record for these inputs, generate and check prove OUT current from hashes alone;
    with the IR cached, even a stale OUT is regenerated without reading the docs."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0

    def no_reading(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("the docs were read")

    monkeypatch.setattr(pipeline, "build_schema", no_reading)
    again = invoke("generate", str(docs), "-o", str(out))
    assert again.exit_code == 0 and SUMMARY.match(again.stderr.splitlines()[-1])
    assert SUMMARY.match(again.stderr.splitlines()[-1]).group(5) == "0"  # type: ignore[union-attr]
    assert invoke("check", str(docs), "-o", str(out)).exit_code == 0
    (out / "README.md").write_text("edited\n", encoding="utf-8")  # OUT differs: generated again, from the cached IR
    assert invoke("check", str(docs), "-o", str(out)).exit_code == 1
    edit_description(docs)  # the docs differ: they are read
    with pytest.raises(AssertionError, match="the docs were read"):
        invoke("check", str(docs), "-o", str(out))


def test_generate_rewrites_only_changed_files(docs: Path, tmp_path: Path) -> None:
    """Nothing changed: nothing touched (not even OUT's inode). One page changed: one file rewritten."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    first, out_inode = snapshot(out), out.stat().st_ino
    again = invoke("generate", str(docs), "-o", str(out))
    assert again.exit_code == 0 and "files (0 changed) in" in again.stderr.splitlines()[-1]
    assert snapshot(out) == first and out.stat().st_ino == out_inode and beside(out) == ["docs", "out"]
    edit_description(docs)
    result = invoke("generate", str(docs), "-o", str(out))
    assert result.exit_code == 0 and "(1 changed)" in result.stderr
    second = snapshot(out)
    changed = sorted(p for p in first if first[p] != second[p])
    assert changed == [MANIFEST, "bookshelf/models/shared/__init__.py"]
    assert beside(out) == ["docs", "out"], "a temporary folder was left beside OUT"


def test_cached_ir_gives_identical_output(docs: Path, tmp_path: Path, shared_cache: Path) -> None:
    """The IR read back from the run cache generates exactly what the docs generate."""
    assert invoke("generate", str(docs), "-o", str(tmp_path / "a")).exit_code == 0
    verbose = invoke("generate", str(docs), "-o", str(tmp_path / "b"), "-v")
    assert verbose.exit_code == 0 and "the IR came from the run cache" in verbose.stderr
    digests = [{p: v[0] for p, v in snapshot(tmp_path / d).items()} for d in ("a", "b")]
    assert digests[0] == digests[1]


def test_only_files_docs2sdk_wrote_are_removed(docs: Path, tmp_path: Path) -> None:
    """A file an earlier run wrote and this one does not is removed; files of the user stay."""
    out = tmp_path / "out"
    files = generate(schema_for(docs)).files
    write_tree(out, {**files, "bookshelf/gone.py": "x = 1\n"}, generator="docs2sdk test")
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    (out / "bookshelf" / "local.py").write_text("# mine\n", encoding="utf-8")
    result = invoke("generate", str(docs), "-o", str(out), "-v")
    assert result.exit_code == 0 and f"removed {out}/bookshelf/gone.py" in result.stderr
    assert not (out / "bookshelf" / "gone.py").exists()
    assert (out / "notes.md").read_text() == "mine\n" and (out / "bookshelf" / "local.py").read_text() == "# mine\n"


def test_foreign_folder_needs_force(docs: Path, tmp_path: Path) -> None:
    """A non-empty folder docs2sdk did not create: exit 2 and untouched; --force writes and keeps its files."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x", encoding="utf-8")
    refused = invoke("generate", str(docs), "-o", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr and sorted(os.listdir(out)) == ["keep.txt"]
    assert invoke("generate", str(docs), "-o", str(out), "--force").exit_code == 0
    assert (out / "keep.txt").read_text() == "x" and (out / MANIFEST).is_file()


def dead_pid() -> int:
    """The id of a process that has exited."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_leftovers_of_killed_runs_are_removed_never_swapped_in(docs: Path, tmp_path: Path) -> None:
    """Temporary folders of dead runs are removed (even when OUT is already up to date); a live
    run's are left alone; none is ever used as output."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    good = snapshot(out)
    pid = dead_pid()
    junk = [tmp_path / f".out.docs2sdk-new-{pid}-abc", tmp_path / f".out.docs2sdk-old-{pid}-def"]
    live = tmp_path / f".out.docs2sdk-new-{os.getpid()}-ghi"
    for folder in (*junk, live):
        folder.mkdir()
        (folder / "README.md").write_text("junk\n", encoding="utf-8")
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0  # up to date: only the cleanup
    assert beside(out) == sorted(["docs", "out", live.name]) and snapshot(out) == good
    shutil.rmtree(live)


def test_run_killed_between_fallback_renames_is_recovered(docs: Path, tmp_path: Path) -> None:
    """Without an atomic exchange the swap is two renames; a run that died between them left OUT
    missing and the old tree aside: the next run puts it back, then writes."""
    out = tmp_path / "out"
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    (out / "mine.txt").write_text("user file\n", encoding="utf-8")
    aside = tmp_path / f".out.docs2sdk-old-{dead_pid()}-xyz"
    os.rename(out, aside)
    assert invoke("generate", str(docs), "-o", str(out)).exit_code == 0
    assert (out / "mine.txt").read_text() == "user file\n" and beside(out) == ["docs", "out"]


def test_summary_line_numbers_are_real(docs: Path, tmp_path: Path) -> None:
    """`45 models, 6 enums, 14 operations -> 15 files (15 changed) in 0.4 s`, counted from the IR and the output."""
    result = invoke("generate", str(docs), "-o", str(tmp_path / "out"))
    match = SUMMARY.match(result.stderr.splitlines()[-1])
    assert match, result.stderr
    schema = schema_for(docs)
    files = [p for p in snapshot(tmp_path / "out") if p != MANIFEST]
    expected = (len(schema.models), len(schema.enums), sum(len(g.operations) for g in schema.groups), len(files),
                len(files))
    assert tuple(int(g) for g in match.groups()) == expected


def test_quiet_prints_nothing_but_errors(docs: Path, tmp_path: Path) -> None:
    """--quiet: silent on success; docs errors still print."""
    result = invoke("generate", str(docs), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    assert invoke("schema", str(docs), "-q", "-o", str(tmp_path / "ir.json")).stderr == ""
    page = docs / "docs" / "models" / "shared" / "author.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("| `name`"))
    lines[row] = "| `name` | *str* |"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    failed = invoke("generate", str(docs), "-o", str(tmp_path / "out"), "--quiet")
    assert failed.exit_code == 3 and "error[E101]" in failed.stderr and "nothing was written" in failed.stderr


def test_verbose_prints_notes_and_timings(docs: Path, tmp_path: Path) -> None:
    """--verbose: notes (here N301: no naming rule configured), timings by phase, what formatting did."""
    toml = docs / "docs2sdk.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('naming = "camel"', ""), encoding="utf-8")
    result = invoke("generate", str(docs), "-o", str(tmp_path / "out"), "--verbose")
    assert "note[N301]" in result.stderr and "docs2sdk: fingerprint " in result.stderr
    assert "files from the file cache; formatting: " in result.stderr
    assert "note[" not in invoke("generate", str(docs), "-o", str(tmp_path / "out")).stderr
    replayed = invoke("check", str(docs), "-o", str(tmp_path / "out"), "-v")  # from the run record: notes replayed
    assert replayed.exit_code == 0 and "note[N301]" in replayed.stderr and "no docs were read" in replayed.stderr


def test_no_progress_and_no_colour_outside_a_terminal(docs: Path, tmp_path: Path) -> None:
    """Pipes (and CliRunner) get plain lines: no carriage return, no escape sequence."""
    env = {**os.environ, "DOCS2SDK_NO_CACHE": "1"}
    env.pop("CI", None)
    (docs / "docs2sdk.toml").write_text('package = "bookshelf"\n', encoding="utf-8")  # notes and a warning
    done = subprocess.run([str(DOCS2SDK), "generate", str(docs), "-o", str(tmp_path / "out"), "-v"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0 and "note[" in done.stderr and "warning[" in done.stderr
    assert "\r" not in done.stderr and "\x1b[" not in done.stderr
    assert SUMMARY.match(done.stderr.splitlines()[-1])


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_after_a_second_and_erases_itself() -> None:
    """Nothing in the first second; then `\\r`-redrawn bar with counts; close() leaves a clean line."""
    now = [0.0]
    stream = FakeTerminal()
    bar = Progress(stream, enabled=True, clock=lambda: now[0])
    bar.phase("formatting", 10)
    bar.advance(3)
    assert stream.getvalue() == ""
    now[0] = 1.5
    bar.advance(2)
    assert stream.getvalue().startswith("\rdocs2sdk: formatting [") and "5/10 1.5 s" in stream.getvalue()
    drawn = stream.getvalue()
    now[0] = 1.55
    bar.advance()  # within 0.1 s of the last draw: not redrawn
    assert stream.getvalue() == drawn
    bar.phase("writing")
    assert stream.getvalue().split("\r")[-1].rstrip(" ") == "docs2sdk: writing... 1.6 s"
    bar.close()
    value = stream.getvalue()
    assert value.endswith("\r") and value.split("\r")[-2].strip() == "", "the line is not erased"


def test_progress_is_silent_in_ci_in_pipes_and_when_quiet() -> None:
    """CI=true, TERM=dumb, a non-terminal stream or --quiet: never enabled."""
    terminal = FakeTerminal()
    assert interactive(terminal, {}) and interactive(terminal, {"CI": "false"})
    assert not interactive(terminal, {"CI": "true"}) and not interactive(terminal, {"CI": "1"})
    assert not interactive(terminal, {"TERM": "dumb"}) and not interactive(io.StringIO(), {})
    now = [5.0]
    off = Progress(terminal, enabled=False, clock=lambda: now[0])
    off.phase("reading docs", 3)
    now[0] = 50.0
    off.advance(3)
    off.close()
    assert terminal.getvalue() == ""


def test_progress_and_colour_on_a_real_terminal(tmp_path: Path) -> None:
    """Under a pty (CI unset), a run over a second shows the bar on stderr, erases it, then prints
    the summary; diagnostics are coloured."""
    source = CORPORA / "airbyte-python"
    if not source.is_dir():
        pytest.skip(f"corpus airbyte-python not found at {source} (needed for a run longer than a second)")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synthetic import build_synthetic
    finally:
        sys.path.remove(str(ROOT / "bench"))
    docs = tmp_path / "docs-x3"
    build_synthetic(source, docs, 3)  # airbyte alone now generates cold in about a second: too close to call
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM")}
    env["DOCS2SDK_NO_CACHE"] = "1"  # a cold run of three times airbyte: several seconds
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(DOCS2SDK), "generate", str(docs), "-c", str(AIRBYTE_CONFIG), "-o",
                             str(tmp_path / "out"), "-v"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = b"".join(chunks).decode("utf-8", "replace")
    assert "\rdocs2sdk: " in text and "\x1b[" in text, text[-2000:]
    last = text.replace("\r\n", "\n").rstrip("\n").split("\n")[-1]
    assert SUMMARY.match(last.split("\r")[-1]), repr(last[-300:])


def test_pre_commit_hook_definition_runs(tmp_path: Path) -> None:
    """.pre-commit-hooks.yaml: the docs2sdk-check hook; its entry passes on a fresh SDK and fails on a stale one."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "docs2sdk-check")
    assert hook["entry"] == "docs2sdk check" and hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("input_docs/docs/models/shared/author.md") and files.search("docs2sdk.toml")
    assert not files.search("generator/cli.py")
    shutil.copytree(INPUT_DOCS, tmp_path / "input_docs")
    command = [str(DOCS2SDK) if part == "docs2sdk" else part for part in shlex.split(hook["entry"])]
    assert subprocess.run([str(DOCS2SDK), "generate", "-q"], cwd=tmp_path, timeout=300).returncode == 0
    assert subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=300).returncode == 0
    (tmp_path / "generated" / "README.md").write_text("stale\n", encoding="utf-8")
    stale = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert stale.returncode == 1 and "generated/README.md: changed" in stale.stdout


def test_generate_benchmark_runs() -> None:
    """bench/generate.py --quick works (a smoke test; timings are never asserted in unit tests)."""
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--quick"], capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "(b) check, nothing changed" in proc.stdout and "(b') generate, one page changed" in proc.stdout


def test_each_page_is_read_once_for_the_key_and_the_reader(docs: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The run key hashes the very bytes the reader reads: one read of each page per run."""
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.suffix == ".md" and docs in path.parents:
            reads.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    monkeypatch.setenv("DOCS2SDK_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert invoke("generate", str(docs), "-o", str(tmp_path / "out")).exit_code == 0
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 10 and sorted(reads) == pages


def test_a_fifo_page_does_not_hang_a_cached_run(docs: Path, tmp_path: Path) -> None:
    """The run key reads only regular files: a named pipe is E002, as in an uncached run."""
    os.mkfifo(docs / "docs" / "models" / "shared" / "pipe.md")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DOCS2SDK_CACHE_DIR": str(tmp_path / "cache"), "CI": "true"}
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(docs), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 3 and "pipe.md:0: error[E002]" in proc.stderr, proc.stderr[-2000:]


@pytest.mark.parametrize("module", ["generator", "generator.cli"])
def test_the_command_flushes_its_output_and_keeps_exit_codes(docs: Path, tmp_path: Path, module: str) -> None:
    """`python -m generator` (the console script's generator.__main__.run: no cyclic GC) and
    `python -m generator.cli` (cli.entry_point, which skips interpreter teardown): the whole of
    a large stdout arrives, and the exit codes are click's (0, 1 for a stale OUT, 2 for usage)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "true"}

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True,
                              timeout=120, env=env)

    schema = command("schema", str(docs))
    assert schema.returncode == 0 and len(schema.stdout) > 50_000
    assert json.loads(schema.stdout)["api"]["package"]
    out = tmp_path / "out"
    assert command("generate", str(docs), "-o", str(out)).returncode == 0
    edit_description(docs)
    stale = command("check", str(docs), "-o", str(out))
    assert stale.returncode == 1 and "changed" in stale.stderr
    assert command("generate", "--no-such-option").returncode == 2


def test_the_console_script_runs_without_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """generator.__main__.run turns the collector off before the CLI is imported and run."""
    import gc

    from generator import __main__ as script
    from generator import cli

    seen: list[bool] = []
    monkeypatch.setattr(cli, "entry_point", lambda: seen.append(gc.isenabled()))
    was = gc.isenabled()
    try:
        script.run()
    finally:
        if was:
            gc.enable()
    assert seen == [False]
