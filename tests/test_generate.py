"""`docs2sdk generate`: the committed golden tree, determinism, black, mypy --strict, every corpus.

The golden record is `generated/` = `docs2sdk generate input_docs`; regenerate it with
`pytest --update-golden` after an intended change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import black
import pytest

from gen_helpers import AIRBYTE_CONFIG, CORPORA, INPUT_DOCS, ROOT, generate_to, run_mypy, run_python, schema_for
from generator.format import MODE
from generator.generate import generate
from generator.view import docs2sdk_version
from generator.write import MANIFEST, manifest_text, write_tree

GOLDEN = ROOT / "generated"
DOCS2SDK = Path(sys.executable).with_name("docs2sdk")
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (caches excluded), by relative POSIX path."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(root).parts):
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def expected_golden() -> dict[str, bytes]:
    """What `docs2sdk generate` writes for input_docs, manifest included."""
    files = {p: t.encode() for p, t in generate(schema_for(INPUT_DOCS)).files.items()}
    files[MANIFEST] = manifest_text(files, f"docs2sdk {docs2sdk_version()}").encode()
    return files


def test_golden_generated_tree(update_golden: bool) -> None:
    """generated/ is exactly the SDK of input_docs: no file missing, extra or different."""
    expected = expected_golden()
    if update_golden:
        write_tree(GOLDEN, {p: b.decode() for p, b in expected.items() if p != MANIFEST},
                   generator=f"docs2sdk {docs2sdk_version()}", force=True)
    actual = tree(GOLDEN) if GOLDEN.is_dir() else {}
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    changed = sorted(p for p in set(expected) & set(actual) if expected[p] != actual[p])
    assert not (missing or extra or changed), (
        f"generated/ is stale (missing {missing}, extra {extra}, changed {changed}); "
        "if the change is intended, run: pytest --update-golden")


@pytest.fixture(scope="module")
def input_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """input_docs generated into a temporary folder."""
    out = tmp_path_factory.mktemp("gen-input")
    generate_to(out, schema_for(INPUT_DOCS))
    return out


@pytest.fixture(scope="module")
def airbyte_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """airbyte-python generated with tests/corpora/airbyte.toml (skipped without the corpora)."""
    docs = CORPORA / "airbyte-python"
    if not docs.is_dir():
        pytest.skip(f"corpus airbyte-python not found at {docs}")
    out = tmp_path_factory.mktemp("gen-airbyte")
    generate_to(out, schema_for(docs, AIRBYTE_CONFIG))
    return out


@pytest.mark.parametrize("which", ["input_sdk", "airbyte_sdk"])
def test_mypy_strict(which: str, request: pytest.FixtureRequest) -> None:
    """The generated package passes mypy --strict."""
    out: Path = request.getfixturevalue(which)
    package = "bookshelf" if which == "input_sdk" else "airbyte"
    done = run_mypy(out, package)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


@pytest.mark.parametrize("which", ["input_sdk", "airbyte_sdk"])
def test_black_leaves_generated_files_unchanged(which: str, request: pytest.FixtureRequest) -> None:
    """Formatting block by block gives exactly what black gives for the whole file."""
    out: Path = request.getfixturevalue(which)
    unstable = [p for p, data in tree(out).items()
                if p.endswith(".py") and black.format_str(data.decode(), mode=MODE) != data.decode()]
    assert not unstable, f"black changes {unstable}"


def test_two_runs_give_identical_bytes(tmp_path: Path) -> None:
    """Two CLI runs with different hash seeds write byte-identical trees (manifest included)."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([str(DOCS2SDK), "generate", str(INPUT_DOCS), "-o", str(out)], capture_output=True,
                              text=True, env=env, timeout=300, check=False)
        assert done.returncode == 0, done.stderr
        trees.append(tree(out))
    assert trees[0] == trees[1]


def corpus_names() -> list[str]:
    """Every corpus beside the checkout (one skipped placeholder when there are none)."""
    if not CORPORA.is_dir():
        return ["corpora-absent"]
    return sorted(p.name for p in CORPORA.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", corpus_names())
def test_every_corpus_generates_and_imports(name: str, tmp_path: Path) -> None:
    """Each corpus (every dialect and layout) generates, and its package imports and builds a client."""
    if name == "corpora-absent":
        pytest.skip(f"no corpora at {CORPORA} (the shared corpora are expected beside the checkout)")
    config = AIRBYTE_CONFIG if name.startswith("airbyte") else None
    result = generate_to(tmp_path, schema_for(CORPORA / name, config))
    package = next(p.split("/")[0] for p in result.files if p.endswith("/sdk.py"))
    code = (f"import importlib, {package}\n"
            f"from {package}.models import *\n"
            f"m = importlib.import_module('{package}.models')\n"
            "for ns in m.__all__: importlib.import_module(f'{m.__name__}.{ns}')\n"
            f"s = {package}.{result_class(tmp_path, package)}(server_url='http://127.0.0.1:9')\n"
            "s.close()\nprint('ok')\n")
    done = run_python(code, tmp_path)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-3000:]


def result_class(out: Path, package: str) -> str:
    """The SDK class a package exports (first name in its __all__)."""
    text = (out / package / "__init__.py").read_text(encoding="utf-8")
    return text.split("from .sdk import ", 1)[1].split()[0]


def test_generate_is_fast_enough_on_input_docs(tmp_path: Path) -> None:
    """A smoke bound (generous: CI machines vary): input_docs generates in well under a minute."""
    done = subprocess.run([str(DOCS2SDK), "generate", str(INPUT_DOCS), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def no_route_docs(tmp_path: Path) -> Iterator[Path]:
    """input_docs copied without its [routes] table."""
    docs = tmp_path / "docs-no-routes"
    subprocess.run(["cp", "-r", str(INPUT_DOCS), str(docs)], check=True)
    toml = docs / "docs2sdk.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[routes]")
    end = text.index("[", start + 1)
    toml.write_text(text[:start] + text[end:], encoding="utf-8")
    yield docs


def test_unrouted_operations_warn_and_raise(no_route_docs: Path, tmp_path: Path) -> None:
    """No route: W301 at generation; --strict stops before writing; a call raises NoRouteError."""
    out = tmp_path / "sdk"
    strict = subprocess.run([str(DOCS2SDK), "generate", str(no_route_docs), "-o", str(out), "--strict"],
                            capture_output=True, text=True, timeout=300, check=False)
    assert strict.returncode == 3 and "W301" in strict.stderr and not out.exists()
    done = subprocess.run([str(DOCS2SDK), "generate", str(no_route_docs), "-o", str(out)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0 and "warning[W301]" in done.stderr
    code = ("import bookshelf\nfrom bookshelf.models import errors\n"
            "s = bookshelf.Bookshelf(server_url='http://127.0.0.1:9')\n"
            "try:\n    s.books.get_book(book_id='x')\nexcept errors.NoRouteError as e:\n    print('raised', e)\n")
    ran = run_python(code, out)
    assert ran.stdout.startswith("raised books.get_book: the docs give no HTTP method and path"), ran.stderr
