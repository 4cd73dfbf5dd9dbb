"""Session-wide hooks."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter) -> None:
    """Print what the real-vLLM integration tests measured (start-up time, tokens/s)."""
    from tests.backend.generate.conftest import VLLM_FIGURES

    if VLLM_FIGURES:
        terminalreporter.section("vLLM (CPU, tiny model)")
        for name, value in VLLM_FIGURES.items():
            terminalreporter.write_line(f"{name}: {value}")
