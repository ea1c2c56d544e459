#!/usr/bin/env bash
# Runs real Apache Kafka brokers (KRaft mode, no ZooKeeper) without Docker: one broker for
# development, tests and the demo, or a replicated cluster of three on loopback.
# The brokers' jars come from Maven Central through `mvn` (cached in ~/.m2) and live in
# .local/kafka; the single broker's log is .local/kafka/kafka.log. Java and Maven are installed
# when missing (scripts/ensure-system.sh).
#
#   scripts/kafka.sh start           fetch jars if needed, format storage once, start, wait until it answers
#   scripts/kafka.sh stop            stop the broker this script started on KAFKA_PORT
#   scripts/kafka.sh kill            SIGKILL it (fault tests); `start` or `cluster-start` brings it back
#   scripts/kafka.sh status          exit 0 when a broker answers on KAFKA_HOST:KAFKA_PORT
#   scripts/kafka.sh cluster-start   a cluster of KAFKA_CLUSTER_SIZE brokers (3), each also a KRaft
#                                    controller, on KAFKA_CLUSTER_PORT (19092), +2, +4, ...; prints
#                                    the bootstrap list. Starts only the nodes that are down.
#   scripts/kafka.sh cluster-stop    stop every node of that cluster
#   scripts/kafka.sh cluster-brokers print the bootstrap list (host:port,...)
#   scripts/kafka.sh secure-start    a broker that takes only SASL_SSL clients (SCRAM-SHA-512) with
#                                    ACLs, on KAFKA_SECURE_PORT (9094; its controller +1, mutual
#                                    TLS): a throwaway CA, broker certificate and one password per
#                                    user under .local/kafka/secure, the pipeline's topics and
#                                    each app's ACLs; prints the settings every app needs
#   scripts/kafka.sh secure-stop     stop it
#   scripts/kafka.sh secure-env USER the settings of USER (admin, ingestor, aggregator, api, archiver) as
#                                    KEY=value lines
#
# Settings: KAFKA_HOST (127.0.0.1), KAFKA_PORT (9092; the controller takes KAFKA_PORT+1),
# KAFKA_HOME (.local/kafka), KAFKA_HEAP (512m; 384m per cluster node), KAFKA_CLUSTER_PORT
# (19092: away from the single broker's 9092/9093), KAFKA_CLUSTER_SIZE (3), KAFKA_SECURE_PORT
# (9094: 9093 is the plaintext broker's controller).
# The cluster's internal topics have 3 replicas and min.insync.replicas 2 (at most its size),
# and so have topics created without explicit settings.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/certificates.sh
source "$root/scripts/lib/certificates.sh"
host="${KAFKA_HOST:-127.0.0.1}"
home="${KAFKA_HOME:-$root/.local/kafka}"
libs="$home/libs"
pom="$root/tools/kafka/pom.xml"
cluster_port="${KAFKA_CLUSTER_PORT:-19092}"
cluster_size="${KAFKA_CLUSTER_SIZE:-3}"
secure_port="${KAFKA_SECURE_PORT:-9094}"
secure_dir="$home/secure"
# The users of the secured broker: the broker itself (super user), then one per role.
secure_users=(broker admin ingestor aggregator api archiver)
# What start_node writes and formats: the plaintext template unless secure-start says otherwise.
node_template="$root/tools/kafka/server.properties"
format_args=()

answers() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

