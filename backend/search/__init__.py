"""Hybrid (BM25 + vector) search over manual chunks: the `SearchIndex` protocol (base), the fusion
reference, the retriever, the factory, and one folder per backend (`embedded`, `opensearch`).
Import from the modules; this file hands nothing on, so importing the protocol loads no analyzer."""
