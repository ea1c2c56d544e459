#!/usr/bin/env bash
# Makes sure the system commands a script needs are on this machine. Missing ones are installed
# from Debian's packages when run as root (`apt-get update` only then, once); otherwise it says
# exactly what to run and fails. Commands that are there already are left alone.
#
#   scripts/ensure-system.sh COMMAND...     e.g. scripts/ensure-system.sh java mvn
#
# Packages' own services are not started by their install: the project's scripts start what
# they need (scripts/mysql.sh starts MariaDB).
#
# To add a need of your own: one row in PACKAGE (command → Debian package), and, when the
# package needs setting up after its install, a function after_<command> below. Then call
# `bash scripts/ensure-system.sh <command>` from the script that needs it, right before the use.
set -euo pipefail

declare -A PACKAGE=(
  [java]=default-jre-headless        # Kafka broker (scripts/kafka.sh), Java 17 on Debian 12
  [mvn]=maven                        # fetches the Kafka jars from Maven Central (scripts/kafka.sh)
  [openssl]=openssl                  # throwaway CAs and certificates (scripts/lib/certificates.sh)
  [mariadbd]=mariadb-server          # MySQL-compatible database on 127.0.0.1:3306 (scripts/mysql.sh)
  [chromium]=chromium                # the dashboard's browser test (playwright-core drives it)
  [debootstrap]=debootstrap          # bare Debian root filesystems (base-image.sh, fresh-machine.sh)
  [slirp4netns]=slirp4netns          # the fresh machine's network namespace reaches the mirrors
  [podman]=podman                    # container images and the Kubernetes test (scripts/lib/containers.sh)
  [runc]=runc                        # podman's runtime here (scripts/lib/containers.sh)
  [prometheus]=prometheus            # Prometheus 2.42 (scripts/prometheus.sh, tools/monitoring's tests)
  [promtool]=prometheus              # checks and unit-tests the rules (tools/monitoring)
  [prometheus-alertmanager]=prometheus-alertmanager  # Alertmanager (scripts/prometheus.sh)
  [amtool]=prometheus-alertmanager   # checks alertmanager.yml (tools/monitoring)
)

# Server daemons live in sbin, which a non-root PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

# after_mariadbd: a freshly installed MariaDB lets root in through its Unix socket only; the
# project's default MYSQL_URL is root without a password over TCP, so that is allowed too, for
# local connections only (bind-address stays 127.0.0.1).
after_mariadbd() {
  bash "$(dirname "${BASH_SOURCE[0]}")/mysql.sh" --start-local
  mariadb --protocol=socket -uroot -e \
    "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
     CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY '';
     GRANT ALL PRIVILEGES ON *.* TO root@'127.0.0.1' WITH GRANT OPTION;"
  echo "ensure-system: MariaDB answers on 127.0.0.1:3306 (root, no password, local connections only)" >&2
}
after_setup_text() {
  [[ "$1" == mariadbd ]] && echo "  then start it and let root in over TCP without a password:
    sudo service mariadb start
    sudo mariadb -e \"ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')\"
  (or point the project at another server: MYSQL_URL=mysql://USER:PASSWORD@HOST:PORT/cryptostream)"
  return 0
}

[[ $# -gt 0 ]] || { echo "usage: ensure-system.sh COMMAND... (known: ${!PACKAGE[*]})" >&2; exit 2; }
missing=() packages=()
for cmd in "$@"; do
  [[ -n "${PACKAGE[$cmd]:-}" ]] || { echo "ensure-system: no package known for '$cmd' (add a row to PACKAGE in $0)" >&2; exit 2; }
  command -v "$cmd" >/dev/null && continue
  [[ " ${missing[*]} " == *" $cmd "* ]] && continue
  missing+=("$cmd")
  [[ " ${packages[*]} " == *" ${PACKAGE[$cmd]} "* ]] || packages+=("${PACKAGE[$cmd]}")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

list="$(for cmd in "${missing[@]}"; do printf '%s (%s) ' "$cmd" "${PACKAGE[$cmd]}"; done)"
if ! command -v apt-get >/dev/null; then
  echo "ensure-system: missing: ${list% }. This is not a Debian or Ubuntu machine: install them with its package manager and run again." >&2
  exit 1
fi
if [[ "$(id -u)" != 0 ]]; then
  echo "ensure-system: missing: ${list% }. Install them as root and run again:" >&2
  echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${packages[*]}" >&2
  for cmd in "${missing[@]}"; do after_setup_text "$cmd" >&2; done
  exit 1
fi

echo "ensure-system: installing ${packages[*]} (apt-get, for ${missing[*]})" >&2
started=$SECONDS
# One apt-get at a time on this machine: parallel test starts may both find a command missing.
exec 9>"${TMPDIR:-/tmp}/cryptostream-ensure-system.lock"
flock 9
still=()
for cmd in "${missing[@]}"; do command -v "$cmd" >/dev/null || still+=("$cmd"); done
if [[ ${#still[@]} -gt 0 ]]; then
  apt_log="$(mktemp /tmp/cryptostream-apt.XXXXXX)"
  # A package's own service never starts at its install (Debian's policy-rc.d "no"): the
  # project's scripts start what they need, on their ports and with their data directories.
  policy=/usr/sbin/policy-rc.d added_policy=""
  if [[ ! -e "$policy" ]]; then
    added_policy=1
    printf '#!/bin/sh\n# written by cryptostream scripts/ensure-system.sh during an install\nexit 101\n' > "$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  # Another apt (unattended upgrades, another script's install) may hold dpkg's lock: wait for it.
  apt_wait=(-o DPkg::Lock::Timeout=300)
  if ! { apt-get "${apt_wait[@]}" update -qq && DEBIAN_FRONTEND=noninteractive apt-get "${apt_wait[@]}" install -y -qq "${packages[@]}"; } > "$apt_log" 2>&1; then
    echo "ensure-system: apt-get failed; its last lines:" >&2
    tail -n 30 "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
  if [[ -n "$added_policy" ]]; then rm -f "$policy"; trap - EXIT; fi
  for cmd in "${still[@]}"; do
    command -v "$cmd" >/dev/null || { echo "ensure-system: $cmd is still missing after installing ${PACKAGE[$cmd]}" >&2; exit 1; }
    if declare -F "after_$cmd" >/dev/null; then "after_$cmd"; fi
  done
fi
echo "ensure-system: installed ${packages[*]} in $((SECONDS - started)) s" >&2
