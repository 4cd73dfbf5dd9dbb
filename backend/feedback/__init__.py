"""Agents' ratings of answers: the record and the `FeedbackStore` protocol (base), the SQLite and
OpenSearch stores, the factory and the admin reports. Import from the modules; this file hands nothing on."""
