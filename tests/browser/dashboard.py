"""Run `make demo`'s dashboard server on a free port and drive Debian's Chromium against it (Playwright).

Used by the real-browser tests and by the browser latency benchmark. Chromium comes from Debian's
`chromium` package (`make test` installs it); Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SANGDAM_TEST_CHROMIUM", "/usr/bin/chromium")
# This machine has no internet: without the background-networking flags Chromium keeps dialing out.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(home: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any SANGDAM_ or AWS_ variable, plus SANGDAM_HOME and `env`."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("SANGDAM_", "AWS_"))}
    out.update({"SANGDAM_HOME": str(home), **(env or {})})
    return out


def sangdam(*args: str, home: Path, env: dict[str, str] | None = None, stdin: str | None = None) -> None:
    """Run the `sangdam` CLI of the project's .venv (the one `make demo` uses) for `home`."""
    exe = ROOT / ".venv" / "bin" / "sangdam"
    subprocess.run([str(exe) if exe.exists() else "sangdam", *args], env=clean_env(home, env), input=stdin,
                   text=True, check=True, capture_output=True, timeout=900)


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} 가 없습니다 (Debian 패키지 chromium; `make test` 가 설치합니다)"
    if shutil.which("make") is None:
        return "make 가 없습니다"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright 가 없습니다 (pip install -e '.[test]')"
    return None


@contextmanager
def serve_dashboard(home: Path, *, env: dict[str, str] | None = None, log: Path | None = None) -> Iterator[str]:
    """`make serve` (the server `make demo` starts) with SANGDAM_HOME=`home`; yields its base URL.

    The caller's SANGDAM_ and AWS_ variables are dropped first, so the server sees only `env` (no LLM: the
    extractive answer)."""
    port = free_port()
    with _serving(["make", "--no-print-directory", "-s", "serve", f"PORT={port}"], port, clean_env(home, env),
                  log) as url:
        yield url


@contextmanager
def serve_script(script: Path, home: Path, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Another Streamlit script (a test's probe app) served the way `make serve` serves the dashboard."""
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python", "-m", "streamlit",
               "run", str(script), "--server.port", str(port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    with _serving(command, port, clean_env(home, env), None) as url:
        yield url


@contextmanager
def _serving(command: list[str], port: int, env: dict[str, str], log: Path | None) -> Iterator[str]:
    """Start `command` (a Streamlit server on `port`) in its own process group, wait for its health check,
    yield its base URL and stop the whole group after."""
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"dashboard server exited with {proc.returncode} (log: {log})")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"dashboard server did not start in 120 s (log: {log})")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if log:
            out.close()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def ask(page, question: str, timeout_ms: int = 60_000) -> float:
    """Type `question` in the agent page's chat box, press Enter, and wait for the answer's first text.
    Returns the seconds from Enter to that first text (the agent's 'time to first token').

    The answer is the message right after the last user message holding `question` (counting messages
    would not do: the page keeps only the last 20 questions). Ask a different question each time."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    start = time.perf_counter()
    box.press("Enter")
    page.wait_for_function(
        """([question]) => {
            const messages = [...document.querySelectorAll('[data-testid=stChatMessage]')];
            const users = messages.filter(m => m.querySelector('[data-testid=stChatMessageAvatarUser]'));
            const last = users[users.length - 1];
            if (!last || !last.innerText.includes(question)) return false;
            const answer = messages[messages.indexOf(last) + 1];
            const content = answer && answer.querySelector('[data-testid=stChatMessageContent]');
            return !!content && content.innerText.trim().length > 0;
        }""",
        arg=[question], timeout=timeout_ms, polling="raf",
    )
    return time.perf_counter() - start


def settle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app's script run is over: Streamlit's running indicator absent for half a second."""
    page.wait_for_function(
        """() => {
            if (document.querySelector('[data-testid=stStatusWidgetRunningIcon]')) { window.__busyAt = Date.now(); }
            return Date.now() - (window.__busyAt || 0) > 500;
        }""",
        timeout=timeout_ms, polling=100,
    )


def log_in_as_admin(page, user: str, password: str, timeout_ms: int = 30_000) -> None:
    """Log in on the login page (the page must show its form) and open the admin page from the menu."""
    page.get_by_label("아이디").fill(user)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    settle(page)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("관리자").wait_for(timeout=timeout_ms)
    nav.get_by_text("관리자").click()
