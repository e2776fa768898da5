#!/usr/bin/env bash
# The deployment files check themselves (CI: .ci/run):
#   deploy/k8s            every manifest, and what `kubectl kustomize` builds when kubectl is
#                         installed, against the Kubernetes API schemas (kubernetes-validate,
#                         offline, strict: an unknown field fails; a kind it has no schema for fails)
#   deploy/prometheus     promtool check rules; every alert has a unit test; promtool test rules;
#                         every mysymbols_* family the rules read is one the service exports
#   docker-compose.yml    the compose tool accepts it (dummy values for its required variables)
# Needs: $VENV/bin/kubernetes-validate (the dev lock), promtool (Debian: prometheus) and
# docker-compose (Debian: docker-compose) or `docker compose`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
K8S_VERSION=${K8S_VERSION:-1.35.0}  # a current Kubernetes release (schemas ship with the package)
failed=0
fail() { echo "check-deploy: FAILED: $*" >&2; failed=1; }

# kubernetes-validate only warns about documents it has no schema for (a misspelt kind or
# apiVersion): those fail here too.
validate() {
    local out
    if ! out=$("$VENV/bin/kubernetes-validate" -k "$K8S_VERSION" --strict "$@" 2>&1); then
        echo "$out"
        return 1
    fi
    echo "$out"
    ! grep -q "Couldn't find schema" <<<"$out"
}

echo "== deploy/k8s: kubernetes-validate --strict against Kubernetes $K8S_VERSION"
manifests=()
for f in deploy/k8s/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done
validate "${manifests[@]}" || fail "deploy/k8s manifests"
if command -v kubectl >/dev/null; then
    echo "== deploy/k8s: kubectl kustomize, validated"
    if built=$(kubectl kustomize deploy/k8s); then
        validate - <<<"$built" || fail "kubectl kustomize deploy/k8s output"
    else
        fail "kubectl kustomize deploy/k8s"
    fi
fi

echo "== deploy/prometheus: promtool check rules"
promtool check rules deploy/prometheus/alerts.yml || fail "promtool check rules"

echo "== deploy/prometheus: every alert has a unit test"
for alert in $(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' deploy/prometheus/alerts.yml); do
    grep -q "alertname: *$alert *$" deploy/prometheus/alerts.test.yml \
        || fail "alert $alert has no test in deploy/prometheus/alerts.test.yml"
done

echo "== deploy/prometheus: promtool test rules"
promtool test rules deploy/prometheus/alerts.test.yml || fail "promtool test rules"

echo "== deploy/prometheus: the rules read only families the service exports"
# Where families are declared: the platform's metrics and scrape, and each domain's gauges.
exporters=(app/platform/observability app/platform/http/scrape.py app/*/gauges.py)
for family in $(grep -o 'mysymbols_[a-z_]*' deploy/prometheus/alerts.yml | sort -u); do
    base=$family
    for suffix in _total _bucket _count _sum; do base=${base%"$suffix"}; done
    grep -rqF "\"$base\"" "${exporters[@]}" \
        || fail "$family is not exported by ${exporters[*]}"
done

echo "== docker-compose.yml: the compose tool accepts it"
if command -v docker-compose >/dev/null; then
    compose=(docker-compose)
else
    compose=(docker compose)
fi
MYSYMBOLS_API_KEYS="admin:check-deploy-dummy-key" MYSYMBOLS_APP_DB_PASSWORD="check-deploy-dummy" \
    POSTGRES_PASSWORD="check-deploy-dummy" "${compose[@]}" -f docker-compose.yml config -q \
    || fail "docker-compose.yml"

if [ "$failed" -ne 0 ]; then
    echo "check-deploy: some checks failed" >&2
    exit 1
fi
echo "check-deploy: all passed"
