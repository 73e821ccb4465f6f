"""The SDK generated from input_docs, driven against a real loopback HTTP server (sync and async).

Checks what goes on the wire (method, path, query, JSON body wire names, credentials,
User-Agent) and what comes back (typed decoding, the field chosen by status and shape,
documented errors raised, SDK errors for undocumented statuses and bad bodies, retries,
timeouts, server URL resolution).
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from gen_helpers import INPUT_DOCS, Answer, Server, generate_to, run_python, schema_for

BOOK = {
    "id": "bk_1", "title": "The Lighthouse", "authors": [{"name": "Maren", "born": "1979-11-03"}],
    "ISBN13": "9780000000002", "bookFormat": "paperback", "location": {"floor": 2, "aisle": "F-12", "shelf": 3},
    "replacementCost": 27.5, "copiesTotal": 3, "copiesAvailable": 1, "referenceOnly": False,
    "addedAt": "2024-01-05T10:00:00Z", "genre": {"id": "gn_1", "name": "Mystery", "subGenres": [{"id": "g2", "name": "Noir"}]},
    "cover": {"content": "iVBORw0KGgo=", "mediaType": "image/png"}, "futureField": {"kept": True},
}


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The `bookshelf` package generated from input_docs into a temporary folder, imported."""
    out = tmp_path_factory.mktemp("bookshelf-sdk")
    generate_to(out, schema_for(INPUT_DOCS))
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("bookshelf")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "bookshelf" or n.startswith("bookshelf.")]:
            del sys.modules[name]


@pytest.fixture
def server() -> Iterator[Server]:
    """A fresh scripted loopback server."""
    with Server() as running:
        yield running


def models(sdk: ModuleType) -> tuple[Any, Any, Any, Any]:
    """(shared, operations, errors, utils) of the generated package."""
    m = importlib.import_module("bookshelf.models")
    return m.shared, m.operations, m.errors, importlib.import_module("bookshelf.utils")


def client(sdk: ModuleType, server: Server, **kwargs: Any) -> Any:
    shared = models(sdk)[0]
    return sdk.Bookshelf(server_url=server.url, security=shared.Security(api_key="Token K"), **kwargs)


def fast_retries(sdk: ModuleType) -> Any:
    utils = models(sdk)[3]
    return utils.RetryConfig("backoff", utils.BackoffStrategy(1, 20, 1.1, 2000), False)


def no_retries(sdk: ModuleType) -> Any:
    return models(sdk)[3].RetryConfig("none")


def test_request_on_the_wire(sdk: ModuleType, server: Server) -> None:
    """POST /loans with a JSON body in wire names, the credential header and the User-Agent."""
    shared = models(sdk)[0]
    server.plan("POST", "/loans", Answer(201, {"id": "ln_1", "bookId": "bk_1", "status": "active",
                                               "borrowedAt": "2024-03-01T09:00:00Z", "dueOn": "2024-03-15",
                                               "renewals": 0}))
    res = client(sdk, server).loans.create_loan(shared.LoanRequest(book_id="bk_1", member_id="mb_1", loan_days=14))
    seen = server.requests[-1]
    assert (seen.method, seen.path) == ("POST", "/loans")
    assert seen.json() == {"bookId": "bk_1", "memberId": "mb_1", "loanDays": 14}
    assert seen.headers["content-type"] == "application/json"
    assert seen.headers["authorization"] == "Token K"
    assert seen.headers["user-agent"].startswith("docs2sdk/") and "bookshelf/" in seen.headers["user-agent"]
    assert res.status_code == 201 and res.loan.due_on == datetime.date(2024, 3, 15) and res.loan_refusal is None
    assert res.loan.status is shared.LoanStatus.ACTIVE and res.raw_response.status_code == 201


def test_typed_decoding_and_round_trip(sdk: ModuleType, server: Server) -> None:
    """Nested models, lists, unions, decimals, dates, bytes, unknown keys; to_dict gives the body back."""
    shared = models(sdk)[0]
    server.plan("GET", "/books/bk_1", Answer(200, BOOK))
    book = client(sdk, server).books.get_book(book_id="bk_1").book
    assert server.requests[-1].path == "/books/bk_1"
    assert isinstance(book.location, shared.ShelfPosition) and book.location.aisle == "F-12"
    assert book.replacement_cost == decimal.Decimal("27.5") and book.book_format is shared.BookFormat.PAPERBACK
    assert book.added_at == datetime.datetime(2024, 1, 5, 10, tzinfo=datetime.timezone.utc)
    assert book.authors[0].born == datetime.date(1979, 11, 3) and book.genre.sub_genres[0].name == "Noir"
    assert book.cover.content == b"\x89PNG\r\n\x1a\n" and book.additional_properties == {"futureField": {"kept": True}}
    assert shared.Book.from_json(book.to_json()) == book
    assert book.to_dict() == {**BOOK, "replacementCost": decimal.Decimal("27.5")}


