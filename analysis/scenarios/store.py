"""The ``scenario`` schema: scenarios, their edits and their evaluated (published) results.

Every change is one transaction.  Edits are validated (:func:`analysis.scenarios.edits.validate_edits`)
before anything is written, so a bad edit leaves the scenario exactly as it was.  A scenario
belongs to one study area (``area``, default ``mytho``): its edits are checked against that
area's baseline and outline, and it is evaluated on that area's layers only.  A scenario
records the versions of its area's baseline layers it was drawn on (``catalog.baseline_versions``:
per study area, so loading another area changes nothing here); :func:`baseline_changes` says which
layers changed since.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from psycopg2 import errors as pgerrors
from sqlalchemy.engine import Engine

from analysis.scenarios.edits import Edit, missing_features, validate_edits
from analysis.scenarios.errors import ScenarioError, UnknownScenarioError
from analysis.scenarios.evaluate import IndicatorChange
from gis.sqlfiles import load_sql
from layers.areas import UnknownAreaError, require_area
from layers.catalog.types import DEFAULT_AREA
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

PACKAGE = "analysis.scenarios"


def _sql(name: str) -> str:
    return load_sql(PACKAGE, name)


def _cursor(conn: Any) -> Any:
    return conn.connection.driver_connection.cursor()


def data_versions(engine: Engine, area: str = DEFAULT_AREA) -> dict[str, int]:
    """Current versions of the baseline layer tables, counting only changes to rows of ``area``."""
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(_sql("versions"), {"area": area})
        return {t: int(v) for t, v in cur.fetchall()}


@dataclass
class Scenario:
    scenario_id: int
    name: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    author: str
    created_at: Any
    updated_at: Any
    parent: str | None
    baseline_versions: dict[str, int]
    published: bool
    evaluated_at: Any
    edits: int
    area: str = DEFAULT_AREA

    def to_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.__dict__.items()}


def get(engine: Engine, name: str) -> Scenario:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(_sql("get"), {"name": name})
        row = cur.fetchone()
    if row is None:
        raise UnknownScenarioError(
            f"Không có kịch bản {name!r} / No scenario named {name!r}.",
            hint="`dothi scenario list` lists them.",
        )
    return Scenario(*row)


def list_all(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(_sql("list"))
        keys = [d[0] for d in cur.description]
        return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()]


def create(
    engine: Engine,
    name: str,
    *,
    title_vi: str,
    title_en: str,
    author: str,
    description_vi: str = "",
    description_en: str = "",
    parent: str | None = None,
    area: str = DEFAULT_AREA,
) -> Scenario:
    """A new, empty scenario of study area ``area`` (on ``parent``'s edits when given, which must
    be of the same area) drawn on today's baseline."""
    try:
        area = require_area(engine, area, parameter="--area")
    except UnknownAreaError as exc:
        raise ScenarioError(exc.message, hint=exc.hint) from None
    theirs = None if parent is None else get(engine, parent).area
    if theirs not in (None, area):
        raise ScenarioError(
            f"Kịch bản gốc {parent!r} thuộc vùng {theirs!r}, không phải {area!r} / "
            f"the parent scenario {parent!r} is of study area {theirs!r}, not {area!r}.",
            hint="Build on a scenario of the same study area.",
        )
    params = {
        "area": area,
        "name": name,
        "title_vi": title_vi,
        "title_en": title_en,
        "description_vi": description_vi,
        "description_en": description_en,
        "author": author,
        "parent": parent,
        "versions": json.dumps(data_versions(engine, area)),
    }
    try:
        with engine.begin() as conn:
            _cursor(conn).execute(_sql("create"), params)
    except Exception as exc:  # psycopg2 errors arrive wrapped by SQLAlchemy
        orig = getattr(exc, "orig", exc)
        if isinstance(orig, pgerrors.UniqueViolation):
            raise ScenarioError(
                f"Kịch bản {name!r} đã tồn tại / A scenario named {name!r} already exists."
            ) from None
        if isinstance(orig, pgerrors.CheckViolation):
            raise ScenarioError(
                f"Tên hoặc tiêu đề không hợp lệ: {name!r} / Invalid name or title: {name!r}",
                hint="Names: lower-case letters, digits, '-' and '_' (at most 63); titles not empty.",
            ) from None
        raise
    return get(engine, name)


