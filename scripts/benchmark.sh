#!/usr/bin/env bash
# Benchmarks Alongside end to end, beside the HAPI FHIR JPA server on the same databases, and writes the figures
# into docs/benchmarks.md.
#
#   scripts/benchmark.sh [-Dbench.threads=16 -Dbench.creates=5000 ...]
#
# Builds the WAR and the HAPI peer (scripts/hapi-peer), makes sure the local PostgreSQL is up, starts dedicated servers,
# all from empty databases: Liberty servers alongside-bench on PostgreSQL (schema alongside_bench) at
# http://localhost:9280 and alongside-bench-h2 on the embedded H2 database at http://localhost:9281; the HAPI peer
# on PostgreSQL (schema hapi_bench) at http://localhost:9282 and on H2 (target/hapi-h2) at http://localhost:9283,
# each with a 1 GiB heap; and alongside-bench-stale on PostgreSQL (schema alongside_bench_stale, statistics keeper
# off) at http://localhost:9284 for the stale-statistics run. Then it runs org.alongside.bench.FhirBenchmark against
# them and always stops what it started. Arguments are passed to the benchmark program (system properties, see its
# Javadoc).
#
# Environment: BENCH_H2=0 skips the H2 servers; BENCH_HAPI=0 skips the HAPI peers; BENCH_STALE=0 skips the
# stale-statistics run; BENCH_HAPI_REUSE_CACHE=60000 lets HAPI reuse identical searches' results for 60 s as its
# starter does (default off, so every search is executed); BENCH_MAVEN_FLAGS adds Maven flags (e.g. -o to stay
# offline); BENCH_EXPORT=1 runs the Bulk Data $export benchmark (org.alongside.bench.ExportBenchmark: 100k
# resources) instead, which writes a section of its own; BENCH_PROFILE=1 profiles the Alongside servers instead
# (Java Flight Recorder during one round, no HAPI peers, no stale-statistics run; org.alongside.bench.ProfileAnalysis
# writes "Where the time goes" and the flame graphs go to docs/profiles); BENCH_SCALE=1 runs the scale benchmark
# instead (org.alongside.bench.ScaleBenchmark: 1,000,000 resources on PostgreSQL only, about an hour);
# BENCH_PG_HTTP, BENCH_PG_HTTPS, BENCH_H2_HTTP, BENCH_H2_HTTPS, BENCH_HAPI_PG_HTTP, BENCH_HAPI_H2_HTTP,
# BENCH_STALE_HTTP and BENCH_STALE_HTTPS move the ports;
# BENCH_PG_SCHEMA moves the PostgreSQL server's schema (default alongside_bench).
# Servers on other ports (9080, 9180, 9181, ...) are never touched.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_SERVER=alongside-bench
PG_HTTP=${BENCH_PG_HTTP:-9280}
PG_HTTPS=${BENCH_PG_HTTPS:-9643}
PG_SCHEMA=${BENCH_PG_SCHEMA:-alongside_bench}
PG_URL="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$PG_SCHEMA"
H2_SERVER=alongside-bench-h2
H2_HTTP=${BENCH_H2_HTTP:-9281}
H2_HTTPS=${BENCH_H2_HTTPS:-9644}
HAPI_PG_HTTP=${BENCH_HAPI_PG_HTTP:-9282}
HAPI_H2_HTTP=${BENCH_HAPI_H2_HTTP:-9283}
HAPI_REUSE_CACHE=${BENCH_HAPI_REUSE_CACHE:-off}
STALE_SERVER=alongside-bench-stale
STALE_HTTP=${BENCH_STALE_HTTP:-9284}
STALE_HTTPS=${BENCH_STALE_HTTPS:-9645}
STALE_URL='jdbc:postgresql://127.0.0.1:5432/test?currentSchema=alongside_bench_stale'
program=org.alongside.bench.FhirBenchmark
server_flags=()
hapi=${BENCH_HAPI:-1}
stale=${BENCH_STALE:-1}
profile=${BENCH_PROFILE:-0}
if [ "$profile" = 1 ]; then
  hapi=0
  stale=0
  # deep stacks (filters, HAPI, CDI, JTA, Hibernate): JFR keeps 64 frames by default and the classes sit near the root;
  # Liberty's server script passes JVM_ARGS to the servers liberty:start launches
  export JVM_ARGS="${JVM_ARGS:-} -XX:FlightRecorderOptions=stackdepth=512"
