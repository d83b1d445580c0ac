# Tessera's image: one image for the web server (gunicorn, the default), the Celery worker, the
# beat scheduler and one-off management commands (see docker/entrypoint.sh).
#
#   docker build -t tessera .                                   # on the official Python image
#   docker build --build-arg BASE_IMAGE=my/python:3.13 -t tessera .   # any Debian-like base
#
# The base needs python3 (3.12 or 3.13) with the venv module. Nothing here names the project's
# files one by one: the locked dependencies come from requirements.lock (hash-checked), the code
# is the whole build context minus .dockerignore, and static files are collected at build time.
ARG BASE_IMAGE=python:3.13-slim

# --- build: a virtual environment with the locked dependencies --------------------------------
FROM ${BASE_IMAGE} AS build
# The languages the pages speak (settings.LANGUAGES): Babel's date and number data is kept for
# these (and their regional variants and CLDR's root) and dropped for the other ~800 locales,
# about 30 MB. Add a language here when you add it to LANGUAGES.
ARG PAGE_LOCALES="en es"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
# Extra CA certificates for the downloads (docker/build-ca/README.md); build stage only.
COPY docker/build-ca/ /tmp/build-ca/
# --require-hashes: every wheel must match the lock; --only-binary: nothing is compiled here,
# so the base needs no compiler. Byte-compiled once here (and the code below): it is read-only
# at run time, and compiling Django, DRF and Celery again in every process would cost each
# start tens of seconds.
RUN cert=$(ls /tmp/build-ca/*.crt 2>/dev/null | head -n1); \
    if [ -n "$cert" ]; then export PIP_CERT="$cert"; fi; \
    /opt/venv/bin/pip install --require-hashes --only-binary=:all: --no-deps \
        -r /tmp/requirements.lock \
    && rm -rf /opt/venv/lib/python3*/site-packages/pip* \
    && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
    && find /opt/venv -name '*.po' -delete \
    && for f in /opt/venv/lib/python3*/site-packages/babel/locale-data/*.dat; do \
         n=$(basename "$f" .dat); keep=""; \
         for l in root $PAGE_LOCALES; do case "$n" in "$l"|"$l"_*) keep=1 ;; esac; done; \
         [ -n "$keep" ] || rm "$f"; \
       done \
    && python3 -m compileall -q -j 0 /opt/venv/lib
# The code, and the static files collected from it (served by WhiteNoise). Source maps of the
# vendored API-docs bundles are dropped: a browser's developer tools ask for them, no page does.
COPY . /app
RUN cd /app \
    && SECRET_KEY=collectstatic-at-build-time DATA_DIR=/tmp/build-data STATIC_ROOT=/app/static \
       TESSERA_ENV_FILE=/nonexistent /opt/venv/bin/python manage.py collectstatic --noinput -v 0 \
    && find /opt/venv /app/static \( -name '*.map' -o -name '*.map.gz' \) -delete \
    && rm -rf /tmp/build-data /app/docker/build-ca
RUN python3 -m compileall -q -j 0 /app/config /app/tessera

# --- runtime ----------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/app/data \
    STATIC_ROOT=/app/static \
    TESSERA_ENV_FILE=/nonexistent \
    PORT=8000
RUN (getent group tessera || groupadd --system --gid 10001 tessera) \
    && (getent passwd tessera || useradd --system --uid 10001 --gid tessera \
        --home-dir /app --no-create-home --shell /usr/sbin/nologin tessera)
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
RUN mkdir -p /app/data && chown tessera:tessera /app/data && chmod 0755 /app/docker/entrypoint.sh
USER tessera
VOLUME ["/app/data"]
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
