#!/usr/bin/env sh
# Publishes one event to the try-out's Bridge: a Bitbucket "repo:push" webhook of a new tag, signed with the hook
# secret from docker/.env, posted to the ingress on 127.0.0.1:8443 as Bitbucket would post it.
# Usage: docker/publish-webhook.sh WORKSPACE/REPO '{REPOSITORY-UUID}' COMMIT-HASH TAG
# The commit must exist in that repository: Bridge posts its status there. A tag v* matches the release route.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 WORKSPACE/REPO '{REPOSITORY-UUID}' COMMIT-HASH TAG" >&2; exit 2; }
repository=$1 repository_uuid=$2 commit=$3 tag=$4
env_file="$(dirname "$0")/.env"
[ -f "$env_file" ] || { echo "$env_file is missing: copy docker/.env.example and fill it in" >&2; exit 2; }
# shellcheck disable=SC1090
. "$env_file"
: "${BRIDGE_HOOK_UUID:?BRIDGE_HOOK_UUID is not set in $env_file}" "${BRIDGE_HOOK_SECRET:?BRIDGE_HOOK_SECRET is not set in $env_file}"
: "${BITBUCKET_WORKSPACE_UUID:?BITBUCKET_WORKSPACE_UUID is not set in $env_file}"
workspace=${repository%%/*}

body=$(printf '{"push":{"changes":[{"new":{"type":"tag","name":"%s","target":{"type":"commit","hash":"%s"}},"old":null,"created":true,"closed":false}]},"repository":{"type":"repository","full_name":"%s","uuid":"%s","workspace":{"type":"workspace","slug":"%s","uuid":"%s"}}}' \
    "$tag" "$commit" "$repository" "$repository_uuid" "$workspace" "$BITBUCKET_WORKSPACE_UUID")
signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$BRIDGE_HOOK_SECRET" -r | cut -d' ' -f1)
hook=$(printf '%s' "$BRIDGE_HOOK_UUID" | tr -d '{}')
request=$(cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen)

printf '%s' "$body" | curl -sS -i -X POST http://127.0.0.1:8443/v1/webhooks/bitbucket \
    -H 'Content-Type: application/json' -H 'User-Agent: Bitbucket-Webhooks/2.0' \
    -H 'X-Event-Key: repo:push' -H "X-Hook-UUID: $hook" -H "X-Request-UUID: $request" -H 'X-Attempt-Number: 1' \
    -H "X-Hub-Signature: sha256=$signature" --data-binary @-
echo
