"""Parsing documented examples: Speakeasy's empty blocks are closed with `pass`, and the text
is parsed closed first only where that gives exactly what parsing the raw text first gives."""

from __future__ import annotations

import ast
import random
from typing import Optional

from generator.examples import close_empty_blocks, parse_example, read_python_example

SPEAKEASY = '''import airbyte
from airbyte.models import shared

s = airbyte.Airbyte(
    security=shared.Security(bearer_auth=""),
)

res = s.jobs.cancel_job(request=operations.CancelJobRequest(job_id=1))

if res.job_response is not None:
    # handle response
'''


def reference_parse(code: str) -> tuple[Optional[str], str]:
    """The rule `parse_example` keeps: the raw text when it parses, else the closed text."""
    try:
        return ast.dump(ast.parse(code), include_attributes=True), ""
    except SyntaxError:
        pass
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, type(exc).__name__
    try:
        return ast.dump(ast.parse(close_empty_blocks(code)), include_attributes=True), ""
    except SyntaxError as exc:
        return None, f"line {exc.lineno}: {exc.msg}"


def parsed(code: str) -> tuple[Optional[str], str]:
    tree, error = parse_example(code)
    return (ast.dump(tree, include_attributes=True) if tree is not None else None), error.split(":")[0]


def test_speakeasy_empty_block_is_closed_and_read() -> None:
    tree, error = parse_example(SPEAKEASY)
    assert error == "" and tree is not None
    last = tree.body[-1]
    assert isinstance(last, ast.If) and isinstance(last.body[0], ast.Pass) and last.body[0].lineno == 12
    facts = read_python_example(SPEAKEASY)
    assert facts.sdk_class == "Airbyte" and [c.operation for c in facts.calls] == ["cancel_job"]


def test_empty_block_shape_inside_a_string_is_left_alone() -> None:
    code = 'text = """\nif ready:\n    # not code\n"""\nprint(text)\n'
    tree, error = parse_example(code)
    assert error == "" and tree is not None
    value = tree.body[0].value  # type: ignore[attr-defined]
    assert value.value == "\nif ready:\n    # not code\n"  # no `pass` put into the string


def test_real_and_quoted_empty_blocks_together_parse_as_before() -> None:
    code = 'text = """\nif ready:\n    # quoted\n"""\nif text:\n    # handle\n'
    assert parsed(code)[0] == reference_parse(code)[0]  # the raw text fails: both are closed, as before
    tree, _ = parse_example(code)
    assert tree is not None and isinstance(tree.body[1], ast.If) and isinstance(tree.body[1].body[0], ast.Pass)


def _random_block(rng: random.Random, depth: int, indent: str) -> list[str]:
    out: list[str] = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.3 and depth < 3:
            out.append(indent + rng.choice(["if a:", "for x in y:", "while z:", "with q:", "try:"]))
            if rng.random() < 0.4:
                out += [indent + "    # handle", ""][:rng.randint(1, 2)]
            else:
                out += _random_block(rng, depth + 1, indent + "    ")
            if rng.random() < 0.3:
                out.append(indent + rng.choice(["else:", "except E:", "finally:"]))
                out += [indent + "    # e"] if rng.random() < 0.5 else _random_block(rng, depth + 1, indent + "    ")
        elif roll < 0.4:
            out += [indent + 's = """', "if a:", "    # in a string", '"""']
        elif roll < 0.5:
            out += [indent + "d = {", indent + "  'k':", indent + "    # c", indent + "  1}"]
        else:
            out.append(indent + rng.choice(["pass", "x = 1", "f(a=1)", "# c", "s.a.b(req)", "\0", "x = (", ")"]))
    return out


def test_parse_matches_the_raw_first_rule_on_generated_code() -> None:
    rng = random.Random(20261123)
    for _ in range(3000):
        code = "\n".join(_random_block(rng, 0, "")) + rng.choice(["", "\n"])
        expected_tree, expected_error = reference_parse(code)
        tree, error = parsed(code)
        assert tree == expected_tree, code
        assert (error == "") == (expected_error == ""), code
