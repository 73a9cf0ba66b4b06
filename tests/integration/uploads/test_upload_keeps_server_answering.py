"""A hostile upload does not stall the server: against a real `kaohe serve --workers 1`, while a
分管领导's progress file is being parsed, the same process keeps answering other requests.

The file passes every check made before parsing (no zip bomb, under the shared-strings count) yet
takes openpyxl many seconds; the server's parse deadline is set to 2 s. Parsed in the event loop,
as it was, every probe would wait for the whole parse.
"""

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest
from tests.conftest import DEMO_PASSWORD, _build_demo
from tests.support.server import served, signed_in
from tests.unit.sheets import hostile

from kaohe.migrate import upgrade

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBE_LIMIT = 2.0
PARSE_SECONDS = 2


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("probe") / "demo.db"
    upgrade(f"sqlite:///{path}")
    _build_demo(f"sqlite:///{path}")
    return path


def test_other_requests_are_answered_while_an_upload_is_parsed(demo_file, accounts, tmp_path):
    database = tmp_path / "demo.db"
    shutil.copy(demo_file, database)
    data = hostile.many_strings(400_000)
    env = {"KAOHE_DEMO_PASSWORD": DEMO_PASSWORD, "KAOHE_UPLOAD_PARSE_SECONDS": str(PARSE_SECONDS)}
    with served(database, tmp_path, env=env, workers=1) as url:
        leader, csrf = signed_in(url, accounts["leader"], DEMO_PASSWORD)
        answer: dict[str, httpx.Response] = {}

        def upload() -> None:
            answer["response"] = leader.post("/tasks/progress", data={"csrf_token": csrf},
                                             files={"file": ("进度.xlsx", data, XLSX)}, timeout=120)

        uploading = threading.Thread(target=upload)
        started = time.monotonic()
        uploading.start()
        probes: list[float] = []
        with httpx.Client(base_url=url) as probe:
            while uploading.is_alive() and time.monotonic() - started < 60:
                asked = time.monotonic()
                try:
                    status = probe.get("/login", timeout=PROBE_LIMIT * 3).status_code
                except httpx.TimeoutException:
                    status = 0
                probes.append(time.monotonic() - asked)
                assert status == 200
                time.sleep(0.05)
        uploading.join(timeout=60)
        leader.close()

    response = answer["response"]
    assert response.status_code == 422
    assert f"解析超过 {PARSE_SECONDS} 秒，已停止" in response.text
    assert len(probes) >= 5, "the upload ended before the server could be probed during it"
    assert max(probes) < PROBE_LIMIT, f"a probe waited {max(probes):.1f} s"