def copy(engine: Engine, name: str, new_name: str, *, author: str) -> Scenario:
    old = get(engine, name)
    new = create(
        engine,
        new_name,
        title_vi=old.title_vi,
        title_en=old.title_en,
        description_vi=old.description_vi,
        description_en=old.description_en,
        author=author,
        parent=old.parent,
        area=old.area,
    )
    with engine.begin() as conn:
        _cursor(conn).execute(_sql("copy"), {"new_id": new.scenario_id, "old_id": old.scenario_id})
    return get(engine, new_name)


def rename(engine: Engine, name: str, new_name: str) -> Scenario:
    old = get(engine, name)
    try:
        with engine.begin() as conn:
            _cursor(conn).execute(
                "UPDATE scenario.scenarios SET name = %(new)s, updated_at = now() WHERE scenario_id = %(id)s",
                {"new": new_name, "id": old.scenario_id},
            )
    except Exception as exc:
        orig = getattr(exc, "orig", exc)
        if isinstance(orig, pgerrors.UniqueViolation | pgerrors.CheckViolation):
            raise ScenarioError(
                f"Không đổi tên được thành {new_name!r} / Cannot rename to {new_name!r}."
            ) from None
        raise
    return get(engine, new_name)


def delete(engine: Engine, name: str) -> None:
    old = get(engine, name)
    try:
        with engine.begin() as conn:
            _cursor(conn).execute(
                "DELETE FROM scenario.scenarios WHERE scenario_id = %(id)s", {"id": old.scenario_id}
            )
    except Exception as exc:
        if isinstance(getattr(exc, "orig", exc), pgerrors.ForeignKeyViolation):
            raise ScenarioError(
                f"Kịch bản {name!r} là gốc của kịch bản khác / "
                f"Scenario {name!r} is the parent of another scenario.",
                hint="Delete or re-create the scenarios built on it first.",
            ) from None
        raise


def own_edits(engine: Engine, scenario_id: int) -> list[Edit]:
    with engine.connect() as conn:
        cur = _cursor(conn)
        cur.execute(_sql("edits"), {"scenario_id": scenario_id})
        rows = cur.fetchall()
    return [
        Edit(layer, op, fid, None if wkb is None else shapely.from_wkb(bytes(wkb)), attrs or {})
        for layer, op, fid, attrs, wkb in rows
    ]


def effective_edits(engine: Engine, name: str) -> list[Edit]:
    """The scenario's edits on top of its parents' (a child's edit of a feature replaces the parent's)."""
    chain: list[Scenario] = []
    current: str | None = name
    while current is not None:
        s = get(engine, current)
        if s.name in {c.name for c in chain}:
            break
        chain.append(s)
        current = s.parent
    merged: dict[str, Edit] = {}
    for s in reversed(chain):
        for e in own_edits(engine, s.scenario_id):
            merged[e.key] = e
    return list(merged.values())


def add_edits(engine: Engine, name: str, edits: list[Edit], *, author: str) -> list[Edit]:
    """Validate and store edits (all or none); an edit of a feature already edited replaces it."""
    s = get(engine, name)
    clean = validate_edits(engine, edits, area=s.area)
    with engine.begin() as conn:
        cur = _cursor(conn)
        for e in clean:
            cur.execute(
                _sql("upsert_edit"),
                {
                    "scenario_id": s.scenario_id,
                    "layer": e.layer,
                    "op": e.op,
                    "feature_id": e.feature_id,
                    "attributes": json.dumps(dict(e.attributes), default=str),
                    "wkb": None if e.geometry is None else shapely.to_wkb(e.geometry),
                    "author": author,
                },
            )
        cur.execute(
            _sql("touch"),
            {"scenario_id": s.scenario_id, "versions": json.dumps(data_versions(engine, s.area))},
        )
    return clean


