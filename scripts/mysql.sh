#!/usr/bin/env bash
# Makes sure a MySQL-compatible server answers at MYSQL_URL's host and port (default
# 127.0.0.1:3306). On a machine with a local MariaDB that is stopped, it starts it (as root);
# otherwise it says how to get one (docker compose up -d mysql).
set -euo pipefail
url="${MYSQL_URL:-mysql://root@127.0.0.1:3306/cryptostream}"
hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [[ "$port" == "$hostport" ]] && port=3306
answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }
answers && exit 0
if [[ "$host" =~ ^(127\.0\.0\.1|localhost)$ && -x /usr/sbin/mariadbd && "$(id -u)" == 0 ]]; then
  echo "mysql.sh: starting the local MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 1 60); do answers && exit 0; sleep 0.5; done
fi
echo "mysql.sh: nothing answers on $host:$port. Start MySQL (e.g. 'docker compose up -d mysql') or set MYSQL_URL." >&2
exit 1
