#!/usr/bin/env bash
# Runs a real Apache Kafka broker (KRaft mode, no ZooKeeper) without Docker.
# The broker's jars come from Maven Central through `mvn` (cached in ~/.m2) and live in
# .local/kafka; the log is .local/kafka/kafka.log.
#
#   scripts/kafka.sh start    fetch jars if needed, format storage once, start, wait until it answers
#   scripts/kafka.sh stop     stop the broker this script started
#   scripts/kafka.sh status   exit 0 when a broker answers on KAFKA_HOST:KAFKA_PORT
#
# Settings: KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092; the controller takes KAFKA_PORT+1),
# KAFKA_HOME (.local/kafka), KAFKA_HEAP (512m).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
host="${KAFKA_HOST:-127.0.0.1}"
port="${KAFKA_PORT:-9092}"
controller_port="$((port + 1))"
home="${KAFKA_HOME:-$root/.local/kafka}"
libs="$home/libs"
data="$home/data-$port"
pid_file="$home/kafka-$port.pid"
log_dir="$home"
pom="$root/tools/kafka/pom.xml"

answers() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

fetch_jars() {
  local stamp="$libs/.pom.sha256" want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  command -v mvn >/dev/null || { echo "kafka.sh: mvn (Apache Maven) is needed to fetch the Kafka jars" >&2; exit 1; }
  command -v java >/dev/null || { echo "kafka.sh: java 17+ is needed to run Kafka" >&2; exit 1; }
  echo "kafka.sh: fetching Kafka jars with mvn into $libs"
  rm -rf "$libs" && mkdir -p "$libs"
  mkdir -p "$home"
  if ! mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs" > "$home/mvn.log" 2>&1; then
    echo "kafka.sh: mvn could not fetch the Kafka jars; its output:" >&2
    cat "$home/mvn.log" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
}

write_config() {
  sed -e "s#@HOST@#$host#g" -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" \
      -e "s#@DATA_DIR@#$data#g" "$root/tools/kafka/server.properties" > "$home/server-$port.properties"
}

kafka_java() {
  java -Xms256m -Xmx"${KAFKA_HEAP:-512m}" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dkafka.logs.dir="$log_dir" -Dlog4j2.configurationFile="$root/tools/kafka/log4j2.properties" \
    -cp "$libs/*" "$@"
}

start() {
  if answers "$port"; then echo "kafka.sh: a broker already answers on $host:$port"; return; fi
  mkdir -p "$home"
  fetch_jars
  write_config
  if [[ ! -f "$data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid | tail -n1)"
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$home/server-$port.properties" >/dev/null
  fi
  echo "kafka.sh: starting Kafka on $host:$port (log: $log_dir/kafka.log)"
  nohup setsid bash -c "$(declare -f kafka_java); root='$root' libs='$libs' log_dir='$log_dir' \
    kafka_java kafka.Kafka '$home/server-$port.properties'" > "$home/kafka-stdout.log" 2>&1 &
  echo $! > "$pid_file"
  for _ in $(seq 1 120); do
    if answers "$port"; then echo "kafka.sh: Kafka is up on $host:$port"; return; fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "kafka.sh: Kafka exited during start-up; last lines of its logs:" >&2
      tail -n 30 "$home/kafka-stdout.log" "$log_dir/kafka.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka.sh: Kafka did not answer on $host:$port within 60 s (log: $log_dir/kafka.log)" >&2
  exit 1
}

stop() {
  [[ -f "$pid_file" ]] || { echo "kafka.sh: no broker started by this script on port $port"; return; }
  local pid; pid="$(cat "$pid_file")"
  # setsid made the broker a process-group leader: signal the whole group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pid_file"
  echo "kafka.sh: stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) answers "$port" && echo "kafka.sh: up on $host:$port" || { echo "kafka.sh: down on $host:$port"; exit 1; } ;;
  *) echo "usage: scripts/kafka.sh start|stop|status" >&2; exit 2 ;;
esac
