#!/bin/sh
# The pipe's entry point: maps the pipe's variables (pipe/pipe.yml) to `bridge publish` options. Bitbucket passes
# the step's own variables (BITBUCKET_COMMIT, BITBUCKET_STEP_OIDC_TOKEN…) to the pipe, and `bridge publish` reads them.
set -eu
set -- publish
[ -n "${BRIDGE_INGRESS_URL:-}" ] && set -- "$@" --ingress "$BRIDGE_INGRESS_URL"
[ -n "${BRIDGE_AMQP_URL:-}" ] && set -- "$@" --amqp "$BRIDGE_AMQP_URL"
[ -n "${QUEUE:-}" ] && set -- "$@" --queue "$QUEUE"
[ "${WAIT:-true}" = "true" ] && set -- "$@" --wait
[ -n "${TIMEOUT:-}" ] && set -- "$@" --timeout "$TIMEOUT"
[ -n "${POLL_INTERVAL:-}" ] && set -- "$@" --poll-interval "$POLL_INTERVAL"
[ "${DRY_RUN:-false}" = "true" ] && set -- "$@" --dry-run
exec dotnet /app/bridge.dll "$@"
