-- The app's database role: may read and write rows, owns nothing, so it cannot drop a table or
-- the append-only triggers. Run once per database by an administrator (compose runs it when its
-- database is first initialised: init-runtime-role.sh), before or after the migrations; the
-- migration 0032 grants the group role DML on every table, now and later.
--
--   psql "$OWNER_OR_ADMIN_URL" -v ON_ERROR_STOP=1 -v dml_role=mysymbols_dml \
--        -v app_role=mysymbols_app -v app_password="$(openssl rand -hex 24)" -f runtime-role.sql
--
-- One cluster holding several deployments: a dml_role per database (and MYSYMBOLS_DML_ROLE set
-- to it for the migrations), or a login role of one deployment could write another's tables.
-- Then: the app's MYSYMBOLS_DATABASE_URL names app_role, the migrations'
-- MYSYMBOLS_MIGRATION_DATABASE_URL the owner (docs/operations.md "Deploying").

SELECT format('CREATE ROLE %I NOLOGIN', :'dml_role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'dml_role') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_role', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
SELECT format('GRANT %I TO %I', :'dml_role', :'app_role') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
-- PostgreSQL 14 and older let every role create tables in `public`; the app needs none.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
