#!/bin/sh
# Compose only: the postgres image runs this once, when its data volume is first initialised
# (/docker-entrypoint-initdb.d). Creates the app's DML-only login role (runtime-role.sql).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v dml_role=mysymbols_dml -v app_role=mysymbols_app \
    -v app_password="$MYSYMBOLS_APP_DB_PASSWORD" -f /mysymbols/runtime-role.sql
