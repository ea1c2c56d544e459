#!/usr/bin/env bash
# Runs a real Apicurio Registry (the schema registry of cryptostream's topics) without Docker,
# from its Maven Central tarball (io.apicurio:apicurio-registry-app, classifier `all`), fetched
# once with `mvn` into ~/.m2 and unpacked into .local/registry.
#
#   scripts/registry.sh start    fetch and unpack once, find Java 21+, start it, wait until it answers
#   scripts/registry.sh stop     stop the registry this script started
#   scripts/registry.sh status   exit 0 when a registry answers on REGISTRY_HOST:REGISTRY_PORT
#   scripts/registry.sh url      print its base URL (what SCHEMA_REGISTRY_URL takes)
#
# Settings: REGISTRY_HOST (127.0.0.1), REGISTRY_PORT (8081; its management interface, /health and
# /metrics, takes REGISTRY_MANAGEMENT_PORT, REGISTRY_PORT+1), REGISTRY_HOME (.local/registry),
# REGISTRY_HEAP (384m), REGISTRY_JAVA (a java binary of version 21 or newer; else JAVA_HOME,
# `java` on the PATH and /usr/lib/jvm/* are tried in that order).
# Storage is an H2 database in files under REGISTRY_HOME/data, so schema ids survive a restart
# (docs/schemas.md says how to point it at PostgreSQL or MySQL in production).
# Two callers starting it at once are safe: the start is serialised by flock, and a registry
# that answers already (this script's or any other) is reused.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="${REGISTRY_HOST:-127.0.0.1}"
port="${REGISTRY_PORT:-8081}"
home="${REGISTRY_HOME:-$root/.local/registry}"
version=3.3.3
app="$home/apicurio-registry-$version"
pid_file="$home/registry-$port.pid"
log="$home/registry.log"
url="http://$host:$port"

answers() { curl -fsS -m 2 -o /dev/null "$url/apis/registry/v3/system/info" 2>/dev/null; }

# The first java binary of version 21 or newer, or nothing.
find_java() {
  local candidate major
  for candidate in "${REGISTRY_JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    major="$("$candidate" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
    if [[ -n "$major" && "$major" -ge 21 ]]; then echo "$candidate"; return; fi
  done
}

fetch() {
  [[ -f "$app/quarkus-run.jar" ]] && return
  command -v mvn >/dev/null || { echo "registry.sh: mvn (Apache Maven) is needed to fetch Apicurio Registry (apt-get install maven)" >&2; exit 1; }
  mkdir -p "$home"
  echo "registry.sh: fetching Apicurio Registry $version with mvn (158 MB, once)"
  if ! mvn -q -B dependency:copy -Dartifact="io.apicurio:apicurio-registry-app:$version:tar.gz:all" \
      -DoutputDirectory="$home" -Dmdep.overWriteReleases=true > "$home/mvn.log" 2>&1; then
    echo "registry.sh: mvn could not fetch io.apicurio:apicurio-registry-app:$version; its output:" >&2
    cat "$home/mvn.log" >&2
    exit 1
  fi
  local tarball="$home/apicurio-registry-app-$version-all.tar.gz" unpack="$home/unpack.$$"
  rm -rf "$unpack" && mkdir -p "$unpack"
  tar -xzf "$tarball" -C "$unpack"
  # The tarball holds one directory (quarkus-run.jar, lib/, app/, quarkus/).
  local top
  top="$(dirname "$(find "$unpack" -maxdepth 3 -name quarkus-run.jar | head -n1)")"
  [[ -f "$top/quarkus-run.jar" ]] || { echo "registry.sh: no quarkus-run.jar in $tarball" >&2; exit 1; }
  rm -rf "$app" && mv "$top" "$app" && rm -rf "$unpack" "$tarball"
}

start() {
  if answers; then echo "registry.sh: a registry already answers on $url"; return; fi
  fetch
  local java
  java="$(find_java)"
  if [[ -z "$java" ]]; then
    echo "registry.sh: Apicurio Registry $version needs Java 21 or newer, and none was found (java on the PATH, JAVA_HOME, /usr/lib/jvm)." >&2
    echo "registry.sh: install one (e.g. apt-get install openjdk-21-jre-headless, or Temurin 21+) or set REGISTRY_JAVA=/path/to/bin/java" >&2
    exit 1
  fi
  mkdir -p "$home/data"
  echo "registry.sh: starting Apicurio Registry $version on $url (log: $log)"
  local started=$SECONDS
  QUARKUS_HTTP_HOST="$host" QUARKUS_HTTP_PORT="$port" \
    APICURIO_STORAGE_KIND=sql APICURIO_STORAGE_SQL_KIND=h2 \
    APICURIO_DATASOURCE_URL="jdbc:h2:file:$home/data/registry;DB_CLOSE_ON_EXIT=FALSE" \
    APICURIO_DATASOURCE_USERNAME=sa APICURIO_DATASOURCE_PASSWORD=sa \
    QUARKUS_MANAGEMENT_HOST="$host" QUARKUS_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-$((port + 1))}" \
    QUARKUS_LOG_CONSOLE_JSON=false \
    nohup setsid "$java" -Xms128m -Xmx"${REGISTRY_HEAP:-384m}" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -jar "$app/quarkus-run.jar" > "$log" 2>&1 9>&- &
  echo $! > "$pid_file"
  for _ in $(seq 1 360); do
    if answers; then echo "registry.sh: Apicurio Registry is up on $url ($((SECONDS - started)) s)"; return; fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "registry.sh: the registry exited during start-up; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "registry.sh: the registry did not answer on $url within 180 s (log: $log)" >&2
  exit 1
}

stop() {
  [[ -f "$pid_file" ]] || { echo "registry.sh: no registry started by this script on port $port"; return; }
  local pid
  pid="$(cat "$pid_file")"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pid_file"
  echo "registry.sh: stopped the registry on $port"
}

case "${1:-}" in
  start)
    if answers; then echo "registry.sh: a registry already answers on $url"; exit 0; fi
    mkdir -p "$home"
    # One start at a time: a second caller waits, then finds the first one's registry answering.
    # The registry itself does not inherit the lock (9>&- above).
    exec 9> "$home/.start.lock"
    flock 9
    start
    ;;
  stop) stop ;;
  status) answers && echo "registry.sh: up on $url" || { echo "registry.sh: down on $url"; exit 1; } ;;
  url) echo "$url" ;;
  *) echo "usage: scripts/registry.sh start|stop|status|url" >&2; exit 2 ;;
esac
