#!/usr/bin/env bash
# Back up the directory named by PUNTE_DATABASE_URL (pg_dump, custom format) into DIR and
# keep 30 days. Restore with deploy/restore.sh.
set -euo pipefail
dir="${1:?usage: backup.sh DIR}"
mkdir -p "$dir"
file="$dir/punte-$(date -u +%Y%m%dT%H%M%SZ).dump"
python="${PUNTE_PYTHON:-.venv/bin/python}"
"$python" -m directory backup "$file"
"$python" -m directory audit verify
find "$dir" -name 'punte-*.dump' -mtime +30 -delete
echo "$file"
