"""`sangdam --help` speaks Korean: every command's and group's help, and Typer's own words around them."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from backend.app.cli import app

pytestmark = pytest.mark.unit
HANGUL = re.compile(r"[가-힣]")


def commands(group, path=()):
    for name, cmd in group.commands.items():
        yield (*path, name), cmd
        if hasattr(cmd, "commands"):
            yield from commands(cmd, (*path, name))


def test_every_command_explains_itself_in_korean():
    root = typer.main.get_command(app)
    found = list(commands(root))
    assert len(found) >= 20
    for path, cmd in found:
        assert cmd.help and HANGUL.search(cmd.help), (path, cmd.help)


@pytest.mark.parametrize("args", [["--help"], ["eval", "answers", "--help"], ["finetune", "--help"]])
def test_help_screens_have_no_english_frame(args):
    out = CliRunner().invoke(app, args, terminal_width=100).output
    assert "이 도움말을 보여 주고 끝냅니다" in out and "Show this message" not in out
    assert "Options" not in out and "Commands" not in out