def test_unknown_enum_value_is_tolerated(sdk: ModuleType, server: Server) -> None:
    """A value the docs do not list decodes to a pseudo-member and encodes back unchanged."""
    shared = models(sdk)[0]
    server.plan("GET", "/books/bk_2", Answer(200, {**BOOK, "bookFormat": "scroll"}))
    book = client(sdk, server).books.get_book(book_id="bk_2").book
    assert book.book_format.value == "scroll" and isinstance(book.book_format, shared.BookFormat)
    assert book.to_dict()["bookFormat"] == "scroll" and shared.BookFormat.EBOOK.value == "e-book"


def test_body_fills_the_field_it_fits(sdk: ModuleType, server: Server) -> None:
    """Two 2xx candidates (loan, loan_refusal): the body's required keys decide."""
    shared = models(sdk)[0]
    server.plan("POST", "/loans", Answer(200, {"reason": "unpaid fines", "finesDue": 12.8}))
    res = client(sdk, server).loans.create_loan(shared.LoanRequest(book_id="bk_1", member_id="mb_1"))
    assert res.loan is None and res.loan_refusal.fines_due == decimal.Decimal("12.8")


def test_documented_error_is_raised(sdk: ModuleType, server: Server) -> None:
    """404 -> errors.NotFoundError (documented), carrying its fields, status and raw response."""
    errors = models(sdk)[2]
    server.plan("DELETE", "/books/bk_9", Answer(404, {"code": "not_found", "message": "no such book"}))
    with pytest.raises(errors.NotFoundError) as caught:
        client(sdk, server).books.delete_book(book_id="bk_9")
    assert caught.value.code == "not_found" and caught.value.http_status == 404
    assert caught.value.raw_response.status_code == 404 and "not_found" in str(caught.value)


def test_validation_error_with_nested_list(sdk: ModuleType, server: Server) -> None:
    shared, _ops, errors, _utils = models(sdk)
    server.plan("POST", "/members", Answer(422, {"message": "bad", "fieldErrors": [{"field": "email", "problem": "x"}]}))
    with pytest.raises(errors.ValidationError) as caught:
        client(sdk, server).members.create_member(
            shared.MemberInput(name="N", email="e", date_of_birth=datetime.date(2000, 1, 2)))
    assert caught.value.field_errors[0].field == "email"
    assert server.requests[-1].json() == {"name": "N", "email": "e", "dob": "2000-01-02"}


@pytest.mark.parametrize("answer, message", [
    (Answer(500, b"boom", "text/plain"), "HTTP 500"),
    (Answer(200, b'{"id": ', "application/json"), "not valid JSON"),
    (Answer(200, b"<html></html>", "text/html"), "content type"),
    (Answer(200, b"", "application/json"), "empty"),
    (Answer(200, {"unexpected": True}), "does not match"),
])
def test_sdk_errors(sdk: ModuleType, server: Server, answer: Answer, message: str) -> None:
    """Undocumented statuses and bodies that do not decode raise errors.SDKError with an excerpt."""
    errors = models(sdk)[2]
    server.plan("GET", "/books/bk_1", answer)
    with pytest.raises(errors.SDKError) as caught:
        client(sdk, server).books.get_book(book_id="bk_1", retries=no_retries(sdk))
    assert message in str(caught.value)
    assert caught.value.status_code == answer.status and caught.value.raw_response is not None


def test_retries_503_then_success(sdk: ModuleType, server: Server) -> None:
    server.plan("GET", "/genres", Answer(503), Answer(503), Answer(200, [{"id": "g", "name": "n"}]))
    res = client(sdk, server).books.list_genres(retries=fast_retries(sdk))
    assert len(server.requests) == 3 and res.genres[0].name == "n"


def test_default_policy_and_retry_after(sdk: ModuleType, server: Server) -> None:
    """Documented retries apply by default to the read operations; Retry-After is honoured."""
    server.plan("GET", "/genres", Answer(429, headers={"retry-after": "0"}), Answer(200, []))
    assert client(sdk, server).books.list_genres().genres == []
    assert len(server.requests) == 2


def test_writes_are_not_retried_by_default(sdk: ModuleType, server: Server) -> None:
    shared, _ops, errors, _utils = models(sdk)
    server.plan("POST", "/loans", Answer(503), Answer(201, {}))
    with pytest.raises(errors.SDKError):
        client(sdk, server).loans.create_loan(shared.LoanRequest(book_id="b", member_id="m"))
    assert len(server.requests) == 1


