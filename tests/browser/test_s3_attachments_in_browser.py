"""Attachments kept in S3 (moto's server mode as the endpoint), reached from the dashboard in Chromium
through short-lived presigned links."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.dashboard import ROOT, ask, chromium, missing_browser, sangdam, serve_dashboard
from tests.s3_server import moto_s3, s3_client

pytestmark = [pytest.mark.integration, pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))]

SAMPLES = ROOT / "etl" / "samples" / "manuals"
SHOTS = ROOT / "test-artifacts" / "browser"


def test_an_attachment_link_is_a_presigned_s3_download(tmp_path):
    manuals = tmp_path / "manuals"
    manuals.mkdir()
    shutil.copy(SAMPLES / "M006.html", manuals / "M006.html")
    shutil.copytree(SAMPLES / "files", manuals / "files")
    with moto_s3() as endpoint:
        s3_client(endpoint).create_bucket(Bucket="sangdam-att")
        env = {
            "SANGDAM_ATTACHMENT_STORE": "s3", "SANGDAM_S3_BUCKET": "sangdam-att", "SANGDAM_S3_ENDPOINT_URL": endpoint,
            "SANGDAM_S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        }
        sangdam("ingest", str(manuals), home=tmp_path / "home", env=env)
        keys = [o["Key"] for o in s3_client(endpoint).list_objects_v2(Bucket="sangdam-att")["Contents"]]
        assert "manuals/files/이사신청서.pdf" in keys, keys

        with serve_dashboard(tmp_path / "home", env=env, log=tmp_path / "server.log") as url, chromium() as browser:
            page = browser.new_page(viewport={"width": 1400, "height": 1600}, locale="ko-KR", accept_downloads=True)
            page.goto(url)
            page.get_by_test_id("stChatInputTextArea").wait_for(timeout=90_000)
            ask(page, "이사 신청서 양식 어디서 받아요?")
            answer = page.get_by_test_id("stChatMessage").last
            link = answer.get_by_role("link", name="📎 이사신청서 양식").first
            link.wait_for(timeout=60_000)
            href = link.get_attribute("href")
            assert urlparse(href).netloc == urlparse(endpoint).netloc and "X-Amz-Signature=" in href
            SHOTS.mkdir(parents=True, exist_ok=True)
            answer.screenshot(path=str(SHOTS / "10-s3-presigned-attachment.png"))

            with page.expect_download(timeout=60_000) as download:
                link.click()
            assert download.value.suggested_filename == "이사신청서.pdf"
            assert Path(download.value.path()).read_bytes() == (SAMPLES / "files" / "이사신청서.pdf").read_bytes()
