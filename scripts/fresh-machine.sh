#!/usr/bin/env bash
# `npm run test:fresh-machine`: proves that the Quickstart works on a bare machine. It builds a
# bare Debian root filesystem (debootstrap minbase) with only Debian's nodejs and npm added,
# clones this checkout's committed HEAD into it, and runs `npm run demo` there, as root, in
# namespaces of its own: its own network (reaching the Debian mirror and the npm registry
# through slirp4netns, not the host's loopback, so its MariaDB on 3306 and Kafka on 9092 do not
# meet the host's), its own processes (all ended with it) and its own mounts. The demo installs
# Java, Maven and MariaDB itself and fails unless MySQL's rows equal the offline aggregate.
#
#   scripts/fresh-machine.sh [NPM_SCRIPT...]     default: demo; e.g. `demo test` runs npm test after
#
# Settings: FRESH_MACHINE_SUITE (bookworm), DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR (the
# host's apt sources, else deb.debian.org), FRESH_MACHINE_CACHE (1: keep apt's, npm's and
# Maven's downloads under .local/fresh-machine/cache between runs; 0: download everything),
# FRESH_MACHINE_KEEP (0; 1 keeps the machine's root filesystem for a look afterwards).
# The root filesystem (before the clone) is cached as .local/fresh-machine/<suite>-node.tar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[[ "$(id -u)" == 0 ]] || { echo "fresh-machine: needs root (debootstrap, chroot, namespaces): sudo npm run test:fresh-machine" >&2; exit 1; }
bash scripts/ensure-system.sh debootstrap slirp4netns

