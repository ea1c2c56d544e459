#!/usr/bin/env bash
# Prometheus and Alertmanager for cryptostream, from Debian's packages (`prometheus` 2.42 with
# promtool, `prometheus-alertmanager` with amtool), run by this script with data under
# .local/prometheus (the Debian services are left alone).
#
#   scripts/prometheus.sh install   apt-get install the packages where missing (scripts/ensure-system.sh:
#                                   as root, their services not started; otherwise says what to install)
#   scripts/prometheus.sh start     install, then start Prometheus on 127.0.0.1:PROMETHEUS_PORT with
#                                   PROMETHEUS_CONFIG and Alertmanager on 127.0.0.1:ALERTMANAGER_PORT,
#                                   and wait until both are ready. Already running with the same
#                                   config: nothing to do; with another config: restarted with it.
#   scripts/prometheus.sh stop      stop both (only the processes this script started)
#
# Settings: PROMETHEUS_CONFIG (deploy/prometheus/prometheus.yml), PROMETHEUS_PORT (9090),
# ALERTMANAGER_PORT (9193). Logs: .local/prometheus/{prometheus,alertmanager}.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.local/prometheus"
config="$(realpath "${PROMETHEUS_CONFIG:-$root/deploy/prometheus/prometheus.yml}")"
prometheus_port="${PROMETHEUS_PORT:-9090}"
alertmanager_port="${ALERTMANAGER_PORT:-9193}"
log() { echo "prometheus.sh: $*"; }
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
# ready PORT: GET /-/ready answers 200 (bash's /dev/tcp: no curl on a bare machine).
ready() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -n 1 <&3 | grep -q ' 200 ' ) 2>/dev/null
}

install() {
  bash "$root/scripts/ensure-system.sh" prometheus promtool prometheus-alertmanager amtool
}

# wait_ready NAME PORT LOG
wait_ready() {
  for _ in $(seq 1 240); do
    if ready "$2"; then return; fi
    sleep 0.25
  done
  echo "prometheus.sh: $1 did not become ready on 127.0.0.1:$2 within 60 s; its log ($3):" >&2
  tail -n 20 "$3" >&2
  exit 1
}

stop_one() {
  local pid_file="$state/$1.pid"
  if running "$pid_file"; then
    local pid; pid="$(cat "$pid_file")"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "stopped $1"
  fi
  rm -f "$pid_file"
}

start() {
  install
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock 9
  # The port and the configuration's path and content: a change of any restarts Prometheus.
  local want; want="$prometheus_port $config $(sha256sum "$config" | cut -d' ' -f1)"
  if running "$state/prometheus.pid" && [[ "$(cat "$state/config" 2>/dev/null)" != "$want" ]]; then
    log "restarting Prometheus with $config"
    stop_one prometheus
  fi
  if running "$state/prometheus.pid"; then
    log "Prometheus already runs on 127.0.0.1:$prometheus_port"
  else
    if answers "$prometheus_port"; then
      echo "prometheus.sh: 127.0.0.1:$prometheus_port is taken by a process this script did not start; stop it or set PROMETHEUS_PORT" >&2
      exit 1
    fi
    promtool check config "$config" >/dev/null
    log "starting Prometheus on 127.0.0.1:$prometheus_port with $config (log: $state/prometheus.log)"
    nohup setsid prometheus --config.file="$config" --storage.tsdb.path="$state/data" --storage.tsdb.retention.time=7d \
      --web.listen-address="127.0.0.1:$prometheus_port" --web.enable-lifecycle > "$state/prometheus.log" 2>&1 9>&- < /dev/null &
    echo $! > "$state/prometheus.pid"
    echo "$want" > "$state/config"
  fi
  if running "$state/alertmanager.pid"; then
    log "Alertmanager already runs on 127.0.0.1:$alertmanager_port"
  else
    log "starting Alertmanager on 127.0.0.1:$alertmanager_port (log: $state/alertmanager.log)"
    # An empty cluster.listen-address: a single Alertmanager, no gossip port.
    nohup setsid prometheus-alertmanager --config.file="$root/deploy/prometheus/alertmanager.yml" --storage.path="$state/alertmanager" \
      --web.listen-address="127.0.0.1:$alertmanager_port" --cluster.listen-address= > "$state/alertmanager.log" 2>&1 9>&- < /dev/null &
    echo $! > "$state/alertmanager.pid"
  fi
  wait_ready Prometheus "$prometheus_port" "$state/prometheus.log"
  wait_ready Alertmanager "$alertmanager_port" "$state/alertmanager.log"
  log "Prometheus: http://127.0.0.1:$prometheus_port/  Alertmanager: http://127.0.0.1:$alertmanager_port/"
}

case "${1:-start}" in
  install) install ;;
  start) start ;;
  stop) mkdir -p "$state"; stop_one prometheus; stop_one alertmanager ;;
  *) echo "usage: scripts/prometheus.sh install|start|stop" >&2; exit 2 ;;
esac
