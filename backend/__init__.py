"""Sangdam Copilot library: settings, search, embeddings, storage. Never imports streamlit."""