fi
if [ "${BENCH_EXPORT:-0}" = 1 ]; then
  program=org.alongside.bench.ExportBenchmark
  hapi=0
  stale=0
fi
if [ "${BENCH_SCALE:-0}" = 1 ]; then
  program=org.alongside.bench.ScaleBenchmark
  hapi=0
  stale=0
  export BENCH_H2=0
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
peers=()
stop_servers() {
  local server pid
  for pid in "${peers[@]+"${peers[@]}"}"; do
    log "stopping the HAPI peer (process $pid)"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
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

# start_peer LABEL PORT -Dhapi.db=... : the HAPI FHIR JPA server of scripts/hapi-peer in the background, 1 GiB heap
start_peer() {
  local label=$1 port=$2
  shift 2
  if port_in_use "$port"; then
    echo "Port $port is already in use by another process; not starting the HAPI peer on $label" >&2
    exit 1
  fi
  log "starting the HAPI peer on $label on http://localhost:$port"
  java -Xms256m -Xmx1g -XX:+ExitOnOutOfMemoryError -Dhapi.port="$port" "-Dhapi.reuseCachedSearchMillis=$HAPI_REUSE_CACHE" \
    "$@" -cp "scripts/hapi-peer/target/classes:scripts/hapi-peer/target/lib/*" org.alongside.bench.hapi.HapiPeer \
    >"target/hapi-peer-$port.log" 2>&1 &
  peers+=("$!")
  echo "$!" >"target/hapi-peer-$port.pid" # the benchmark reads the peer's processor time from /proc
}

await_peer() {
  local port=$1 pid=$2
  local deadline=$(($(date +%s) + 300))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/fhir/metadata")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      echo "The HAPI peer on port $port did not start; see target/hapi-peer-$port.log" >&2
      exit 1
    fi
    sleep 2
  done
  log "the HAPI peer on port $port is ready"
}

log "building the WAR"
mvn_ -DskipTests package
if [ "$hapi" != 0 ]; then
  log "building the HAPI peer (scripts/hapi-peer)"
  mvn_ -f scripts/hapi-peer/pom.xml package
fi

log "checking PostgreSQL"
scripts/ensure-postgres.sh

# The peers take about a minute to start: they do so while the Liberty servers start.
if [ "$hapi" != 0 ]; then
  start_peer PostgreSQL "$HAPI_PG_HTTP" -Dhapi.db=postgresql -Dhapi.pg.schema=hapi_bench
  if [ "${BENCH_H2:-1}" != 0 ]; then
    start_peer H2 "$HAPI_H2_HTTP" -Dhapi.db=h2 -Dhapi.h2.path=target/hapi-h2/hapi
  fi
fi

start_server "$PG_SERVER" "$PG_HTTP" "$PG_HTTPS" \
  "-Dliberty.bootstrap.alongside.db.url=$PG_URL" \
  -Dliberty.bootstrap.alongside.db.user=postgres \
  -Dliberty.bootstrap.alongside.db.driver=org.postgresql.Driver \
  -Dliberty.bootstrap.alongside.db.schema="$PG_SCHEMA" "${server_flags[@]+"${server_flags[@]}"}"
targets="PostgreSQL=http://localhost:$PG_HTTP"
# each server's process, whose processor time per operation the report gives
pids="PostgreSQL=target/liberty/wlp/usr/servers/.pid/$PG_SERVER.pid"

if [ "${BENCH_H2:-1}" != 0 ]; then
  start_server "$H2_SERVER" "$H2_HTTP" "$H2_HTTPS" "${server_flags[@]+"${server_flags[@]}"}"
  targets="$targets;H2 (embedded)=http://localhost:$H2_HTTP"
  pids="$pids;H2 (embedded)=target/liberty/wlp/usr/servers/.pid/$H2_SERVER.pid"
fi

program_flags=()
hapi_targets=""
if [ "$stale" != 0 ]; then
  start_server "$STALE_SERVER" "$STALE_HTTP" "$STALE_HTTPS" \
    "-Dliberty.bootstrap.alongside.db.url=$STALE_URL" \
    -Dliberty.bootstrap.alongside.db.user=postgres \
    -Dliberty.bootstrap.alongside.db.driver=org.postgresql.Driver \
    -Dliberty.bootstrap.alongside.db.schema=alongside_bench_stale \
    -Dliberty.bootstrap.alongside.db.analyzeIntervalSeconds=0
  program_flags+=("-Dbench.stale.target=http://localhost:$STALE_HTTP")
fi

if [ "$hapi" != 0 ]; then
  await_peer "$HAPI_PG_HTTP" "${peers[0]}"
  hapi_targets="PostgreSQL=http://localhost:$HAPI_PG_HTTP"
  pids="$pids;HAPI PostgreSQL=target/hapi-peer-$HAPI_PG_HTTP.pid"
  if [ "${BENCH_H2:-1}" != 0 ]; then
    await_peer "$HAPI_H2_HTTP" "${peers[1]}"
    hapi_targets="$hapi_targets;H2 (embedded)=http://localhost:$HAPI_H2_HTTP"
    pids="$pids;HAPI H2 (embedded)=target/hapi-peer-$HAPI_H2_HTTP.pid"
  fi
  program_flags+=("-Dbench.hapi.targets=$hapi_targets" \
    "-Dbench.hapi.settings=search-result reuse $HAPI_REUSE_CACHE$([ "$HAPI_REUSE_CACHE" = off ] || echo ' ms')")
fi

if [ "$profile" = 1 ]; then
  rm -rf target/profiles && mkdir -p target/profiles docs/profiles
  # every socket read (the waits for PostgreSQL) and file force (H2's commits), not only those over 10 ms
  sed -e 's|control="socket-threshold">10 ms|control="socket-threshold">0 ms|' \
      -e 's|control="method-sampling-java-interval">10 ms|control="method-sampling-java-interval">2 ms|' \
      -e 's|control="file-threshold">10 ms|control="file-threshold">0 ms|' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > target/profiles/alongside.jfc
  profiled=("$PG_SERVER=PostgreSQL")
  [ "${BENCH_H2:-1}" = 0 ] || profiled+=("$H2_SERVER=H2 (embedded)")
  recordings=""
  for entry in "${profiled[@]}"; do
    server=${entry%%=*} label=${entry#*=}
    jcmd "$(cat "target/liberty/wlp/usr/servers/.pid/$server.pid")" JFR.start name=bench \
      settings="$PWD/target/profiles/alongside.jfc" >/dev/null
    recordings="$recordings${recordings:+;}$label=target/profiles/$server.jfr"
  done
  program_flags+=(-Dbench.rounds=1 -Dbench.output= -Dbench.raw.jdbcUrl= -Dbench.timeline=target/profiles/timeline.tsv)
fi
program_flags+=("-Dbench.pids=$pids")

log "running the benchmark against: $targets${hapi_targets:+; HAPI: $hapi_targets}"
mvn_ exec:java -Dexec.classpathScope=test -Dexec.mainClass="$program" "-Dbench.pg.schema=$PG_SCHEMA" \
  "-Dbench.targets=$targets" "${program_flags[@]+"${program_flags[@]}"}" "$@"

if [ "$profile" = 1 ]; then
  for entry in "${profiled[@]}"; do
    server=${entry%%=*}
    jcmd "$(cat "target/liberty/wlp/usr/servers/.pid/$server.pid")" JFR.stop name=bench \
      filename="$PWD/target/profiles/$server.jfr" >/dev/null
  done
  log "analysing the recordings"
  mvn_ exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.alongside.bench.ProfileAnalysis \
    "-Dprofile.recordings=$recordings"
  mvn_ dependency:copy -Dartifact=tools.profiler:jfr-converter:4.2 -DoutputDirectory=target/profiles
  # one CPU flame graph per database and phase, from the stacks ProfileAnalysis cut out of the recordings
  for stacks in target/profiles/*.collapsed; do
    java -cp target/profiles/jfr-converter-4.2.jar Main --title "Alongside: $(basename "$stacks" .collapsed) (CPU)" \
      "$stacks" "docs/profiles/$(basename "$stacks" .collapsed).html" >/dev/null
  done
  log "flame graphs in docs/profiles"
fi

log "done in $(($(date +%s) - began)) s; figures in docs/benchmarks.md"
