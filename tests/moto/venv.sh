#!/usr/bin/env bash
# Makes sure moto[server] (and with it botocore) is installed in a virtualenv under target/,
# then prints the virtualenv's path. Needs python3 (3.9+).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="${STRATUS_MOTO_VENV:-$root/target/moto-venv}"
version="5.2.5"
if [ ! -x "$venv/bin/moto_server" ] || [ "$(cat "$venv/.stratus-moto-version" 2>/dev/null)" != "$version" ]; then
  echo "installing moto[server]==$version into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version" >&2
  echo "$version" > "$venv/.stratus-moto-version"
fi
echo "$venv"
