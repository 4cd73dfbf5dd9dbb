"""The adapter registry under `$SANGDAM_HOME/adapters/`: which LoRA adapters exist, their model cards and
scores, and which one is live (served to agents).

    adapters/LIVE                        the live adapter's name (replaced atomically; absent: the base model)
    adapters/<name>/adapter/             the layout vLLM's --lora-modules <name>=<path> loads
    adapters/<name>/sangdam-adapter.json the model card written by training
    adapters/<name>/loss.csv             train and validation loss per step
    adapters/<name>/scores/<time>.json   `sangdam eval compare` reports that ran this adapter
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.files import atomic_write_json, atomic_write_text, utc_now

LIVE_FILE = "LIVE"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class AdapterNotFoundError(ValueError):
    """No registered adapter of that name (the message is Korean)."""


@dataclass(frozen=True)
class AdapterInfo:
    """One registered adapter."""

    name: str
    directory: Path  # the vLLM adapter folder
    card: dict[str, Any]
    live: bool
    loss_csv: Path | None

    def scores(self) -> list[dict[str, Any]]:
        """Its comparison reports, newest first."""
        folder = self.directory.parent / "scores"
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"), reverse=True)]


def check_name(name: str) -> str:
    """An adapter name vLLM and the file system both accept (lower-case letters, digits, . _ -)."""
    if not _NAME.match(name):
        raise ValueError(f"어댑터 이름은 영문 소문자·숫자·. _ - 로 1~64자여야 합니다: {name!r}")
    return name


class AdapterRegistry:
    """The registry in `root` (`$SANGDAM_HOME/adapters`)."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def register(self, run_dir: Path | str, name: str | None = None) -> AdapterInfo:
        """Copy a training run's adapter, model card and loss curve into the registry (replacing an
        adapter of the same name, which must not be live)."""
        run_dir = Path(run_dir)
        card = json.loads((run_dir / "sangdam-adapter.json").read_text(encoding="utf-8"))
        name = check_name(name or card["name"])
        if name == self.live():
            raise ValueError(f"'{name}' 은(는) 지금 서비스 중인 어댑터라 덮어쓸 수 없습니다. 다른 이름으로 등록하세요.")
        target = self.root / name
        building = self.root / f".{name}.building"
        shutil.rmtree(building, ignore_errors=True)
        shutil.copytree(run_dir / "adapter", building / "adapter")
        for extra in ("sangdam-adapter.json", "loss.csv"):
            if (run_dir / extra).is_file():
                shutil.copy2(run_dir / extra, building / extra)
        shutil.rmtree(target, ignore_errors=True)
        building.rename(target)
        return self.get(name)

    def list(self) -> list[AdapterInfo]:
        """Every registered adapter, by name."""
        if not self.root.is_dir():
            return []
        return [self.get(p.name) for p in sorted(self.root.iterdir()) if (p / "adapter").is_dir() and _NAME.match(p.name)]

    def get(self, name: str) -> AdapterInfo:
        folder = self.root / name
        if not _NAME.match(name) or not (folder / "adapter").is_dir():
            raise AdapterNotFoundError(f"등록된 어댑터가 없습니다: {name}")
        card_path = folder / "sangdam-adapter.json"
        card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else {}
        loss = folder / "loss.csv"
        return AdapterInfo(name, folder / "adapter", card, name == self.live(), loss if loss.is_file() else None)

    def live(self) -> str | None:
        """The live adapter's name, or None when agents are served by the base model."""
        try:
            name = (self.root / LIVE_FILE).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def set_live(self, name: str | None) -> None:
        """Make `name` the live adapter (None: the base model)."""
        if name is not None:
            self.get(name)
        atomic_write_text(self.root / LIVE_FILE, (name or "") + "\n")

    def add_scores(self, name: str, report: dict[str, Any]) -> Path:
        """Keep a comparison report with the adapter it ran."""
        path = self.get(name).directory.parent / "scores" / f"{utc_now():%Y%m%dT%H%M%S.%f}Z.json"
        atomic_write_json(path, report)
        return path
