#!/usr/bin/env bash
# Starts moto (a local AWS stand-in) in server mode on 127.0.0.1:PORT, installing it first
# into a virtualenv under target/ (see venv.sh) when it is not there yet.
#
#   tests/moto/run-moto.sh PORT
#
# The environment passes through, so INITIAL_NO_AUTH_ACTION_COUNT=N turns on moto's
# signature checking after N unauthenticated calls. The tests and `cargo xtask demo` start
# it through the stratus-moto crate (tests/moto/src/lib.rs), which picks a free port. The
# server stops when this script gets SIGTERM, or within a second of the process that
# started it exiting, so no test run leaves a server behind.
set -euo pipefail
port="${1:?usage: run-moto.sh PORT}"
venv="$("$(dirname "$0")/venv.sh")"
parent=$PPID

"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" &
moto=$!
trap 'kill "$moto" 2>/dev/null || true; wait "$moto" 2>/dev/null || true' EXIT
trap 'exit 0' TERM INT
while kill -0 "$parent" 2>/dev/null && kill -0 "$moto" 2>/dev/null; do
  sleep 1
done
