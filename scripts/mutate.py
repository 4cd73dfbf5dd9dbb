"""Mutation testing as a habit: break important behaviours on purpose and check the tests notice.

    .venv/bin/python scripts/mutate.py                 # every mutant in scripts/mutants.toml, both tiers
    .venv/bin/python scripts/mutate.py --only re-rating-ignored --tier unit

Each mutant (a `find` -> `replace` edit of one file, listed with the tests that should catch it) is applied
to a copy of the working tree, one at a time, and the listed tests run there twice: `-m unit` and
`-m integration`. A tier "caught" the mutant when its run fails. The report is a table (mutant | unit |
integration) and the list of survivors: mutants no tier caught. Exit status 1 when there is a survivor, or
when the unmutated tree fails a test (then every "caught" would be meaningless).

The working tree itself is never touched, so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "scripts" / "mutants.toml"
TIERS = ("unit", "integration")
RUN_TIMEOUT_S = 900


@dataclass(frozen=True)
class Mutant:
    id: str
    why: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]


def load_mutants(path: Path = MUTANTS) -> list[Mutant]:
    """The mutants of `path`, each checked to edit exactly one place of an existing file."""
    mutants = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["mutant"]:
        m = Mutant(entry["id"], entry["why"], entry["file"], entry["find"], entry["replace"], tuple(entry["tests"]))
        text = (ROOT / m.file).read_text(encoding="utf-8")
        if text.count(m.find) != 1:
            raise SystemExit(f"mutant {m.id}: `find` occurs {text.count(m.find)} times in {m.file} (must be 1)")
        mutants.append(m)
    if len({m.id for m in mutants}) != len(mutants):
        raise SystemExit("mutant ids must be unique")
    return mutants


def copy_tree(dest: Path) -> None:
    """The tracked and untracked-but-not-ignored files of the working tree, as they are now."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    # The environments stay where they are: tests find them next to the tree (the CLI, the dashboard, vLLM).
    for venv in (".venv", ".venv-vllm"):
        if (ROOT / venv).exists():
            (dest / venv).symlink_to(ROOT / venv)


def run_tests(tree: Path, tests: tuple[str, ...], tier: str) -> tuple[str, str]:
    """('caught' | 'survived' | 'timeout' | 'no tests', the run's output tail) for one pytest run of `tests`
    in `tree`."""
    # `python -m pytest` puts the copy first on sys.path, ahead of the editable install of the real tree.
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", tier, *tests]
    # PYTHONPATH does the same for the subprocesses tests start (the CLI, the dashboard server).
    env = {**os.environ, "PYTHONPATH": str(tree)}
    try:
        done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                              check=False)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
    if done.returncode == 5:
        return "no tests", tail
    return ("survived" if done.returncode == 0 else "caught"), tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run this mutant id (repeatable)")
    parser.add_argument("--tier", choices=TIERS, action="append", help="run this tier only (repeatable)")
    args = parser.parse_args(argv)
    mutants = [m for m in load_mutants() if not args.only or m.id in args.only]
    tiers = tuple(args.tier or TIERS)
    with tempfile.TemporaryDirectory(prefix="sangdam-mutants-") as tmp:
        tree = Path(tmp)
        copy_tree(tree)
        clean = {t: run_tests(tree, tuple(sorted({p for m in mutants for p in m.tests})), t) for t in tiers}
        broken = {t: tail for t, (outcome, tail) in clean.items() if outcome not in ("survived", "no tests")}
        if broken:
            for t, tail in broken.items():
                print(f"the unmutated tree fails its {t} tests: fix them first\n{tail}", file=sys.stderr)
            return 1
        rows = []
        for m in mutants:
            target = tree / m.file
            original = target.read_text(encoding="utf-8")
            target.write_text(original.replace(m.find, m.replace), encoding="utf-8")
            started = time.monotonic()
            try:
                outcomes = {t: run_tests(tree, m.tests, t)[0] for t in tiers}
            finally:
                target.write_text(original, encoding="utf-8")
            rows.append((m, outcomes, time.monotonic() - started))
            print(f"{m.id:36} " + " ".join(f"{outcomes[t]:>10}" for t in tiers)
                  + f" {rows[-1][2]:6.0f} s", flush=True)
    survivors = [m for m, outcomes, _ in rows if "caught" not in outcomes.values() and "timeout" not in outcomes.values()]
    print()
    print(f"{len(rows)} mutants, {len(rows) - len(survivors)} caught, {len(survivors)} survived")
    for t in tiers:
        missed = [m.id for m, outcomes, _ in rows if outcomes[t] != "caught"]
        print(f"not caught by the {t} tier: {', '.join(missed) or '-'}")
    for m in survivors:
        print(f"SURVIVOR {m.id}: {m.why} ({m.file})")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main())