def test_timeout(sdk: ModuleType, server: Server) -> None:
    errors = models(sdk)[2]
    server.plan("GET", "/members/mb_1", Answer(200, {}, delay=1.0))
    with pytest.raises(errors.APITimeoutError):
        client(sdk, server).members.get_member(member_id="mb_1", timeout=0.2)


def test_connection_error(sdk: ModuleType) -> None:
    errors = models(sdk)[2]
    s = sdk.Bookshelf(server_url="http://127.0.0.1:9")
    with pytest.raises(errors.APIConnectionError):
        s.loans.create_loan({"book_id": "b", "member_id": "m"})


def test_query_path_and_dict_requests(sdk: ModuleType, server: Server) -> None:
    """Query parameters in wire names; path parameters quoted; plain dicts with Python names accepted."""
    shared, operations, _errors, _utils = models(sdk)
    server.plan("GET", "/books", Answer(200, [BOOK]))
    s = client(sdk, server)
    s.books.list_books(operations.ListBooksRequest(book_format=shared.BookFormat.EBOOK, available_only=True,
                                                   keywords=["a", "b"], published_after=datetime.date(2020, 1, 2)))
    assert server.requests[-1].query == {"bookFormat": ["e-book"], "availableOnly": ["true"], "keywords": ["a", "b"],
                                         "publishedAfter": ["2020-01-02"]}
    server.plan("PATCH", "/books/a%20b", Answer(200, BOOK))
    s.books.update_book({"book_id": "a b", "notify_waitlist": True,
                         "book_update": {"title": "New", "book_format": "hardcover",
                                         "replacement_cost": decimal.Decimal("29.00")}})
    seen = server.requests[-1]
    assert seen.path == "/books/a%20b" and seen.query == {"notifyWaitlist": ["true"]}
    assert seen.body == b'{"title":"New","bookFormat":"hardcover","replacementCost":29.00}'


def test_flattened_parameters(sdk: ModuleType, server: Server) -> None:
    """Documented keyword parameters: path, query and body placement."""
    shared = models(sdk)[0]
    server.plan("PUT", "/members/mb_1/preferences", Answer(200, {"language": "fr"}))
    s = client(sdk, server)
    res = s.members.set_member_preferences(member_id="mb_1", preferences=shared.Preferences(language="fr"))
    assert server.requests[-1].json() == {"language": "fr"} and res.preferences.language == "fr"
    server.plan("GET", "/members", Answer(200, []))
    s.members.list_members(status=shared.MemberStatus.ACTIVE, tier=shared.MembershipTier.STUDENT,
                           joined_after=datetime.date(2023, 1, 1))
    assert server.requests[-1].query == {"status": ["active"], "tier": ["2"], "joinedAfter": ["2023-01-01"]}


def test_async_twins(sdk: ModuleType, server: Server) -> None:
    shared, _ops, errors, _utils = models(sdk)
    server.plan("GET", "/books/bk_1", Answer(200, BOOK))
    server.plan("GET", "/books/none", Answer(404, {"code": "nf", "message": "gone"}))

    async def main() -> Any:
        async with sdk.Bookshelf(server_url=server.url, security=shared.Security(api_key="Token A")) as s:
            res = await s.books.get_book_async(book_id="bk_1")
            with pytest.raises(errors.NotFoundError):
                await s.books.get_book_async(book_id="none")
            return res

    res = asyncio.run(main())
    assert res.book.title == "The Lighthouse" and server.requests[0].headers["authorization"] == "Token A"


