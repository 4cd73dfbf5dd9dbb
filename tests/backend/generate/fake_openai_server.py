"""A tiny OpenAI-compatible HTTP server for unit tests of `VllmGenerator`'s own logic (the real vLLM
server is exercised by tests/backend/generate/test_vllm_real.py). Scripted per test: the text to stream,
a delay per token, an HTTP error, whether /tokenize exists, and a fault (see `FAULTS`)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


# What a broken server does instead of answering (Script.fault):
# hang: accepts the request and never answers, /tokenize included; drip: sends the stream's headers, then only
# an SSE keep-alive comment every `drip_every_s` seconds, forever; broken_json: a data line that is not JSON;
# broken_utf8: a data line holding bytes that are not UTF-8, after some good text.
FAULTS = ("hang", "drip", "broken_json", "broken_utf8")


@dataclass
class Script:
    text: str = "기가인터넷 이전 설치비는 27,500원입니다 [1]."
    texts: list[str] = field(default_factory=list)  # successive answers (then `text`)
    token_delay_s: float = 0.0
    status: int = 200  # answer every completion request with this status
    fail_first: int = 0  # fail this many requests with 503 first, then answer
    tokenize: bool = True
    error_message: str = "boom"  # the message of an HTTP error answer
    fault: str | None = None  # one of FAULTS
    drip_every_s: float = 2.0
    requests: list[dict] = field(default_factory=list)


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.script = Script()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                script = server.script
                if script.fault == "hang":
                    return self._hang()
                if self.path == "/tokenize":
                    if not script.tokenize:
                        return self._json(404, {"detail": "Not Found"})
                    return self._json(200, {"count": len(body["prompt"]), "tokens": [], "max_model_len": 4096})
                script.requests.append({"path": self.path, **body})
                if script.fail_first > 0:
                    script.fail_first -= 1
                    return self._json(503, {"error": {"message": "overloaded", "type": "ServiceUnavailable", "code": 503}})
                if script.status != 200:
                    return self._json(script.status, {"error": {"message": script.error_message, "type": "InternalServerError", "code": script.status}})
                text = script.texts.pop(0) if script.texts else script.text
                self._stream(text, chat=self.path.endswith("/chat/completions"), model=body["model"])

            def _hang(self) -> None:
                while not server.closing.wait(0.5):
                    pass

            def _stream(self, text: str, *, chat: bool, model: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

                def raw(payload: bytes) -> None:
                    self.wfile.write(f"{len(payload):x}\r\n".encode() + payload + b"\r\n")
                    self.wfile.flush()

                def send(obj) -> None:
                    raw(f"data: {obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)}\n\n".encode())

                fault = server.script.fault
                if fault == "drip":
                    try:
                        while not server.closing.wait(server.script.drip_every_s):
                            raw(b": keep-alive\n\n")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return

                pieces = [text[i : i + 4] for i in range(0, len(text), 4)]
                try:
                    if fault == "broken_json":
                        send('{"id": "x", "choices": [{"delta": {"content": "요금은')
                    for i, piece in enumerate(pieces):
                        if fault == "broken_utf8" and i == 2:
                            raw(b'data: {"id": "x", "object": "chat.completion.chunk", "choices": [{"index": 0, '
                                b'"delta": {"content": "\xed\xa0\x80\xff\xfe"}}]}\n\n')
                        if server.script.token_delay_s:
                            time.sleep(server.script.token_delay_s)
                        if chat:
                            choice = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
                            send({"id": "x", "object": "chat.completion.chunk", "created": 0, "model": model, "choices": [choice]})
                        else:
                            choice = {"index": 0, "text": piece, "finish_reason": None}
                            send({"id": "x", "object": "text_completion", "created": 0, "model": model, "choices": [choice]})
                    usage = {"prompt_tokens": 10, "completion_tokens": len(pieces), "total_tokens": 10 + len(pieces)}
                    obj = "chat.completion.chunk" if chat else "text_completion"
                    send({"id": "x", "object": obj, "created": 0, "model": model, "choices": [], "usage": usage})
                    send("[DONE]")
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
