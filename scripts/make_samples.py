#!/usr/bin/env python3
"""Generate the bundled sample corpus of 상담 코파일럿 (Sangdam Copilot).

The corpus imitates the KMS (지식관리시스템) intranet of a FICTIONAL Korean telecom,
**한빛텔레콤 (Hanbit Telecom)**: ~125 HTML manual pages in ten categories, a few
superseded old versions, small attachments (PDF / XLSX / HWP / PNG), a dev question
set and a README.  Everything is written from the data files under ``scripts/samples/``:

    python scripts/make_samples.py                 # rewrites etl/samples/
    python scripts/make_samples.py --out-dir /tmp/x

The output is byte-identical on every run (no clock, no unseeded randomness, fixed
zip timestamps), which ``tests/etl/test_samples.py`` checks.  Writing the XLSX files
needs ``openpyxl`` and the README's table counts need ``lxml`` (both in the project's
test extras: use ``.venv/bin/python``).

Where things are
----------------
Content (what a writer edits): ``scripts/samples/`` -- one text file per manual page
under ``pages/<category prefix>/``, JSON tables, attachments, dev questions and the
README text; the format and the reasons for it are in :mod:`samplegen.content`.

Generator code: the ``samplegen`` package next to this script.  Each page body is a
small line-oriented markup (:func:`samplegen.markup.render_body`) rendered through one
of four site "skins" that mimic different KMS generations (:mod:`samplegen.skins`:
modern KMS 3.0, legacy table-layout KMS 1.0 in EUC-KR, a board/FAQ view and a KMS 2.0
div layout).  Some pages are deliberately broken (malformed markup, no charset
declaration, CP949 bytes, BOM, scripts/styles/comments holding canary strings that
must never reach the index).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # also when loaded by path (tests/etl/test_samples.py)
    sys.path.insert(0, str(HERE))

from samplegen.content import DATA_DIR, load
from samplegen.writer import build

REPO_ROOT = HERE.parent
DEFAULT_OUT = REPO_ROOT / "etl" / "samples"


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: ``python scripts/make_samples.py [--out-dir DIR]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT, help="output directory (default: etl/samples)")
    args = ap.parse_args(argv)
    corpus = load(DATA_DIR)
    stats = build(corpus, args.out_dir)
    print(f"wrote {len(corpus.pages)} pages + {len(corpus.old_pages)} superseded, {len(corpus.assets)} assets, "
          f"{len(corpus.questions)} questions to {args.out_dir} (skins: {stats['skins']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
