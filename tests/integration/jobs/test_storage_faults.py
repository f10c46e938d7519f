"""A full or read-only storage fails the generation at once with a code (retrying cannot help), never leaves
a partial file, and /ready reports it."""

from __future__ import annotations

import asyncio
import errno
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from app.storage import StorageFault
from app.storage.local import write_atomically


def _failing_write(error_number: int) -> Any:
    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:  # half the bytes land, then the disk refuses
        if self.name.endswith(".part"):
            real(self, data[: len(data) // 2])
            raise OSError(error_number, "simulated by the test")
        return real(self, data)

    return write_bytes


@pytest.mark.parametrize(
    ("error_number", "code"), [(errno.ENOSPC, "STORAGE_FULL"), (errno.EROFS, "STORAGE_UNAVAILABLE")]
)
def test_a_refused_write_raises_a_coded_fault_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error_number: int, code: str
) -> None:
    monkeypatch.setattr(Path, "write_bytes", _failing_write(error_number))
    with pytest.raises(StorageFault) as raised:
        write_atomically(tmp_path / "a" / "b.png", b"x" * 1000)
    assert raised.value.code == code
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_transient_write_error_is_not_a_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "write_bytes", _failing_write(errno.EINTR))
    with pytest.raises(OSError) as raised:
        write_atomically(tmp_path / "c.png", b"x" * 10)
    assert not isinstance(raised.value, StorageFault)
    assert list(tmp_path.iterdir()) == []


async def test_a_full_disk_fails_the_generation_once_with_storage_full(
    app: Litestar, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    board = (await client.post("/api/v1/boards", json={"title": "Full"})).json()
    monkeypatch.setattr(Path, "write_bytes", _failing_write(errno.ENOSPC))
    created = await client.post(
        "/api/v1/generations",
        json={
            "boardId": board["id"],
            "generatorName": "atelier-test",
            "inputParams": {"duration_seconds": 0},
        },
    )
    gid = created.json()["id"]
    deadline = time.monotonic() + 20
    while (body := (await client.get(f"/api/v1/generations/{gid}")).json())["status"] not in {
        "failed",
        "completed",
    }:
        assert time.monotonic() < deadline, body
        await asyncio.sleep(0.05)
    assert (body["status"], body["errorCode"]) == ("failed", "STORAGE_FULL")
    assert "storage is full" in body["errorMessage"]
    assert not list(settings.storage_dir.rglob("*.part"))


async def test_ready_reports_storage_below_its_free_space_floor(
    app: Litestar, client: httpx.AsyncClient
) -> None:
    ok = (await client.get("/ready")).json()
    assert ok["checks"]["storage"] == "ok"
    settings = app.state.settings
    original = settings.storage_min_free_bytes
    object.__setattr__(settings, "storage_min_free_bytes", 1 << 62)  # more than any disk has
    try:
        low = await client.get("/ready")
    finally:
        object.__setattr__(settings, "storage_min_free_bytes", original)
    assert low.status_code == 503 and low.json()["checks"]["storage"].startswith("error:")
