"""GTFS feeds into ``transit_stops`` with weekday service frequency.

Definitions (also in docs/loading.md):

* **Service day**: ``--date`` when given, else the Monday–Friday date inside the feed's calendar
  with the most trips running (``calendar.txt`` plus ``calendar_dates.txt`` exceptions); ties go to
  the earliest date.
* **Weekday departures** of a stop: stop_times rows at the stop, on trips running that day, that
  allow boarding (``pickup_type`` ≠ 1) and are not the trip's last stop.
* **Peak headway**: 120 min divided by the departures whose ``departure_time`` falls in the
  morning peak 07:00 ≤ t < 09:00 (empty when none).
* **Mode** of a stop: the most frequent GTFS ``route_type`` of the trips (any day) serving it,
  mapped 0/5 → tram, 1/2/12 → rail, 3/11 → bus, 4 → ferry; capacity low (bus, tram) / high.
  Stops no trip serves take the feed's most frequent mode.
* Only stops and platforms (``location_type`` 0 or empty) are loaded; ids are ``gtfs:<stop_id>``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.catalog import TRANSIT_STOPS
from layers.errors import SourceError

PEAK = (7 * 3600, 9 * 3600)
_MODES = {0: "tram", 5: "tram", 1: "rail", 2: "rail", 12: "rail", 3: "bus", 11: "bus", 4: "ferry", 7: "rail"}
_REQUIRED = ("stops.txt", "trips.txt", "stop_times.txt", "routes.txt")
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class GtfsResult:
    """Stops with frequencies, and the service day they were computed for."""

    frame: gpd.GeoDataFrame
    service_date: dt.date
    trips_running: int


def _read(zf: zipfile.ZipFile, name: str, path: Path) -> pd.DataFrame:
    try:
        with zf.open(name) as fh:
            return pd.read_csv(fh, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    except KeyError:
        return pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
        raise SourceError(f"{path}: {name} cannot be read ({exc}).", hint="Check the GTFS feed.") from exc


def read_tables(path: Path) -> dict[str, pd.DataFrame]:
    """The GTFS tables dothi needs, as text columns."""
    if not path.exists() or path.stat().st_size == 0:
        raise SourceError(f"{path}: no such file, or it is empty.", hint="Give the feed's .zip.")
    try:
        with zipfile.ZipFile(path) as zf:
            missing = [n for n in _REQUIRED if n not in zf.namelist()]
            if missing:
                raise SourceError(f"{path}: not a GTFS feed — missing {', '.join(missing)}.")
            names = (*_REQUIRED, "calendar.txt", "calendar_dates.txt")
            return {n.removesuffix(".txt"): _read(zf, n, path) for n in names}
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path}: not a readable zip archive ({exc}).") from exc


def seconds(hms: pd.Series) -> pd.Series:
    """GTFS ``H:MM:SS`` (hours may exceed 24) → seconds after midnight of the service day."""
    parts = hms.str.strip().str.split(":", expand=True).astype(float)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def active_services(tables: dict[str, pd.DataFrame], day: dt.date) -> set[str]:
    """Service ids running on ``day`` (calendar + calendar_dates exceptions)."""
    stamp = day.strftime("%Y%m%d")
    cal = tables["calendar"]
    running: set[str] = set()
    if len(cal):
        on = (cal[_DAYS[day.weekday()]] == "1") & (cal["start_date"] <= stamp) & (cal["end_date"] >= stamp)
        running = set(cal.loc[on, "service_id"])
    dates = tables["calendar_dates"]
    if len(dates):
        today = dates[dates["date"] == stamp]
        running |= set(today.loc[today["exception_type"] == "1", "service_id"])
        running -= set(today.loc[today["exception_type"] == "2", "service_id"])
    return running


def busiest_weekday(tables: dict[str, pd.DataFrame]) -> dt.date:
    """The Monday–Friday date with the most trips running (earliest on ties)."""
    cal, dates = tables["calendar"], tables["calendar_dates"]
    stamps = [*cal.get("start_date", []), *cal.get("end_date", []), *dates.get("date", [])]
    if not stamps:
        raise SourceError("GTFS feed has neither calendar.txt nor calendar_dates.txt dates.")
    trips = tables["trips"].groupby("service_id").size().to_dict()
    rows = (
        list(cal[["service_id", *_DAYS, "start_date", "end_date"]].itertuples(index=False))
        if len(cal)
        else []
    )
    exceptions: dict[str, list[tuple[str, str]]] = {}
    for sid, date, kind in (
        dates[["service_id", "date", "exception_type"]].itertuples(index=False) if len(dates) else []
    ):
        exceptions.setdefault(date, []).append((sid, kind))
    first = dt.datetime.strptime(min(stamps), "%Y%m%d").date()
    last = min(dt.datetime.strptime(max(stamps), "%Y%m%d").date(), first + dt.timedelta(days=3660))
    best, best_n, day = first, -1, first
    while day <= last:
        if day.weekday() < 5:
            stamp = day.strftime("%Y%m%d")
            running = {r[0] for r in rows if r[1 + day.weekday()] == "1" and r[8] <= stamp <= r[9]}
            for sid, kind in exceptions.get(stamp, []):
                running = running | {sid} if kind == "1" else running - {sid}
            n = sum(trips.get(sid, 0) for sid in running)
            if n > best_n:
                best, best_n = day, n
        day += dt.timedelta(days=1)
    return best


def _departures(tables: dict[str, pd.DataFrame], services: set[str]) -> pd.DataFrame:
    st = tables["stop_times"]
    trips = tables["trips"]
    running = set(trips.loc[trips["service_id"].isin(services), "trip_id"])
    st = st[st["trip_id"].isin(running)].copy()
    st["seq"] = st["stop_sequence"].astype(int)
    last_seq = st.groupby("trip_id")["seq"].transform("max")
    boards = st.get("pickup_type", pd.Series(index=st.index, dtype=object)).fillna("0") != "1"
    st = st[(st["seq"] < last_seq) & boards]
    time = st["departure_time"].fillna(st["arrival_time"])
    t = seconds(time)
    st["in_peak"] = ((t >= PEAK[0]) & (t < PEAK[1])).astype(int)
    per_stop = st.groupby("stop_id").agg(weekday_departures=("trip_id", "size"), peak=("in_peak", "sum"))
    per_stop["peak_headway_min"] = np.where(
        per_stop["peak"] > 0, (PEAK[1] - PEAK[0]) / 60 / per_stop["peak"].clip(lower=1), np.nan
    )
    return per_stop[["weekday_departures", "peak_headway_min"]]


def _modes_and_routes(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    routes = tables["routes"].copy()
    routes["mode"] = routes["route_type"].astype(int).map(_MODES).fillna("bus")
    routes["label"] = routes.get("route_short_name", routes["route_id"]).fillna(routes["route_id"])
    trips = tables["trips"][["trip_id", "route_id"]].merge(
        routes[["route_id", "mode", "label"]], on="route_id"
    )
    served = tables["stop_times"][["trip_id", "stop_id"]].drop_duplicates().merge(trips, on="trip_id")
    return served.groupby("stop_id").agg(
        mode=("mode", lambda m: m.value_counts().index[0]),
        routes=("label", lambda r: ", ".join(sorted(set(r), key=lambda x: (len(x), x)))),
    )


def read_gtfs(path: str | Path, *, service_date: dt.date | None = None) -> GtfsResult:
    """Read a GTFS zip into ``transit_stops`` features (see the module doc for definitions)."""
    path = Path(path)
    tables = read_tables(path)
    day = service_date or busiest_weekday(tables)
    services = active_services(tables, day)
    stops = tables["stops"]
    if "location_type" in stops.columns:
        stops = stops[stops["location_type"].fillna("0").isin(["0"])]
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce")
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce")
    freq = _departures(tables, services)
    info = _modes_and_routes(tables)
    default_mode = info["mode"].value_counts().index[0] if len(info) else "bus"
    data = pd.DataFrame({"stop_id": "gtfs:" + stops["stop_id"], "name": stops.get("stop_name")})
    data["mode"] = stops["stop_id"].map(info["mode"]).fillna(default_mode).to_numpy()
    data["capacity"] = data["mode"].map(lambda m: "low" if m in {"bus", "tram"} else "high")
    data["weekday_departures"] = stops["stop_id"].map(freq["weekday_departures"]).fillna(0).to_numpy()
    data["peak_headway_min"] = stops["stop_id"].map(freq["peak_headway_min"]).to_numpy()
    data["routes"] = stops["stop_id"].map(info["routes"]).to_numpy()
    data["synthetic"], data["source"] = False, f"GTFS {path.name}"
    frame = gpd.GeoDataFrame(data, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
    frame = frame[[*TRANSIT_STOPS.attribute_names, "synthetic", "source", "geometry"]]
    trips = int(tables["trips"]["service_id"].isin(services).sum())
    return GtfsResult(frame=frame, service_date=day, trips_running=trips)