fetch_jars() {
  local stamp="$libs/.pom.sha256" want
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  bash "$root/scripts/ensure-system.sh" mvn
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

# Java for the brokers: installed when missing; Kafka 4 runs on 17 or newer, and an older
# default (Ubuntu 22.04's 11) is named with what to do, not left to fail in the broker's log.
ensure_java() {
  bash "$root/scripts/ensure-system.sh" java
  local major
  major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')"
  if [[ -n "$major" && "$major" -lt 17 ]]; then
    echo "kafka.sh: Kafka 4 needs Java 17 or newer; \`java\` is Java $major. Install openjdk-17-jre-headless (or newer) and make it the default (update-alternatives --config java)." >&2
    exit 1
  fi
}

# kafka_java LOG_DIR HEAP CLASS ARGS...
kafka_java() {
  local log_dir="$1" heap="$2"; shift 2
  java -Xms256m -Xmx"$heap" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dkafka.logs.dir="$log_dir" -Dlog4j2.configurationFile="$root/tools/kafka/log4j2.properties" \
    -cp "$libs/*" "$@"
}

# start_node NODE_ID PORT VOTERS LOG_DIR HEAP CLUSTER_ID_FILE [EXTRA PROPERTY LINES]
# Writes the node's config from tools/kafka/server.properties (later lines override earlier
# ones), formats its storage once, starts it detached and waits until it answers.
start_node() {
  local node_id="$1" port="$2" voters="$3" log_dir="$4" heap="$5" id_file="$6" extra="${7:-}"
  local data="$home/data-$port" config="$home/server-$port.properties" pid_file="$home/kafka-$port.pid"
  if answers "$port"; then echo "kafka.sh: a broker already answers on $host:$port"; return; fi
  mkdir -p "$home" "$log_dir"
  sed -e "s#@HOST@#$host#g" -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$((port + 1))#g" -e "s#@DATA_DIR@#$data#g" \
      -e "s#^node.id=.*#node.id=$node_id#" -e "s#^controller.quorum.voters=.*#controller.quorum.voters=$voters#" \
      "$node_template" > "$config"
  [[ -n "$extra" ]] && printf '%s\n' "$extra" >> "$config"
  if [[ ! -f "$data/meta.properties" ]]; then
    # Every node of a cluster is formatted with the same cluster id.
    [[ -s "$id_file" ]] || kafka_java "$log_dir" "$heap" kafka.tools.StorageTool random-uuid | tail -n1 > "$id_file"
    kafka_java "$log_dir" "$heap" kafka.tools.StorageTool format -t "$(cat "$id_file")" -c "$config" "${format_args[@]}" >/dev/null
  fi
  echo "kafka.sh: starting Kafka node $node_id on $host:$port (log: $log_dir/kafka.log)"
  nohup setsid bash -c "$(declare -f kafka_java); root='$root' libs='$libs' \
    kafka_java '$log_dir' '$heap' kafka.Kafka '$config'" > "$log_dir/kafka-stdout.log" 2>&1 8>&- &
  echo $! > "$pid_file"
}

# wait_node PORT LOG_DIR: until it answers, or fail with its last log lines.
wait_node() {
  local port="$1" log_dir="$2" pid_file="$home/kafka-$1.pid"
  for _ in $(seq 1 120); do
    if answers "$port"; then echo "kafka.sh: Kafka is up on $host:$port"; return; fi
    if [[ -f "$pid_file" ]] && ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "kafka.sh: Kafka on $port exited during start-up; last lines of its logs:" >&2
      tail -n 30 "$log_dir/kafka-stdout.log" "$log_dir/kafka.log" >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.5
  done
  echo "kafka.sh: Kafka did not answer on $host:$port within 60 s (log: $log_dir/kafka.log)" >&2
  exit 1
}

# stop_node PORT SIGNAL
stop_node() {
  local port="$1" signal="$2" pid_file="$home/kafka-$1.pid" pid
  [[ -f "$pid_file" ]] || { echo "kafka.sh: no broker started by this script on port $port"; return; }
  pid="$(cat "$pid_file")"
  # setsid made the broker a process-group leader: signal the whole group.
  kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pid_file"
  echo "kafka.sh: $([[ "$signal" == KILL ]] && echo killed || echo stopped) the broker on $port"
}

cluster_ports() { for i in $(seq 0 $((cluster_size - 1))); do echo $((cluster_port + 2 * i)); done; }
cluster_brokers() { cluster_ports | sed "s#^#$host:#" | paste -sd, -; }

cluster_start() {
  local down=0
  for port in $(cluster_ports); do answers "$port" || down=1; done
  [[ "$down" == 1 ]] && ensure_java && fetch_jars
  local voters="" i=1 port replicas=$((cluster_size < 3 ? cluster_size : 3))
  local min_isr=$((replicas > 2 ? 2 : 1))
  for port in $(cluster_ports); do voters+="${voters:+,}$i@$host:$((port + 1))"; i=$((i + 1)); done
  local extra
  extra="$(printf '%s\n' "# cluster of $cluster_size (scripts/kafka.sh cluster-start)" \
    "default.replication.factor=$replicas" "min.insync.replicas=$min_isr" \
    "offsets.topic.replication.factor=$replicas" "transaction.state.log.replication.factor=$replicas" \
    "transaction.state.log.min.isr=$min_isr" "share.coordinator.state.topic.replication.factor=$replicas" \
    "share.coordinator.state.topic.min.isr=$min_isr")"
  i=1
  for port in $(cluster_ports); do
    start_node "$i" "$port" "$voters" "$home/cluster-$port" "${KAFKA_HEAP:-384m}" "$home/cluster-$cluster_port.id" "$extra"
    i=$((i + 1))
  done
  for port in $(cluster_ports); do wait_node "$port" "$home/cluster-$port"; done
  echo "kafka.sh: cluster up: $(cluster_brokers)"
}

# make_certificates: a throwaway CA and the broker's certificate (scripts/lib/certificates.sh), in
# the PKCS12 keystore the broker reads, once.
make_certificates() {
  [[ -s "$secure_dir/broker.p12" && -s "$secure_dir/ca.pem" ]] && return
  make_server_certificate "$secure_dir" broker
  openssl rand -hex 16 > "$secure_dir/store.password"
  openssl pkcs12 -export -in "$secure_dir/server.pem" -inkey "$secure_dir/server.key" -certfile "$secure_dir/ca.pem" -name broker \
    -passout "file:$secure_dir/store.password" -out "$secure_dir/broker.p12"
  chmod 600 "$secure_dir/store.password" "$secure_dir/broker.p12"
}

