# 상담 코파일럿 app image: the Streamlit dashboard (default command) and the `sangdam` CLI (ingest jobs).
#   docker build -t sangdam/copilot .
#   docker run -p 8501:8501 --env-file infra/.env sangdam/copilot
#   docker run --rm --env-file infra/.env sangdam/copilot sangdam ingest s3://<bucket>/source/
# Settings reach it as SANGDAM_* environment variables (backend/config.py); infra/docker-compose.yml wires them.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The dependencies in their own layer, rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY backend ./backend
COPY etl ./etl
COPY pages ./pages
COPY dashboard ./dashboard
COPY streamlit_app.py ./

# EXTRAS="[sentence-transformers]" adds SANGDAM_EMBEDDER=sentence-transformers (torch: a much larger image).
ARG EXTRAS=""
# hadolint ignore=DL3013
RUN pip install ".${EXTRAS}" && rm -rf build ./*.egg-info

# The installed package must carry its data files (the bundled glossary): fail the build if it does not.
ENV SANGDAM_HOME=/data
RUN sangdam --help >/dev/null \
    && cd / && python -P -c "from backend.text.glossary import DEFAULT_GLOSSARY as g; assert g.is_file(), g"

# SANGDAM_HOME (embedding cache, run records; the embedded index when not on OpenSearch): mount a volume here.
RUN useradd --create-home --uid 10001 sangdam && mkdir -p /data && chown sangdam:sangdam /data
USER 10001:10001
VOLUME ["/data"]

# uvicorn under Streamlit must not rewrite the client address from X-Forwarded-For: the app alone decides which
# proxies it trusts (SANGDAM_AUTH_TRUSTED_PROXIES).
ENV FORWARDED_ALLOW_IPS=""
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=5)"]
CMD ["streamlit", "run", "streamlit_app.py", "--server.port", "8501", "--server.headless", "true", \
     "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal", \
     "--client.showErrorDetails", "none"]
