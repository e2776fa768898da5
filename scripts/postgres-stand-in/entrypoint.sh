#!/bin/sh
# The stand-in's entrypoint (Containerfile beside it): what the official postgres image's does,
# as far as docker-compose.yml relies on it. On an empty data directory: initdb with
# POSTGRES_USER as the superuser and POSTGRES_PASSWORD as its password (scram-sha-256 over TCP,
# trust on the local socket), POSTGRES_DB created, then /docker-entrypoint-initdb.d/*.sh (sourced,
# or run when executable) and *.sql, against a server listening on its socket only, so that no
# client sees the database before it is ready. Then postgres, in the foreground, on every
# interface of the container.
set -eu
: "${POSTGRES_PASSWORD:?the stand-in, as the official image, needs POSTGRES_PASSWORD}"
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
export POSTGRES_USER POSTGRES_DB

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
    if [ "$POSTGRES_DB" != postgres ]; then
        psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
            -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sh) echo "stand-in: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
            *.sql)
                echo "stand-in: running $f"
                psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
                    -f "$f" ;;
            *) ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "stand-in: database initialised"
fi
exec "$@" -c listen_addresses='*'
