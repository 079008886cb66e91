#!/usr/bin/env bash
# Makes sure the local PostgreSQL the integration tests use (127.0.0.1:5432, trust auth, database "test")
# is running; starts the machine's cluster when it is down. Idempotent; changes nothing when it is up.
set -euo pipefail
host=127.0.0.1
port=5432
if pg_isready -h "$host" -p "$port" -q 2>/dev/null; then
  exit 0
fi
echo "PostgreSQL is not answering on $host:$port; starting it"
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 60); do
  if pg_isready -h "$host" -p "$port" -q; then
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL did not start on $host:$port" >&2
exit 1
