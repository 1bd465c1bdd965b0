"""Every class of bad input ends in a clear error, and the previous contents stay exactly as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import sqlalchemy as sa
from shapely.geometry import Point, Polygon
from sqlalchemy.engine import URL, Engine

from gis.errors import CrsError
from layers.catalog import BUILDINGS, MARKETS
from layers.errors import SourceError, ValidationError
from layers.load import load_file
from tests.layers.conftest import checksum, markets_frame


@pytest.fixture
def baseline(mt_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str]:
    """Markets holding the three hand-made features; returns their (count, checksum)."""
    path = tmp_path_factory.mktemp("base") / "base.gpkg"
    pyogrio.write_dataframe(markets_frame(), path, layer="cho")
    load_file(mt_engine, MARKETS, path)
    before = checksum(mt_engine, MARKETS)
    assert before[0] == 3
    return before


def _gpkg(frame: gpd.GeoDataFrame, path: Path) -> Path:
    pyogrio.write_dataframe(frame, path, layer="cho")
    return path


def test_corrupt_file(tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]) -> None:
    path = tmp_path / "cho.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    with pytest.raises(SourceError, match=r"cho\.gpkg.*corrupt"):
        load_file(mt_engine, MARKETS, path)
    assert checksum(mt_engine, MARKETS) == baseline


@pytest.mark.parametrize("suffix", ["geojson", "gpkg", "zip"])
def test_truncated_file(suffix: str, tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]) -> None:
    full = tmp_path / f"full.{suffix}"
    if suffix == "zip":
        pyogrio.write_dataframe(markets_frame(), tmp_path / "cho.shp")
        with zipfile.ZipFile(full, "w") as zf:
            for part in tmp_path.glob("cho.*"):
                zf.write(part, part.name)
    else:
        pyogrio.write_dataframe(markets_frame(), full, layer="cho")
    data = full.read_bytes()
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match=r"cut\." + suffix):
        load_file(mt_engine, MARKETS, cut)
    assert checksum(mt_engine, MARKETS) == baseline


def test_empty_file_and_file_without_features(
    tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]
) -> None:
    empty = tmp_path / "cho.geojson"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        load_file(mt_engine, MARKETS, empty)
    nothing = tmp_path / "none.geojson"
    nothing.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(SourceError, match="no features"):
        load_file(mt_engine, MARKETS, nothing)
    assert checksum(mt_engine, MARKETS) == baseline


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_missing_crs_is_refused_unless_given(
    tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]
) -> None:
    frame = markets_frame().set_crs(None, allow_override=True)
    shp = tmp_path / "cho.shp"
    pyogrio.write_dataframe(frame, shp)
    assert not shp.with_suffix(".prj").exists()
    with pytest.raises(CrsError, match=r"cho\.shp has no coordinate reference system"):
        load_file(mt_engine, MARKETS, shp)
    assert checksum(mt_engine, MARKETS) == baseline
    # VN-2000 / Tiền Giang 3° zone, as the provincial offices deliver it
    vn = markets_frame().to_crs("+proj=tmerc +lat_0=0 +lon_0=105.75 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
                                "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,"
                                "-0.00427372,0.252906278 +units=m +no_defs")  # fmt: skip
    shp2 = tmp_path / "vn.shp"
    pyogrio.write_dataframe(vn.set_crs(None, allow_override=True), shp2)
    report = load_file(mt_engine, MARKETS, shp2, crs="VN2000-TM3-TIENGIANG")
    assert report.written == 3


def test_wrong_crs_lands_outside_the_study_area(
    tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]
) -> None:
    """Metres labelled as degrees (or the wrong zone) put the features far away: refused, --force loads."""
    utm = markets_frame().to_crs(32648)
    path = tmp_path / "cho.geojson"
    pyogrio.write_dataframe(utm, path)
    with pytest.raises(ValidationError, match="far outside the study area"):
        load_file(mt_engine, MARKETS, path, crs="EPSG:4326")
    assert checksum(mt_engine, MARKETS) == baseline
    las_palmas = markets_frame()
    las_palmas["geometry"] = [Point(-15.43, 28.14), Point(-15.42, 28.10), Point(-15.44, 28.12)]
    far = _gpkg(las_palmas, tmp_path / "far.gpkg")
    with pytest.raises(ValidationError, match="--force"):
        load_file(mt_engine, MARKETS, far)
    assert checksum(mt_engine, MARKETS) == baseline
    assert load_file(mt_engine, MARKETS, far, force=True).written == 3


def test_invalid_geometry_repaired_empty_refused(tmp_path: Path, mt_engine: Engine) -> None:
    bowtie = Polygon([(106.35, 10.35), (106.351, 10.351), (106.351, 10.35), (106.35, 10.351)])
    square = Polygon([(106.36, 10.36), (106.361, 10.36), (106.361, 10.361), (106.36, 10.361)])
    frame = gpd.GeoDataFrame(
        {"building_id": ["b-1", "b-2"], "use": ["residential", "commercial"]},
        geometry=[bowtie, square],
        crs="EPSG:4326",
    )
    report = load_file(mt_engine, BUILDINGS, _gpkg(frame, tmp_path / "nha.gpkg"))
    assert report.repaired == 1 and "feature #1 (id 'b-1')" in report.repairs[0]
    before = checksum(mt_engine, BUILDINGS)
    frame.loc[1, "geometry"] = Polygon()
    with pytest.raises(ValidationError, match=r"feature #2 \(id 'b-2'\): empty geometry"):
        load_file(mt_engine, BUILDINGS, _gpkg(frame, tmp_path / "nha2.geojson"))
    assert checksum(mt_engine, BUILDINGS) == before


def test_wrong_types_and_values(tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]) -> None:
    frame = markets_frame().astype({"stalls": object})
    frame.loc[0, "stalls"] = "nhiều"
    frame.loc[2, "type"] = "bazaar"
    with pytest.raises(ValidationError) as err:
        load_file(mt_engine, MARKETS, _gpkg(frame, tmp_path / "cho.gpkg"))
    text = str(err.value)
    assert "feature #1 (id 'm-1'), field 'stalls': 'nhiều' is not a whole number" in text
    assert "feature #3 (id 'm-3'), field 'type': 'bazaar' is not one of" in text
    assert checksum(mt_engine, MARKETS) == baseline


def test_missing_required_field(tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]) -> None:
    frame = markets_frame().drop(columns="type")
    with pytest.raises(ValidationError, match="lacks required attribute.*type.*--map|--map") as err:
        load_file(mt_engine, MARKETS, _gpkg(frame, tmp_path / "cho.gpkg"))
    assert "'type' missing" in str(err.value)
    frame = markets_frame()
    frame.loc[1, "type"] = None
    with pytest.raises(ValidationError, match=r"feature #2 \(id 'm-2'\), field 'type': required but empty"):
        load_file(mt_engine, MARKETS, _gpkg(frame, tmp_path / "cho2.gpkg"))
    with pytest.raises(SourceError, match="--map names column"):
        load_file(mt_engine, MARKETS, tmp_path / "cho2.gpkg", renames={"loai": "type"})
    assert checksum(mt_engine, MARKETS) == baseline


def test_vni_text_is_refused_naming_the_column(
    tmp_path: Path, mt_engine: Engine, baseline: tuple[int, str]
) -> None:
    frame = markets_frame()
    frame["name"] = ["Chôï Myõ Tho", "Sieâu thò Co.opmart Myõ Tho", "Chôï Ñaïo Thaïnh"]  # VNI-Windows bytes
    shp = tmp_path / "cho.shp"
    pyogrio.write_dataframe(frame, shp, encoding="latin1")
    shp.with_suffix(".cpg").unlink()
    with pytest.raises(SourceError, match=r"column 'name' looks VNI-encoded.*") as err:
        load_file(mt_engine, MARKETS, shp)
    assert "UTF-8" in str(err.value)
    assert checksum(mt_engine, MARKETS) == baseline


_KILLED_LOAD = textwrap.dedent(
    """
    import sys
    import geopandas as gpd, numpy as np, shapely
    from gis.engine import create_engine
    from layers.catalog import BUILDINGS
    from layers.load import SourceInfo, load_frame
    n = 300_000
    i = np.arange(n)
    x, y = 106.30 + (i % 600) * 2e-4, 10.32 + (i // 600) * 1.5e-4
    frame = gpd.GeoDataFrame(
        {"building_id": np.char.add("k", i.astype(str)), "use": "residential"},
        geometry=shapely.box(x, y, x + 1e-4, y + 1e-4), crs="EPSG:4326")
    def say(msg):
        print(msg, flush=True)
    load_frame(create_engine(sys.argv[1]), BUILDINGS, frame, source=SourceInfo("big.gpkg", "k" * 64),
               progress=say)
    print("FINISHED", flush=True)
    """
)


def test_process_killed_during_copy_changes_nothing(mt_url: URL, mt_engine: Engine, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"building_id": ["keep-1"], "use": ["public"]},
        geometry=[Polygon([(106.36, 10.36), (106.361, 10.36), (106.361, 10.361)])],
        crs="EPSG:4326",
    )
    load_file(mt_engine, BUILDINGS, _gpkg(frame, tmp_path / "keep.gpkg"))
    before = checksum(mt_engine, BUILDINGS)
    with mt_engine.connect() as conn:
        loads = conn.execute(sa.text("SELECT count(*) FROM catalog.load_provenance")).scalar_one()
    script = tmp_path / "killed.py"
    script.write_text(_KILLED_LOAD, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), mt_url.render_as_string(hide_password=False)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("copying"):
            time.sleep(0.5)  # inside the COPY of the first chunks
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, seen
    assert not any("FINISHED" in s for s in seen)
    assert checksum(mt_engine, BUILDINGS) == before
    with mt_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM catalog.load_provenance")).scalar_one() == loads
        indexes = set(
            conn.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'buildings'")).scalars()
        )
    assert {"buildings_pkey", "idx_buildings_geom"} <= indexes
    # the lock is gone: the next load goes through
    assert (
        load_file(mt_engine, BUILDINGS, _gpkg(frame.assign(use="other"), tmp_path / "k2.gpkg")).written == 1
    )
