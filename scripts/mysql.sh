#!/usr/bin/env bash
# Makes sure a MySQL-compatible server answers at MYSQL_URL's host and port (default
# 127.0.0.1:3306). For 127.0.0.1:3306 or localhost:3306 it installs MariaDB when it is missing (as root, through
# scripts/ensure-system.sh) and starts it when it is stopped; for any other address it only
# checks and says what to set.
#
#   scripts/mysql.sh                 check, install and start as needed
#   scripts/mysql.sh --start-local   only start the local MariaDB and wait until it answers
#   scripts/mysql.sh certs [DIR]     a throwaway CA and a server certificate for 127.0.0.1 and
#                                    localhost (DIR, default .local/mysql/tls: ca.pem, server.pem,
#                                    server.key), for a MySQL/MariaDB started with --ssl-ca,
#                                    --ssl-cert and --ssl-key; prints DIR
#   scripts/mysql.sh users           the user of each role on MYSQL_URL's database, made as
#                                    MYSQL_URL's user (root): cryptostream_migrations, _aggregator,
#                                    _reader, _archiver (libs/persistence database-roles; passwords
#                                    in .local/mysql/users/, made once); MYSQL_USERS_REQUIRE_SSL=on
#                                    makes the server refuse them in plaintext. Run it once the
#                                    schema is migrated (table grants need the tables).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib/certificates.sh
source "$here/lib/certificates.sh"
url="${MYSQL_URL:-mysql://root@127.0.0.1:3306/cryptostream}"
hostport="${url#*://}"; hostport="${hostport##*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [[ "$port" == "$hostport" ]] && port=3306
answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

start_local() {
  answers && return 0
  if [[ "$(id -u)" != 0 ]]; then
    echo "mysql.sh: the local MariaDB is stopped; start it as root (sudo service mariadb start) and run again" >&2
    exit 1
  fi
  echo "mysql.sh: starting the local MariaDB"
  # Its socket and pid file go to /run/mysqld, which a reboot empties.
  install -d -o mysql -g mysql /run/mysqld
  # Debian's own configuration leaves the user unset, and mariadbd refuses to run as root.
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 120); do answers && return 0; sleep 0.5; done
  echo "mysql.sh: MariaDB did not answer on $host:$port within 60 s (its log: journalctl -u mariadb or /var/log/mysql/)" >&2
  exit 1
}

case "${1:-}" in
  --start-local) start_local; exit 0 ;;
  certs)
    dir="${2:-$here/../.local/mysql/tls}"
    make_server_certificate "$dir" mariadb
    (cd "$dir" && pwd)
    exit 0 ;;
  users)
    bash "$here/ensure-deps.sh"
    exec "$here/../node_modules/.bin/node" -r @swc-node/register "$here/../tools/cli/src/mysql-users.main.ts" ;;
esac
answers && exit 0
# A local MariaDB listens on 3306 unless configured otherwise; another port is someone else's.
if [[ "$host" =~ ^(127\.0\.0\.1|localhost)$ && "$port" == 3306 ]]; then
  bash "$here/ensure-system.sh" mariadbd
  start_local
  exit 0
fi
echo "mysql.sh: nothing answers on $host:$port (MYSQL_URL). Start that server, or unset MYSQL_URL to use a local MariaDB on 127.0.0.1:3306." >&2
exit 1