# make_passwords: one random password per user, once; a new set means new storage (SCRAM
# credentials are written into the metadata when the storage is formatted).
make_passwords() {
  mkdir -p "$secure_dir/users"
  local user made=0
  for user in "${secure_users[@]}"; do
    [[ -s "$secure_dir/users/$user.password" ]] && continue
    (umask 077 && openssl rand -hex 16 | tr -d '\n' > "$secure_dir/users/$user.password")
    made=1
  done
  if [[ "$made" == 1 ]]; then rm -rf "$home/data-$secure_port"; fi
}

# user_settings USER: the settings an app logging in as USER needs.
user_settings() {
  printf '%s\n' "KAFKA_BROKERS=$host:$secure_port" "KAFKA_SECURITY_PROTOCOL=SASL_SSL" "KAFKA_SSL_CA_FILE=$secure_dir/ca.pem" \
    "KAFKA_SASL_MECHANISM=SCRAM-SHA-512" "KAFKA_SASL_USERNAME=$1" "KAFKA_SASL_PASSWORD_FILE=$secure_dir/users/$1.password"
}

secure_start() {
  mkdir -p "$home"
  # Two test workers may start it at once: one makes the files and starts it, the other waits
  # (the broker does not inherit the lock: start_node closes descriptor 8 for it).
  exec 8>"$home/secure.lock"
  flock 8
  if answers "$secure_port"; then
    # Its users' passwords and CA are in the home of the checkout that started it.
    if [[ ! -f "$home/kafka-$secure_port.pid" || ! -s "$secure_dir/users/admin.password" ]]; then
      echo "kafka.sh: a broker answers on $host:$secure_port that $home did not start (its passwords and CA are elsewhere): stop it, or set KAFKA_SECURE_PORT to a free port" >&2
      exit 1
    fi
    echo "kafka.sh: a broker already answers on $host:$secure_port"; return
  fi
  fetch_jars
  make_certificates
  make_passwords
  local template="$secure_dir/server-secure.template" user
  sed -e "s#@SECURE_DIR@#$secure_dir#g" -e "s#@STORE_PASSWORD@#$(cat "$secure_dir/store.password")#g" \
      -e "s#@BROKER_PASSWORD@#$(cat "$secure_dir/users/broker.password")#g" "$root/tools/kafka/server-secure.properties" > "$template"
  chmod 600 "$template"
  node_template="$template"
  format_args=()
  for user in "${secure_users[@]}"; do
    format_args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(cat "$secure_dir/users/$user.password")]")
  done
  start_node 1 "$secure_port" "1@$host:$((secure_port + 1))" "$secure_dir" "${KAFKA_HEAP:-384m}" "$home/cluster-$secure_port.id"
  wait_node "$secure_port" "$secure_dir"
  chmod 600 "$home/server-$secure_port.properties"
  # Each app's ACLs (libs/kafka-io pipeline-acls) and the pipeline's topics, made as the super
  # user: before the ACLs exist, no other user may do anything.
  bash "$root/scripts/ensure-deps.sh"
  if ! env $(user_settings broker | paste -sd' ') "$root/node_modules/.bin/node" -r @swc-node/register "$root/tools/cli/src/kafka-acls.main.ts" >&2; then
    echo "kafka.sh: could not create the topics and ACLs of the secured broker (log: $secure_dir/kafka.log)" >&2
    exit 1
  fi
  echo "kafka.sh: secured broker up on $host:$secure_port (SASL_SSL, SCRAM-SHA-512, ACLs). Settings of each app:"
  for user in admin ingestor aggregator api archiver; do echo "  # $user"; user_settings "$user" | sed 's/^/  /'; done
}

case "${1:-}" in
  start)
    port="${KAFKA_PORT:-9092}"
    # A broker that answers already (this script's, or any other) needs no jars.
    if answers "$port"; then echo "kafka.sh: a broker already answers on $host:$port"; exit 0; fi
    ensure_java
    fetch_jars
    start_node 1 "$port" "1@$host:$((port + 1))" "$home" "${KAFKA_HEAP:-512m}" "$home/cluster-$port.id"
    wait_node "$port" "$home"
    ;;
  stop) stop_node "${KAFKA_PORT:-9092}" TERM ;;
  kill) stop_node "${KAFKA_PORT:-9092}" KILL ;;
  status)
    port="${KAFKA_PORT:-9092}"
    answers "$port" && echo "kafka.sh: up on $host:$port" || { echo "kafka.sh: down on $host:$port"; exit 1; } ;;
  cluster-start) cluster_start ;;
  cluster-stop) for port in $(cluster_ports); do stop_node "$port" TERM; done ;;
  cluster-brokers) cluster_brokers ;;
  secure-start) secure_start ;;
  secure-stop) stop_node "$secure_port" TERM ;;
  secure-env)
    [[ " ${secure_users[*]:1} " == *" ${2:-} "* ]] || { echo "usage: scripts/kafka.sh secure-env admin|ingestor|aggregator|api|archiver" >&2; exit 2; }
    user_settings "$2" ;;
  *) echo "usage: scripts/kafka.sh start|stop|kill|status|cluster-start|cluster-stop|cluster-brokers|secure-start|secure-stop|secure-env USER" >&2; exit 2 ;;
esac
