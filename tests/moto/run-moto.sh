#!/usr/bin/env bash
# Starts moto (a local AWS stand-in) in server mode on 127.0.0.1:PORT, installing it first
# into a virtualenv under target/ (see venv.sh) when it is not there yet.
#
#   tests/moto/run-moto.sh PORT
#
# The environment passes through, so INITIAL_NO_AUTH_ACTION_COUNT=N turns on moto's
# signature checking after N unauthenticated calls. Tests start it through
# stratus_tests::moto, which picks a free port and stops the server when done.
set -euo pipefail
port="${1:?usage: run-moto.sh PORT}"
venv="$("$(dirname "$0")/venv.sh")"
exec "$venv/bin/moto_server" -H 127.0.0.1 -p "$port"
