"""The production search backend on an OpenSearch cluster (one folder, one class a file, as Onyx's
`document_index/opensearch/`): `index` (`OpenSearchIndex`, the reader), `writer`, `lock` (one writer at a
time), `cluster` (the alias's physical indexes and search pipeline), `client` (client and errors), and the
request bodies as pure functions: `mappings` (settings, mappings, names) and `queries`. Import from the
modules; this file hands nothing on."""
