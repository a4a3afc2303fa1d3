#!/usr/bin/env bash
# Restore a backup.sh dump into the EMPTY database named by the URL, then check its audit chain.
#   deploy/restore.sh FILE postgresql://punte:...@host/punte_restored
# Stop the app servers (or point them at the restored database) before switching over.
set -euo pipefail
file="${1:?usage: restore.sh FILE URL}"
url="${2:?usage: restore.sh FILE URL}"
pg_restore --no-owner --exit-on-error --dbname="$url" "$file"
"${PUNTE_PYTHON:-.venv/bin/python}" -m directory audit verify --db "$url"
