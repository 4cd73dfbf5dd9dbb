"""The embedded hybrid index: one local directory, nothing to install or start (the default backend).

Modules: `index` (`EmbeddedSearchIndex`, the reader), `writer` (`EmbeddedIndexWriter`), `version` (one
loaded version and its search primitives), `postings` (BM25 weights), `layout` (the files on disk).
Import from the modules; this file hands nothing on, so importing the search protocol stays cheap.
"""
