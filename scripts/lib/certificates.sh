# Sourced by kafka.sh and mysql.sh: throwaway certificates for servers on this machine.
#
#   make_server_certificate DIR CN   a CA (DIR/ca.pem, DIR/ca.key) and a certificate for CN on
#                                    127.0.0.1 and localhost signed by it (DIR/server.pem,
#                                    DIR/server.key), once: kept while DIR/server.pem exists

make_server_certificate() {
  local dir="$1" cn="$2"
  [[ -s "$dir/server.pem" && -s "$dir/server.key" && -s "$dir/ca.pem" ]] && return
  bash "$(dirname "${BASH_SOURCE[0]}")/../ensure-system.sh" openssl
  mkdir -p "$dir" && chmod 700 "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=cryptostream local CA for $cn" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
  printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "extendedKeyUsage=serverAuth,clientAuth" \
    "keyUsage=critical,digitalSignature,keyEncipherment" > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 825 \
    -extfile "$dir/server.ext" -out "$dir/server.pem" 2>/dev/null
  rm -f "$dir/server.csr" "$dir/server.ext" "$dir/ca.srl"
  chmod 600 "$dir/ca.key" "$dir/server.key"
  echo "certificates: made a throwaway CA and a certificate for $cn in $dir" >&2
}