def test_server_url_from_environment(sdk: ModuleType, server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """BOOKSHELF_SERVER_URL points unchanged examples at another server."""
    monkeypatch.setenv("BOOKSHELF_SERVER_URL", server.url)
    server.plan("GET", "/health", Answer(200, {"status": "ok", "version": "1", "uptimeSeconds": 1.5,
                                               "checkedAt": "2024-01-01T00:00:00Z"}))
    with sdk.Bookshelf() as s:
        assert s.health.get_health().health_status.status == "ok"


def test_retry_config_shapes_of_the_docs(sdk: ModuleType, server: Server) -> None:
    """`utils.RetryConfig('backoff', utils.BackoffStrategy(1, 50, 1.1, 100), False)` per call and per client."""
    utils = models(sdk)[3]
    config = utils.RetryConfig("backoff", utils.BackoffStrategy(1, 50, 1.1, 100), False)
    server.plan("GET", "/genres", Answer(503), Answer(200, []))
    assert client(sdk, server, retry_config=config).books.list_genres().genres == []
    assert len(server.requests) == 2


def test_pagination_and_header_parameters(sdk: ModuleType, server: Server) -> None:
    """`Next()` asks for page+1 with the same inputs until a short page; a [headers] input travels as a header."""
    _shared, operations, _errors, _utils = models(sdk)
    loan = {"id": "ln_1", "bookId": "bk_1", "status": "active", "borrowedAt": "2024-03-01T09:00:00Z",
            "dueOn": "2024-03-15", "renewals": 0}
    server.plan("GET", "/loans", Answer(200, [loan, loan]), Answer(200, [loan, loan]), Answer(200, [loan]))
    res = client(sdk, server).loans.list_loans(operations.ListLoansRequest(member_id="mb_1", page_size=2,
                                                                          x_correlation_id="c-1"))
    pages = [res]
    while (res := res.Next()) is not None:
        pages.append(res)
    assert [len(p.loans) for p in pages] == [2, 2, 1]  # the third page is shorter than page_size: the last
    assert [r.query.get("page") for r in server.requests] == [None, ["2"], ["3"]]
    assert all(r.query["memberId"] == ["mb_1"] and r.query["pageSize"] == ["2"] for r in server.requests)
    assert all(r.headers["x-correlation-id"] == "c-1" and "xCorrelationId" not in r.query for r in server.requests)


def test_pagination_ends_on_an_empty_page_sync_and_async(sdk: ModuleType, server: Server) -> None:
    """Without a page size, an empty page is the last (its Next() is None, as Speakeasy's); `next_async` too."""
    shared, operations, _errors, _utils = models(sdk)
    server.plan("GET", "/books", Answer(200, [BOOK]), Answer(200, [BOOK]), Answer(200, []))
    first = client(sdk, server).books.list_books(operations.ListBooksRequest(page=4))
    second = first.Next()
    assert second is not None and second.books[0].title == "The Lighthouse"
    third = second.Next()
    assert third is not None and third.books == [] and third.Next() is None
    assert [r.query.get("page") for r in server.requests] == [["4"], ["5"], ["6"]]
    server.plan("GET", "/books", Answer(200, [BOOK]), Answer(200, []))

    async def walk() -> list[Any]:
        async with sdk.Bookshelf(server_url=server.url, security=shared.Security(api_key="Token A")) as s:
            res = await s.books.list_books_async(operations.ListBooksRequest())
            last = await res.next_async()
            return [res, last, None if last is None else await last.next_async()]

    got = asyncio.run(walk())
    assert got[1] is not None and got[1].books == [] and got[2] is None
    assert isinstance(got[1], operations.ListBooksResponse)
    assert [r.query.get("page") for r in server.requests[3:]] == [None, ["2"]]


def test_json_parsing_with_and_without_orjson(sdk: ModuleType, server: Server, tmp_path: Path) -> None:
    """orjson (the optional `speed` extra) parses when installed; what it rejects (an integer beyond 64 bits)
    falls back to the standard parser, and without orjson the SDK decodes the same."""
    runtime = importlib.import_module("bookshelf._runtime")
    pytest.importorskip("orjson")
    assert runtime._ORJSON is not None
    for huge in (10**30, 2**64, -(2**63) - 1, 10**18):
        server.plan("GET", "/books/bk_9", Answer(200, {**BOOK, "copiesTotal": huge}))
        got = client(sdk, server).books.get_book(book_id="bk_9").book.copies_total
        assert type(got) is int and got == huge
    samples = [b'{"a": [1, 2.5, "x", -0.0, 1e308, 0.1]}', '{"s": "\\ud800 caf\u00e9"}', b"[NaN]", "[1e400]",
               b'"' + b"9" * 30 + b'"', b"[" * 800 + b"]" * 800]
    for text in samples:
        assert repr(runtime.json_loads(text)) == repr(json.loads(text)), text[:40]
    code = ("import sys; sys.modules['orjson'] = None\n"
            "from bookshelf import _runtime\nfrom bookshelf.models import shared\n"
            "assert _runtime._ORJSON is None\n"
            f"book = shared.Book.from_json({json.dumps(json.dumps(BOOK))})\n"
            "print(book.title, book.copies_total, _runtime.json_loads('[1e400]'))\n")
    out = tmp_path / "sdk"
    generate_to(out, schema_for(INPUT_DOCS))
    ran = run_python(code, out)
    assert ran.returncode == 0 and ran.stdout.split() == ["The", "Lighthouse", "3", "[inf]"], ran.stderr
