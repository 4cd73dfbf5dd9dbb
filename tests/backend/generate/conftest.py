from __future__ import annotations

import pytest

from backend.generate.base import Passage
from backend.models import AttachmentRef, Chunk, Hit
from tests.backend.generate.fake_openai_server import FakeOpenAIServer, Script


@pytest.fixture
def fake_server():
    server = FakeOpenAIServer()
    server.script = Script()
    yield server
    server.close()


def make_passage(n: int, text: str, *, title: str = "이전 설치 안내", page: str = "M004.html", kind: str = "text",
                 section: tuple[str, ...] = (), attachments: tuple[AttachmentRef, ...] = (), superseded: bool = False) -> Passage:
    doc_id = page.rsplit(".", 1)[0]
    chunk = Chunk(
        chunk_id=f"{doc_id}#{n}", doc_id=doc_id, chunk_no=n, page=page, title=title, kind=kind, text=text,
        section=section, attachments=attachments, superseded=superseded,
    )
    return Passage(n=n, hit=Hit(chunk=chunk, score=1.0 / n))


@pytest.fixture(scope="session")
def vllm_server(tmp_path_factory):
    """A real vLLM server on CPU serving the tiny model and its LoRA adapter (started once per session)."""
    from tests.backend.generate import vllm_server as real

    python = real.vllm_python()
    if python is None:
        pytest.skip(reason="the vLLM environment (.venv-vllm) is not installed: `make test` creates it")
    try:
        server = real.start(python, tmp_path_factory.mktemp("vllm"))
    except Exception as exc:  # noqa: BLE001 - the log tail is the useful part
        pytest.fail(f"could not start vLLM: {exc}")
    VLLM_FIGURES["model build s"] = round(server.build_s, 1)
    VLLM_FIGURES["server start-up s"] = round(server.startup_s, 1)
    yield server
    server.stop()


# Filled by the real-vLLM tests, printed at the end of the session (tests/conftest.py).
VLLM_FIGURES: dict[str, float] = {}