suite="${FRESH_MACHINE_SUITE:-bookworm}"
scripts=("$@"); [[ ${#scripts[@]} -gt 0 ]] || scripts=(demo)
local_dir="$root/.local/fresh-machine"
cache="$local_dir/cache"
packages="nodejs npm"   # and ca-certificates, which npm needs for an https registry
tarball="$local_dir/$suite-node.tar"
started=$SECONDS
log() { printf 'fresh-machine: [%4d s] %s\n' "$((SECONDS - started))" "$*"; }

# The Debian mirror this machine's apt uses (deb822 or one-line sources), so that the fresh
# machine's apt reaches what the host's reaches.
host_uri() {  # host_uri REGEX: the first source URI matching REGEX
  { sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
    sed -n 's/^deb \(\[[^]]*\] \)\?\([^ ]*\).*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
  } | tr ' ' '\n' | grep -E "$1" | head -n1 || true
}
mirror="${DEBIAN_MIRROR:-$(host_uri '/debian/?$')}"; mirror="${mirror:-http://deb.debian.org/debian}"
security="${DEBIAN_SECURITY_MIRROR:-$(host_uri 'debian-security/?$')}"; security="${security:-http://deb.debian.org/debian-security}"

work="$(mktemp -d /var/tmp/cryptostream-fresh.XXXXXX)"
rootfs="$work/rootfs"
cleanup() {
  [[ -n "${slirp:-}" ]] && kill "$slirp" 2>/dev/null || true
  if [[ "${FRESH_MACHINE_KEEP:-0}" == 1 ]]; then echo "fresh-machine: kept $rootfs"; return; fi
  # Every mount was made in the machine's own mount namespace, gone with its processes; never
  # delete through a mount that is still visible here.
  if grep -q " ${work}/" /proc/self/mountinfo; then echo "fresh-machine: $work still has mounts; left in place" >&2; return; fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# in_chroot DIR COMMAND...: COMMAND inside DIR with /proc and /dev, in a private mount namespace
# (the host's network: used only to build the root filesystem).
in_chroot() {
  local dir="$1"; shift
  unshare --mount --fork -- bash -c 'set -e; dir="$1"; shift
    mount -t proc proc "$dir/proc"; mount --rbind /dev "$dir/dev"
    exec chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root DEBIAN_FRONTEND=noninteractive "$@"' \
    in_chroot "$dir" "$@"
}

build_rootfs() {
  local dir="$work/build"
  log "debootstrap --variant=minbase $suite from $mirror"
  mkdir -p "$local_dir"
  debootstrap --variant=minbase "$suite" "$dir" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  cat > "$dir/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES
  log "adding Debian's $packages"
  in_chroot "$dir" bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages ca-certificates && apt-get clean" > "$work/apt.log" 2>&1 \
    || { tail -n 30 "$work/apt.log" >&2; exit 1; }
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/tmp/* "$dir"/var/log/*.log
  tar -C "$dir" --numeric-owner -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf --one-file-system "$dir"
  log "root filesystem cached as ${tarball#"$root"/} ($(du -m "$tarball" | cut -f1) MB)"
}

if [[ -f "$tarball" ]]; then log "root filesystem from ${tarball#"$root"/}"; else build_rootfs; fi
mkdir -p "$rootfs"
tar -C "$rootfs" --numeric-owner -xf "$tarball"
log "$(in_chroot "$rootfs" sh -c 'echo "$(. /etc/os-release; echo "$PRETTY_NAME"), node $(node --version), npm $(npm --version)"')"

commit="$(git rev-parse HEAD)"
[[ -z "$(git status --porcelain --untracked-files=no)" ]] || log "note: uncommitted changes are not part of this test (it clones $commit)"
git clone -q --no-checkout --no-hardlinks "$root" "$rootfs/root/cryptostream"
git -C "$rootfs/root/cryptostream" checkout -q --detach "$commit"
log "cloned $(git log -1 --format='%h %s' "$commit" | cut -c1-80)"

# What this machine's network needs of any machine on it: the CA certificates it added
# (a TLS-inspecting egress), the npm registry it is set to, and its proxy variables.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  in_chroot "$rootfs" update-ca-certificates > "$work/ca.log" 2>&1 || { cat "$work/ca.log" >&2; exit 1; }
fi
echo "registry=$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)" > "$rootfs/root/.npmrc"
env_pass=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8)
[[ -n "${NODE_EXTRA_CA_CERTS:-}" ]] && env_pass+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [[ -n "${!name:-}" ]] && env_pass+=("$name=${!name}")
done
# slirp4netns answers DNS on 10.0.2.3 and forwards it to this machine's resolver.
echo "nameserver 10.0.2.3" > "$rootfs/etc/resolv.conf"
printf '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 fresh-machine\n' > "$rootfs/etc/hosts"
echo fresh-machine > "$rootfs/etc/hostname"

binds=()
if [[ "${FRESH_MACHINE_CACHE:-1}" == 1 ]]; then
  mkdir -p "$cache/apt" "$cache/npm" "$cache/m2"
  binds=("$cache/apt:/var/cache/apt/archives" "$cache/npm:/root/.npm" "$cache/m2:/root/.m2")
  log "download caches: ${cache#"$root"/} (FRESH_MACHINE_CACHE=0 for none)"
fi

command_line="cd /root/cryptostream" what=""
for script in "${scripts[@]}"; do
  command_line+=" && echo '+ npm run $script' && npm run $script"
  what+="${what:+, then }npm run $script"
done

log "running $what in the fresh machine (own network, process and mount namespaces)"
run_started=$SECONDS
: > "$work/run.log"
set +e
unshare --net --mount --pid --uts --ipc --fork --kill-child -- \
  bash "$root/scripts/lib/fresh-machine-inside.sh" "$rootfs" "$command_line" "${#binds[@]}" "${binds[@]}" "${env_pass[@]}" \
  > "$work/run.log" 2>&1 &
machine=$!
set -e
tail -n +1 -f --pid="$machine" "$work/run.log" &
printer=$!
# slirp4netns must join the machine's network namespace, never this one: wait until the
# machine has its own.
for _ in $(seq 1 100); do
  [[ "$(readlink "/proc/$machine/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ]] && break
  sleep 0.1
done
if [[ "$(readlink "/proc/$machine/ns/net" 2>/dev/null)" == "$(readlink /proc/self/ns/net)" ]]; then
  echo "fresh-machine: the machine did not get a network namespace of its own" >&2; exit 1
fi
slirp4netns --configure --mtu=65520 --disable-host-loopback "$machine" tap0 > "$work/slirp4netns.log" 2>&1 &
slirp=$!
set +e; wait "$machine"; rc=$?; set -e
wait "$printer" || true
kill "$slirp" 2>/dev/null || true; slirp=""
took=$((SECONDS - run_started))

# The demo fails by itself when a row differs; its report line is checked too.
if [[ "$rc" == 0 && " ${scripts[*]} " == *" demo "* ]] \
    && ! grep -q 'MySQL equals the offline `npm run aggregate` result: [0-9]* windows, 0 differences' "$work/run.log"; then
  echo "fresh-machine: the demo exited 0 but did not report MySQL equal to the offline aggregate" >&2
  rc=1
fi
if [[ "$rc" == 0 ]]; then
  log "passed: $what on a bare Debian $suite with only nodejs and npm took $took s (whole run $((SECONDS - started)) s)"
else
  log "FAILED (exit $rc) after $took s; the machine's output is above"
fi
exit "$rc"
