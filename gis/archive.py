"""The dothi backup archive: a tar file holding a manifest, a pg_dump and the raster files.

Layout (uncompressed tar: the dump and the COGs are compressed already)::

    manifest.json      what the archive holds, with sha256 of every other member
    database.dump      pg_dump --format=custom
    data/<path>        each raster file, at its path relative to the data folder

Reading verifies before anything is written anywhere: the manifest's format, then the sha256 of
every member as it is extracted into a staging folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, Any

from gis.errors import BackupError

FORMAT = "dothi-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
DATA_PREFIX = "data/"
CHUNK = 1 << 20

Progress = Callable[[str], None]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_relative(path: str, *, where: str) -> PurePosixPath:
    """A raster path relative to the data folder that cannot escape it."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BackupError(
            f"Đường dẫn raster không hợp lệ / unsafe raster path {path!r} in {where}: "
            "it must be relative to the data folder and stay inside it."
        )
    return rel


def write_archive(target: Path, manifest: dict[str, Any], dump: Path, rasters: dict[str, Path]) -> None:
    """Write the archive to ``target`` atomically (a ``.partial`` file renamed when complete)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # the whole database is inside: readable by its owner only
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(time.time())
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=DUMP, recursive=False)
            for rel, path in rasters.items():
                tar.add(path, arcname=DATA_PREFIX + rel, recursive=False)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu / backup file not found: {path}")
    try:
        return tarfile.open(path, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(
            f"Không phải tệp sao lưu dothi / not a dothi backup archive: {path} ({exc})",
            hint="Give a file written by `dothi db backup`.",
        ) from exc


def read_manifest(path: Path) -> dict[str, Any]:
    """The archive's manifest, after checking that this dothi can read the archive."""
    with _open(path) as tar:
        try:
            member = tar.getmember(MANIFEST)
            raw = tar.extractfile(member)
            manifest = json.loads(raw.read()) if raw else None
        except (KeyError, tarfile.TarError, OSError, ValueError, EOFError) as exc:
            raise BackupError(
                f"Tệp sao lưu thiếu hoặc hỏng manifest / {path}: no readable {MANIFEST} ({exc}); "
                "not a dothi backup archive, or a damaged one."
            ) from exc
    return _check_format(manifest, path)


def _check_format(manifest: object, path: Path) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            f"Không phải tệp sao lưu dothi / not a dothi backup archive: {path} (manifest format)"
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"Phiên bản tệp sao lưu không hỗ trợ / {path}: archive format {version!r} written by dothi "
            f"{manifest.get('dothi_version')}; this dothi reads format {FORMAT_VERSION} at most.",
            hint="Restore it with the dothi version that wrote it, or a newer one.",
        )
    return manifest


def extract_verified(path: Path, manifest: dict[str, Any], staging: Path, progress: Progress) -> Path:
    """Extract the dump and the rasters into ``staging``, checking each sha256; return the dump path."""
    expected = {DUMP: manifest["dump"]["sha256"]}
    for raster in manifest["rasters"]:
        safe_relative(raster["path"], where=f"{path} ({MANIFEST})")
        expected[DATA_PREFIX + raster["path"]] = raster["sha256"]
    seen: set[str] = set()
    with _open(path) as tar:
        try:
            for member in tar:
                if member.name not in expected:
                    continue
                if not member.isfile():
                    raise BackupError(f"{path}: member {member.name} is not a regular file")
                source = tar.extractfile(member)
                if source is None:
                    raise BackupError(f"{path}: member {member.name} cannot be read")
                _copy_checked(source, staging / member.name, expected[member.name], member.name, path)
                seen.add(member.name)
                progress(f"verified {member.name} ({member.size / 1e6:.1f} MB)")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"Tệp sao lưu bị hỏng / damaged archive {path}: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            f"Tệp sao lưu thiếu / archive {path} lacks {', '.join(missing)} listed in its manifest "
            "(truncated or damaged)."
        )
    return staging / DUMP


def _copy_checked(source: IO[bytes], dest: Path, sha256: str, name: str, archive: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha256:
        raise BackupError(
            f"Tệp sao lưu bị hỏng / damaged archive {archive}: {name} has sha256 {digest.hexdigest()[:16]}…, "
            f"the manifest says {sha256[:16]}…; nothing was restored."
        )
