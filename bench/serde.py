"""JSON decode/encode speed: docs2sdk's generated models against pydantic v2 and dataclasses-json.

The same payload -- N `WebBackendConnectionRead` objects of the Airbyte API, each with S
streams in its syncCatalog, one JSON text per object as an HTTP response would carry it -- is
decoded into typed objects and encoded back to JSON text by each library, side by side in one
run. docs2sdk's side is the SDK generated from ../shared/corpora/airbyte-python (into a
temporary folder at start); the peers' models are built at start from the same IR (same
fields, wire names, enums, optionality), so all three parse exactly the same shape.

    .venv/bin/python bench/serde.py             # 2,000 objects x 5 streams, median of 5 runs
    .venv/bin/python bench/serde.py --quick     # seeded smoke run (CI): 20 objects, 1 run

Goals (issue): docs2sdk decodes at least as fast as pydantic v2 and encodes at least half as
fast, and both are at least 10x dataclasses-json. The table says which goals are met; the exit
status does not depend on timings (only on the run working and every library round-tripping).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from serde_peers import ROOT_MODEL, IR, Library, dataclasses_json_library, pydantic_library

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO.parent / "shared" / "corpora" / "airbyte-python"
CONFIG = REPO / "tests" / "corpora" / "airbyte.toml"
DOCS2SDK = Path(sys.executable).with_name("docs2sdk")


# -- the IR and the generated SDK --------------------------------------------------------

def run_cli(*args: str) -> str:
    """Run docs2sdk; exit with its stderr when it fails."""
    done = subprocess.run([str(DOCS2SDK), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"docs2sdk {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def docs2sdk_library(out: Path) -> Library:
    """The generated model class, through its generated from_dict/to_dict (or JSON helpers)."""
    sys.path.insert(0, str(out))
    shared = importlib.import_module("airbyte.models.shared")
    cls = getattr(shared, ROOT_MODEL)
    loads, dumps = json.loads, json.dumps
    if hasattr(cls, "from_json") and hasattr(cls, "to_json"):
        runtime = importlib.import_module("airbyte._runtime")
        parser = "orjson (the SDK's optional speed extra)" if getattr(runtime, "_ORJSON", None) else "the json module"
        return Library("docs2sdk", cls.from_json, lambda obj: obj.to_json(), f"from_json / to_json, JSON parsed by {parser}")
    from_dict = cls.from_dict
    return Library("docs2sdk", lambda text: from_dict(loads(text)), lambda obj: dumps(obj.to_dict()),
                   "from_dict(json.loads) / json.dumps(to_dict)")


# -- the payload -----------------------------------------------------------------------------

class Payload:
    """Seeded WebBackendConnectionRead objects as JSON texts (wire names from the IR)."""

    def __init__(self, ir: IR, seed: int, streams: int) -> None:
        self.ir, self.rng, self.streams = ir, random.Random(seed), streams
        self.wire = {(m, f["name"]): f["wire_name"] for m, node in ir.models.items() for f in node["fields"]}

    def texts(self, count: int) -> list[str]:
        """`count` JSON texts, one object each."""
        return [json.dumps(self.connection(i)) for i in range(count)]

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _enum(self, name: str) -> Any:
        return self.rng.choice(self.ir.enums[name]["members"])["value"]

    def _obj(self, model: str, **values: Any) -> dict[str, Any]:
        """A model's JSON object from snake_case keyword values (None values left out)."""
        return {self.wire[(model, key)]: value for key, value in values.items() if value is not None}

    def connection(self, index: int) -> dict[str, Any]:
        """One WebBackendConnectionRead with most optional fields present."""
        source_id, destination_id, workspace = self._id(), self._id(), self._id()
        return self._obj(
            ROOT_MODEL, connection_id=self._id(), name=f"connection {index}", namespace_definition=self._enum(
                "NamespaceDefinitionType"), namespace_format="${SOURCE_NAMESPACE}", prefix="raw_",
            source_id=source_id, destination_id=destination_id, operation_ids=[self._id()],
            sync_catalog=self._obj("AirbyteCatalog", streams=[self.stream(i) for i in range(self.streams)]),
            schedule=self._obj("ConnectionSchedule", time_unit=self._enum("ConnectionScheduleTimeUnit"), units=24),
            schedule_type=self._enum("ConnectionScheduleType"),
            schedule_data=self._obj("ConnectionScheduleData", basic_schedule=self._obj(
                "ConnectionScheduleDataBasicSchedule", time_unit=self._enum(
                    "ConnectionScheduleDataBasicScheduleTimeUnit"), units=self.rng.randint(1, 60))),
            status=self._enum("ConnectionStatus"), resource_requirements=self._obj(
                "ResourceRequirements", cpu_limit="2", cpu_request="1", memory_limit="2Gi", memory_request="1Gi"),
            source=self._obj("SourceRead", source_definition_id=self._id(), source_id=source_id,
                             workspace_id=workspace, connection_configuration={"host": "db.example.com", "port": 5432},
                             name="postgres", source_name="Postgres", icon="<svg/>"),
            destination=self._obj("DestinationRead", destination_definition_id=self._id(),
                                  destination_id=destination_id, workspace_id=workspace,
                                  connection_configuration={"bucket": "lake", "region": "eu-west-1"},
                                  name="s3", destination_name="S3", icon="<svg/>"),
            operations=[self._obj("OperationRead", workspace_id=workspace, operation_id=self._id(), name="normalize",
                                  operator_configuration=self._normalization())],
            latest_sync_job_created_at=1686824430 + index, latest_sync_job_status=self._enum("JobStatus"),
            is_syncing=self.rng.random() < 0.5, catalog_id=self._id(), geography=self._enum("Geography"),
            schema_change=self._enum("SchemaChange"), notify_schema_changes=True,
            non_breaking_changes_preference=self._enum("NonBreakingChangesPreference"),
        )

    def _normalization(self) -> dict[str, Any]:
        normalization = self._obj("OperatorNormalization", option="basic")
        return self._obj("OperatorConfiguration", operator_type="normalization", normalization=normalization)

    def stream(self, index: int) -> dict[str, Any]:
        """One AirbyteStreamAndConfiguration with a small JSON schema."""
        columns = [f"col_{index}_{c}" for c in range(4)]
        json_schema = {"type": "object", "properties": {c: {"type": ["null", "string"]} for c in columns}}
        stream = self._obj("AirbyteStream", name=f"table_{index}", namespace="public", json_schema=json_schema,
                           supported_sync_modes=["full_refresh", "incremental"], source_defined_cursor=False,
                           default_cursor_field=["updated_at"], source_defined_primary_key=[["id"]])
        config = self._obj("AirbyteStreamConfiguration", sync_mode=self._enum("SyncMode"), cursor_field=["updated_at"],
                           destination_sync_mode=self._enum("DestinationSyncMode"), primary_key=[["id"]],
                           alias_name=f"table_{index}", selected=True, field_selection_enabled=False)
        return self._obj("AirbyteStreamAndConfiguration", stream=stream, config=config)