def drop_edits(engine: Engine, name: str, keys: Iterable[str]) -> int:
    """Remove edits (``layer:id``) from the scenario (not features from the baseline)."""
    s = get(engine, name)
    pairs = [k.split(":", 1) for k in keys]
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute(
            "DELETE FROM scenario.edits "
            "WHERE scenario_id = %(id)s AND (layer || ':' || feature_id) = ANY(%(keys)s)",
            {"id": s.scenario_id, "keys": [f"{a}:{b}" for a, b in pairs]},
        )
        return int(cur.rowcount)


def baseline_changes(engine: Engine, scenario: Scenario) -> list[str]:
    """Baseline tables whose rows of the scenario's area changed since it was drawn (or last edited)."""
    now = data_versions(engine, scenario.area)
    then = scenario.baseline_versions or {}
    return sorted(t for t in set(now) | set(then) if now.get(t) != then.get(t))


def stale_edits(engine: Engine, edits: list[Edit], *, area: str = DEFAULT_AREA) -> list[Edit]:
    """Changes and removals whose feature no longer exists in the baseline of ``area`` (reported,
    not dropped)."""
    return missing_features(engine, edits, area=area)


def save_results(engine: Engine, name: str, changes: list[IndicatorChange], *, publish: bool) -> int:
    """Replace the scenario's stored results by ``changes`` (and publish them when asked)."""
    s = get(engine, name)
    count = 0
    with engine.begin() as conn:
        cur = _cursor(conn)
        cur.execute("DELETE FROM scenario.results WHERE scenario_id = %(id)s", {"id": s.scenario_id})
        for ch in changes:
            for row in ch.rows.itertuples(index=False):
                cur.execute(_sql("insert_result"), _result_params(s.scenario_id, ch, row))
                count += 1
        cur.execute(
            "UPDATE scenario.scenarios SET evaluated_at = now(), evaluated_versions = %(v)s, "
            "published = published OR %(publish)s WHERE scenario_id = %(id)s",
            {"id": s.scenario_id, "v": json.dumps(data_versions(engine, s.area)), "publish": publish},
        )
    return count


def notices(*, synthetic: bool) -> dict[str, str]:
    """The labels every stored scenario result carries (``layers.notices`` wording)."""
    kinds = [SCENARIO_RESULT, *([SYNTHETIC_RESULT] if synthetic else [])]
    return {f"notice_{lang}": " — ".join(k[lang] for k in kinds) for lang in ("vi", "en")}


def _num(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def _result_params(scenario_id: int, ch: IndicatorChange, row: Any) -> dict[str, Any]:
    vintage = row.vintage
    return {
        "scenario_id": scenario_id,
        "indicator_id": ch.indicator_id,
        "result_id": f"{row.level}:{row.unit_id}",
        "level": row.level,
        "unit_id": row.unit_id,
        "vintage": None
        if vintage is None or (isinstance(vintage, float) and np.isnan(vintage))
        else int(vintage),
        "name_vi": row.name_vi,
        "name_en": row.name_en,
        "value_column": ch.value_column,
        "before": _num(row.before),
        "after": _num(row.after),
        "change": _num(row.change),
        "values": json.dumps(row.values, default=str),
        "method": ch.method,
        "synthetic": ch.synthetic,
        **notices(synthetic=ch.synthetic),
        "wkb": None if row.geometry is None else shapely.to_wkb(row.geometry),
    }


def set_published(engine: Engine, name: str, published: bool) -> None:
    s = get(engine, name)
    with engine.begin() as conn:
        _cursor(conn).execute(
            "UPDATE scenario.scenarios SET published = %(p)s WHERE scenario_id = %(id)s",
            {"p": published, "id": s.scenario_id},
        )
