"""Generator of the sample corpus under etl/samples (run it with ``python scripts/make_samples.py``).

The content (pages, tables, attachments, dev questions, the corpus README) lives as data files under
``scripts/samples/``; this package only turns it into HTML and attachment bytes:

- :mod:`samplegen.model`    data classes (Category, Page, Asset, Question, Corpus) and shared constants
- :mod:`samplegen.content`  reads ``scripts/samples/`` into a :class:`~samplegen.model.Corpus` (format documented there)
- :mod:`samplegen.derived`  table rows computed from ``scripts/samples/tables/*.json`` (``@rows name`` in a page)
- :mod:`samplegen.markup`   the small line markup of a page body -> HTML
- :mod:`samplegen.skins`    the four KMS site skins, whole-page assembly and deliberate breakage
- :mod:`samplegen.binfiles` tiny valid PDF / PNG / XLSX files and HWP placeholders
- :mod:`samplegen.readme`   the corpus README, with counts computed from what was written
- :mod:`samplegen.writer`   numbering (M001 ...), manual ids, and writing everything to disk
"""