# -- measuring -------------------------------------------------------------------------------

def round_trips(library: Library, texts: list[str]) -> str:
    """"ok", or how the first differing object changed through decode + encode."""
    for text in texts:
        try:
            again = json.loads(library.encode(library.decode(text)))
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            return f"raises {type(exc).__name__}: {str(exc)[:160]}"
        if again != json.loads(text):
            return "differs: " + _first_difference(json.loads(text), again)
    return "ok"


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key, "<missing>") != b.get(key, "<missing>"):
                return _first_difference(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{where}/{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{where}/{index}")
    return f"{where}: {json.dumps(a)[:80]} -> {json.dumps(b)[:80]}"


def measure(libraries: list[Library], texts: list[str], runs: int,
            keep_gc: bool = False) -> dict[str, tuple[list[float], list[float]]]:
    """Seconds per run to decode all texts and to encode all objects, libraries interleaved."""
    times: dict[str, tuple[list[float], list[float]]] = {lib.name: ([], []) for lib in libraries}
    for _ in range(runs):
        for library in libraries:
            decode, encode = library.decode, library.encode
            # As timeit does: no cyclic GC while timing (its passes over the thousands of live
            # objects would dominate and vary run to run); collect between measurements.
            gc.collect()
            if not keep_gc:
                gc.disable()
            try:
                start = time.perf_counter()
                objects = [decode(text) for text in texts]
                middle = time.perf_counter()
                for obj in objects:
                    encode(obj)
                end = time.perf_counter()
            finally:
                gc.enable()
            del objects
            times[library.name][0].append(middle - start)
            times[library.name][1].append(end - middle)
    return times


def table(libraries: list[Library], times: dict[str, tuple[list[float], list[float]]], count: int,
          checks: dict[str, str]) -> list[str]:
    """The result table: median objects/s, ratios to pydantic and dataclasses-json, round trips."""
    rate = {lib.name: (count / statistics.median(times[lib.name][0]), count / statistics.median(times[lib.name][1]))
            for lib in libraries}
    pyd = next(name for name in rate if name.startswith("pydantic"))
    dcj = next(name for name in rate if name.startswith("dataclasses-json"))
    rows = [f"{'library':<26} {'decode obj/s':>13} {'encode obj/s':>13} {'dec/pyd':>8} {'enc/pyd':>8} "
            f"{'dec/dcj':>8} {'enc/dcj':>8}  round trip"]
    for lib in libraries:
        dec, enc = rate[lib.name]
        rows.append(f"{lib.name:<26} {dec:>13,.0f} {enc:>13,.0f} "
                    f"{dec / rate[pyd][0]:>7.2f}x {enc / rate[pyd][1]:>7.2f}x "
                    f"{dec / rate[dcj][0]:>7.1f}x {enc / rate[dcj][1]:>7.1f}x  {checks[lib.name]}")
    dec, enc = rate["docs2sdk"]
    goals = [("decode >= 1.0x pydantic", dec >= rate[pyd][0]), ("encode >= 0.5x pydantic", enc >= 0.5 * rate[pyd][1]),
             ("decode >= 10x dataclasses-json", dec >= 10 * rate[dcj][0]),
             ("encode >= 10x dataclasses-json", enc >= 10 * rate[dcj][1])]
    rows.append("goals: " + "; ".join(f"{text}: {'met' if ok else 'MISSED'}" for text, ok in goals))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Generate the SDK, build the peers and the payload, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="objects in the payload")
    parser.add_argument("--streams", type=int, default=5, help="streams per object's syncCatalog")
    parser.add_argument("--runs", type=int, default=5, help="runs; the table shows medians")
    parser.add_argument("--seed", type=int, default=20230615, help="payload seed")
    parser.add_argument("--quick", action="store_true", help="smoke run: 20 objects, 1 run")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the airbyte-python docs corpus")
    parser.add_argument("--config", type=Path, default=CONFIG, help="docs2sdk configuration for it")
    parser.add_argument("--gc", action="store_true", help="keep the cyclic GC on while timing")
    parser.add_argument("--sdk", type=Path, help="use this already generated SDK (OUT folder) instead of generating")
    parser.add_argument("--no-orjson", action="store_true", help="hide orjson from the SDK (standard json only)")
    args = parser.parse_args(argv)
    if args.no_orjson:
        sys.modules["orjson"] = None  # type: ignore[assignment]  # the SDK's optional import then fails
    if args.quick:
        args.count, args.runs = min(args.count, 20), 1
    if not args.docs.is_dir():
        print(f"skipped: corpus not found at {args.docs}", file=sys.stderr)
        return 0
    ir = IR(json.loads(run_cli("schema", str(args.docs), "-c", str(args.config))))
    with tempfile.TemporaryDirectory(prefix="serde-bench-") as out:
        if args.sdk is None:
            run_cli("generate", str(args.docs), "-o", out, "-c", str(args.config))
        libraries = [docs2sdk_library(args.sdk or Path(out)), pydantic_library(ir), dataclasses_json_library(ir)]
        texts = Payload(ir, args.seed, args.streams).texts(args.count)
        checks = {lib.name: round_trips(lib, texts) for lib in libraries}
        times = measure(libraries, texts, args.runs, keep_gc=args.gc)
    size = sum(map(len, texts)) / len(texts)
    print(f"{args.count} x {ROOT_MODEL} ({args.streams} streams each, {size:,.0f} bytes of JSON per object), "
          f"median of {args.runs} run(s), cyclic GC {'on' if args.gc else 'off'} while timing, "
          f"Python {sys.version.split()[0]}")
    for library in libraries:
        print(f"  {library.name}: {library.note}")
    print("\n".join(table(libraries, times, args.count, checks)))
    return 0 if all(check == "ok" for check in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
