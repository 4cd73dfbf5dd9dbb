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

