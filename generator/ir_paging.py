"""IR nodes for how an operation's inputs travel and how its results page: header
parameters and pagination. The docs state neither in full; configuration does, and where
the docs imply them (an example that calls `res.Next()`) the pipeline infers them and says so."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ir_types import Span

PAGINATION_KINDS = ("cursor", "offset", "page")


@dataclass(frozen=True, slots=True)
class HeaderParam:
    """An input sent as an HTTP header: its documented name and the header's name."""

    name: str
    header: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"name": self.name, "header": self.header}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "HeaderParam":
        """Inverse of `to_dict`."""
        return cls(name=data["name"], header=data["header"])


@dataclass(frozen=True, slots=True)
class Pagination:
    """How `Next()` asks for the following page.

    `kind`: cursor (the input takes the last item of the results), offset (the input grows by
    the number of results) or page (the input grows by one). `input` is the documented name of
    the request input that moves (a parameter, or a field of the request model); `results` the
    documented field names leading from the response body to the list of this page's items
    (empty: the body is the list); `limit` the input holding the page size, if any (a shorter
    page is the last); `next` (cursor only) the documented field names leading from the body to the
next cursor (empty: the last result is the cursor). `inferred` says whether the docs implied it rather than configuration.
    """

    kind: str
    input: str
    source: Span
    results: tuple[str, ...] = ()
    limit: str = ""
    next: tuple[str, ...] = ()
    inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"kind": self.kind, "input": self.input, "results": list(self.results), "limit": self.limit,
                "next": list(self.next), "inferred": self.inferred, "source": self.source.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Pagination":
        """Inverse of `to_dict`."""
        return cls(kind=data["kind"], input=data["input"], source=Span.from_dict(data["source"]),
                   results=tuple(data.get("results", ())), limit=data.get("limit", ""), next=tuple(data.get("next", ())),
                   inferred=bool(data.get("inferred", False)))
