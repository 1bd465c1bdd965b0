"""`dothi scenario report` on the demo test database: HTML and PDF (WeasyPrint), read back with
pypdfium2; "who gains" checked against a full recomputation of the indicators on the edited layers."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner, Result
from shapely.geometry import Point
from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from analysis.inputs import read_vector
from analysis.registry import INDICATORS
from analysis.scenarios import store
from analysis.scenarios.evaluate import baseline, evaluate_indicator
from api_config.cli import cli
from api_config.scenario_report import WORDS
from layers.notices import SCENARIO_RESULT, SYNTHETIC_RESULT

#: In a ward of the demo city far enough from its schools and health facilities that people gain.
SITE = Point(106.3395, 10.3735)
INDICATORS_SHOWN = ("education_access", "health_access")


@pytest.fixture
def run(demo_url: URL, demo_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DOTHI_DATABASE_URL", demo_url.render_as_string(hide_password=False))
    monkeypatch.setenv("DOTHI_DATA_DIR", str(demo_data_dir))
    return CliRunner()


def _ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def _pdf_text(path: Path) -> list[str]:
    assert path.read_bytes().startswith(b"%PDF-")
    doc = pdfium.PdfDocument(path)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in doc]
    finally:
        doc.close()


def _figure(text: str, label: str, lang: str) -> list[float]:
    """The numbers of the whole-city row right after ``label`` (a heading) in the extracted text."""
    city = WORDS[lang]["city"]
    after = text[text.index(label) :]
    row = after[after.index(city) + len(city) :]
    numbers = re.findall(r"[0-9][0-9.,]*", row)[:4]
    sep = "." if lang == "vi" else ","
    return [float(n.replace(sep, "")) for n in numbers]


def _expected(demo_url: URL, demo_data_dir: Path) -> dict[str, float]:
    """City gains recomputed in full on the edited layers (not the incremental search)."""
    eng = create_engine(demo_url)
    try:
        edits = store.effective_edits(eng, "t-report")
        out = {}
        for indicator in INDICATORS_SHOWN:
            spec = INDICATORS[indicator]
            before = baseline(eng, spec, data_dir=demo_data_dir).rows
            full = evaluate_indicator(
                eng, spec, edits, data_dir=demo_data_dir, force_full=True, published=False
            )
            assert full.method == "full"
            city = full.rows[full.rows["level"] == "city"].sort_values("vintage").iloc[-1]
            was = before[(before["level"] == "city") & (before["unit_id"] == city["unit_id"])].iloc[0]
            if indicator == "health_access":
                out[indicator] = city["values"]["population_within"] - was["population_within"]
            else:  # children of primary-school age within reach, before and after
                children = was["children_primary"]
                out[indicator] = (
                    (city["values"]["primary_within_pct"] - was["primary_within_pct"]) * children / 100
                )
        units = read_vector(eng, "admin_units")
        latest = units[units["vintage"] == units["vintage"].max()]
        ward = latest[latest.contains(gpd.GeoSeries([SITE], crs=4326).to_crs(latest.crs).iloc[0])].iloc[0]
        out["ward_vi"], out["ward_en"] = ward["name_vi"], ward["name_en"]
        return out
    finally:
        eng.dispose()


def test_report_html_and_pdf_with_who_gains(
    run: CliRunner, demo_url: URL, demo_data_dir: Path, tmp_path: Path
) -> None:
    school, clinic = tmp_path / "school.gpkg", tmp_path / "clinic.gpkg"
    gpd.GeoDataFrame(
        {"school_id": ["rep-school"], "level": ["primary"], "capacity": [600]}, geometry=[SITE], crs=4326
    ).to_file(school)
    gpd.GeoDataFrame(
        {"facility_id": ["rep-clinic"], "type": ["health_station"]},
        geometry=[Point(SITE.x + 0.002, SITE.y)],
        crs=4326,
    ).to_file(clinic)
    title = {"vi": "Trường và trạm y tế mới", "en": "New school and health station"}
    _ok(
        run.invoke(
            cli,
            [
                *("scenario", "create", "t-report", "--title-vi", title["vi"], "--title-en", title["en"]),
                *("--description-en", "Proposal for the western wards", "--author", "planner-a"),
            ],
        )
    )
    _ok(run.invoke(cli, ["scenario", "edit", "t-report", "--layer", "schools", "--add", str(school)]))
    _ok(
        run.invoke(
            cli, ["scenario", "edit", "t-report", "--layer", "health_facilities", "--add", str(clinic)]
        )
    )
    shown = [a for i in INDICATORS_SHOWN for a in ("--indicator", i)]
    try:
        pages: dict[str, list[str]] = {}
        for lang in ("vi", "en"):
            pdf = tmp_path / f"report-{lang}.pdf"
            _ok(
                run.invoke(
                    cli,
                    [
                        "scenario",
                        "report",
                        "t-report",
                        "--format",
                        "pdf",
                        "--lang",
                        lang,
                        "-o",
                        str(pdf),
                        *shown,
                    ],
                )
            )
            pages[lang] = _pdf_text(pdf)
        page = tmp_path / "report-en.html"
        _ok(run.invoke(cli, ["scenario", "report", "t-report", "--lang", "en", "-o", str(page), *shown]))
        html = page.read_text(encoding="utf-8")
        assert "data:image/svg+xml;base64," in html and "http://" not in html.split("<body>")[1]

        expected = _expected(demo_url, demo_data_dir)
        for lang, text in pages.items():
            words = WORDS[lang]
            assert len(text) == 1 + len(INDICATORS_SHOWN)  # summary and map, then one page per indicator
            first = text[0]
            assert title[lang] in first and SCENARIO_RESULT[lang] in first and SYNTHETIC_RESULT[lang] in first
            assert words["gains"] in first and words["edits"] in first and "planner-a" in first
            page = {}
            for indicator in INDICATORS_SHOWN:
                spec = INDICATORS[indicator]
                (page[indicator],) = [
                    t for t in text[1:] if (spec.title_vi if lang == "vi" else spec.title_en) in t
                ]
                assert expected[f"ward_{lang}"] in page[indicator]  # the ward of the new school gains
            health = _figure(page["health_access"], words["within"].format(m="1000", what="")[:-1], lang)
            residents, gained, lost = health[:3]
            assert gained == pytest.approx(expected["health_access"], abs=0.51) and gained > 0 and lost == 0
            assert residents > gained
            school_row = _figure(
                page["education_access"], words["within"].format(m="500", what="")[:-1], lang
            )
            assert school_row[2] == pytest.approx(expected["education_access"], abs=0.51)  # children
            assert school_row[2] > 0 and school_row[3] == 0
        assert "Ai được lợi" in " ".join(pages["vi"]) and "Who gains" not in " ".join(pages["vi"])

        bad = run.invoke(
            cli, ["scenario", "report", "no-such", "--format", "pdf", "-o", str(tmp_path / "x.pdf")]
        )
        assert bad.exit_code != 0 and "No scenario named 'no-such'" in bad.output
        assert not (tmp_path / "x.pdf").exists()
        wrong = run.invoke(cli, ["scenario", "report", "t-report", "--format", "docx"])
        assert wrong.exit_code == 2 and "--format" in wrong.output
        nowhere = run.invoke(cli, ["scenario", "report", "t-report", "-o", str(tmp_path / "no" / "r.pdf")])
        assert nowhere.exit_code == 2 and "--output" in nowhere.output and "no such folder" in nowhere.output
    finally:
        _ok(run.invoke(cli, ["scenario", "delete", "t-report"]))
