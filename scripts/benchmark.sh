#!/usr/bin/env bash
# Benchmarks Alongside end to end and writes the figures into docs/benchmarks.md.
#
#   scripts/benchmark.sh [-Dbench.threads=16 -Dbench.creates=5000 ...]
#
# Builds the WAR, makes sure the local PostgreSQL is up, starts dedicated Liberty servers (alongside-bench on
# PostgreSQL at http://localhost:9280, alongside-bench-h2 on the embedded H2 database at http://localhost:9281;
# both drop their data at start), runs org.alongside.bench.FhirBenchmark against them and always stops them.
# Arguments are passed to the benchmark program (system properties, see its Javadoc).
#
# Environment: BENCH_H2=0 skips the H2 server; BENCH_MAVEN_FLAGS adds Maven flags (e.g. -o to stay offline);
# BENCH_EXPORT=1 runs the Bulk Data $export benchmark (org.alongside.bench.ExportBenchmark: 100k resources) instead,
# which writes a section of its own; BENCH_PG_HTTP, BENCH_PG_HTTPS, BENCH_H2_HTTP and BENCH_H2_HTTPS move the ports.
# Servers on other ports (9080, 9180, 9181, ...) are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_SERVER=alongside-bench
PG_HTTP=${BENCH_PG_HTTP:-9280}
PG_HTTPS=${BENCH_PG_HTTPS:-9643}
PG_URL='jdbc:postgresql://127.0.0.1:5432/test?currentSchema=alongside_bench'
H2_SERVER=alongside-bench-h2
H2_HTTP=${BENCH_H2_HTTP:-9281}
H2_HTTPS=${BENCH_H2_HTTPS:-9644}
program=org.alongside.bench.FhirBenchmark
server_flags=()
if [ "${BENCH_EXPORT:-0}" = 1 ]; then
  program=org.alongside.bench.ExportBenchmark
fi

began=$(date +%s)
mvn_() {
  # shellcheck disable=SC2086
  mvn -B -q -Dstyle.color=never ${BENCH_MAVEN_FLAGS:-} "$@"
}
log() {
  echo "[benchmark.sh $(date +%H:%M:%S)] $*"
}

started=()
stop_servers() {
  local server
  for server in "${started[@]+"${started[@]}"}"; do
    log "stopping $server"
    mvn_ liberty:stop -Dliberty.serverName="$server" || log "could not stop $server"
  done
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# start_server NAME HTTP_PORT HTTPS_PORT [-Dliberty.bootstrap.x=y ...]
start_server() {
  local name=$1 http=$2 https=$3
  shift 3
  started+=("$name")
  # A server of ours left running by an interrupted run would answer instead of the fresh one.
  mvn_ liberty:stop -Dliberty.serverName="$name" >/dev/null 2>&1 || true
  if port_in_use "$http" || port_in_use "$https"; then
    echo "Port $http or $https is already in use by another process; not starting $name" >&2
    exit 1
  fi
  log "starting $name on http://localhost:$http"
  mvn_ liberty:create liberty:deploy liberty:start \
    -Dliberty.serverName="$name" -DlooseApplication=false \
    -Dliberty.bootstrap.http.port="$http" -Dliberty.bootstrap.https.port="$https" \
    -Dliberty.bootstrap.alongside.db.cleanOnStart=true "$@"
  local deadline=$(($(date +%s) + 240))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$http/health/ready")" = 200 ]; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "$name did not answer 200 on /health/ready within 240 s; see target/liberty/wlp/usr/servers/$name/logs" >&2
      exit 1
    fi
    sleep 2
  done
  log "$name is ready"
}

log "building the WAR"
mvn_ -DskipTests package

log "checking PostgreSQL"
scripts/ensure-postgres.sh

start_server "$PG_SERVER" "$PG_HTTP" "$PG_HTTPS" \
  "-Dliberty.bootstrap.alongside.db.url=$PG_URL" \
  -Dliberty.bootstrap.alongside.db.user=postgres \
  -Dliberty.bootstrap.alongside.db.driver=org.postgresql.Driver \
  -Dliberty.bootstrap.alongside.db.schema=alongside_bench "${server_flags[@]+"${server_flags[@]}"}"
targets="PostgreSQL=http://localhost:$PG_HTTP"

if [ "${BENCH_H2:-1}" != 0 ]; then
  start_server "$H2_SERVER" "$H2_HTTP" "$H2_HTTPS" "${server_flags[@]+"${server_flags[@]}"}"
  targets="$targets;H2 (embedded)=http://localhost:$H2_HTTP"
fi

log "running the benchmark against: $targets"
mvn_ exec:java -Dexec.classpathScope=test -Dexec.mainClass="$program" \
  "-Dbench.targets=$targets" "$@"

log "done in $(($(date +%s) - began)) s; figures in docs/benchmarks.md"
