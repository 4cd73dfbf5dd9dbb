"""Session-wide fixtures and hooks: the real vLLM server (shared by the generator and fine-tuning tests), and the
figures tests measured, printed at the end of the run."""

from __future__ import annotations

import pytest

# Filled by the real-vLLM tests, printed at the end of the session.
VLLM_FIGURES: dict[str, float] = {}
# Section title -> lines, filled by tests that measure something worth reading in the log (quality floors).
REPORTS: dict[str, list[str]] = {}


@pytest.fixture
def fresh_home(tmp_path, monkeypatch):
    """An empty $SANGDAM_HOME (`tmp_path`/home), the settings and process-wide parts rebuilt for it and again
    after the test. A test that sets more SANGDAM_ variables calls `get_settings.cache_clear()` after."""
    from backend.app import services
    from backend.config import get_settings

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SANGDAM_HOME", str(home))
    get_settings.cache_clear()
    services.reset()
    yield home
    get_settings.cache_clear()
    services.reset()


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


def pytest_terminal_summary(terminalreporter) -> None:
    """Print what the real-vLLM integration tests (start-up time, tokens/s) and other reporting tests measured."""
    if VLLM_FIGURES:
        terminalreporter.section("vLLM (CPU, tiny model)")
        for name, value in VLLM_FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
    for title, lines in REPORTS.items():
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line)
