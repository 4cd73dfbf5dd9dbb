"""The import-graph checker in tests/architecture.py, and the layer rule on the real tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.architecture import build_graph, etl_importers, find_cycles, layer_violations, unplaced_modules

REPO_ROOT = Path(__file__).resolve().parents[1]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path relative to ``root`` -> source) and return ``root``."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


@pytest.mark.unit
def test_function_local_import_is_an_edge(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/config.py": "",
        "backend/app/cli.py": "def main():\n    from backend.config import Settings\n    import backend.config\n",
    })
    assert build_graph(root)["backend.app.cli"] == {"backend.config"}


@pytest.mark.unit
def test_type_checking_imports_are_ignored(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/config.py": "",
        "backend/models.py": "",
        "backend/files.py": "",
        "backend/search.py": (
            "import typing\nfrom typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from backend.config import Settings\n"
            "if typing.TYPE_CHECKING:\n    import backend.models\n"
            "else:\n    import backend.files\n"
        ),
    })
    assert build_graph(root)["backend.search"] == {"backend.files"}


@pytest.mark.unit
def test_from_package_import_module_gives_edges_to_both(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/search/__init__.py": "",
        "backend/search/korean.py": "",
        "etl/__init__.py": "",
        "etl/chunking.py": "from backend.search import korean, SomeClass\nimport os\n",
    })
    assert build_graph(root)["etl.chunking"] == {"backend.search", "backend.search.korean"}


@pytest.mark.unit
def test_import_of_a_missing_submodule_falls_back_to_its_package(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/search/__init__.py": "",
        "pages/agent.py": "import backend.search.gone\nfrom backend.search.gone import x\n",
    })
    assert build_graph(root)["pages.agent"] == {"backend.search"}


@pytest.mark.unit
def test_two_module_cycle_is_found(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "etl/__init__.py": "",
        "etl/a.py": "import etl.b\n",
        "etl/b.py": "def f():\n    from etl import a\n",
        "etl/c.py": "import etl.a\n",
    })
    assert find_cycles(build_graph(root)) == [["etl.a", "etl.b", "etl.a"]]


@pytest.mark.unit
def test_package_init_importing_a_submodule_that_imports_it_back_is_a_cycle(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/search/__init__.py": "from backend.search.embedded import EmbeddedIndex\n",
        "backend/search/embedded.py": "from backend.search import korean\n",
        "backend/search/korean.py": "",
    })
    graph = build_graph(root)
    assert graph["backend.search.embedded"] == {"backend.search", "backend.search.korean"}
    assert find_cycles(graph) == [["backend.search", "backend.search.embedded", "backend.search"]]


@pytest.mark.unit
def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/config.py": "",
        "backend/search/__init__.py": "from . import base\nfrom .fusion import rrf\n",
        "backend/search/base.py": "from ..config import Settings\nfrom . import fusion\n",
        "backend/search/fusion.py": "from .. import config\n",
    })
    graph = build_graph(root)
    assert graph["backend.search"] == {"backend.search.base", "backend.search.fusion"}
    assert graph["backend.search.base"] == {"backend.config", "backend.search", "backend.search.fusion"}
    assert graph["backend.search.fusion"] == {"backend", "backend.config"}


@pytest.mark.unit
def test_upward_import_is_a_layer_violation(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/models.py": "from backend.search import Hit\n",
        "backend/search/__init__.py": "from backend.models import Chunk\n",
        "backend/app/__init__.py": "import etl.pipeline\nimport backend.search\n",
        "etl/__init__.py": "",
        "etl/pipeline.py": "from backend import models\n",
        "pages/agent.py": "from backend.app import run\nfrom etl.pipeline import x\n",
        "streamlit_app.py": "import pages.agent\n",
    })
    graph = build_graph(root)
    assert layer_violations(graph) == [
        "backend.models (core) imports backend.search (parts)",
        "pages.agent (ui) imports etl.pipeline (etl)",  # only the app layer may import etl
    ]
    assert etl_importers(graph) == ["backend.app", "pages.agent"]
    assert unplaced_modules(graph) == []


@pytest.mark.unit
def test_backend_module_outside_every_layer_is_unplaced(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {
        "backend/__init__.py": "",
        "backend/services.py": "import etl\n",
        "backend/text/normalize.py": "",
        "etl/__init__.py": "",
    })
    assert unplaced_modules(build_graph(root)) == ["backend.services"]


@pytest.mark.unit
def test_real_tree_has_no_cycles_and_keeps_its_layers() -> None:
    """Fails until the restructuring into core/parts/etl/app/ui lands."""
    graph = build_graph(REPO_ROOT)
    problems = (
        [" -> ".join(cycle) for cycle in find_cycles(graph)]
        + layer_violations(graph)
        + [f"{module} (unplaced)" for module in unplaced_modules(graph)]
    )
    assert not problems, "python -m tests.architecture reports:\n" + "\n".join(problems)
