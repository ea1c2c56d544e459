#!/usr/bin/env bash
# Builds local stand-ins for the official base images where no image registry can be reached:
# debian:<suite>-slim from a minimal Debian root filesystem (debootstrap, Debian's mirror), and
# node:<major>-<suite>-slim from the same plus Node from the npm registry (the node-linux-<arch>
# package ships the official binary) and npm. They are tagged with the official names, so
# docker/app.Dockerfile builds unchanged.
#
#   scripts/base-image.sh ENGINE IMAGE...    e.g. scripts/base-image.sh podman node:24-bookworm-slim
#
# Like the official slim images: no docs, man pages or locales; node and npm in /usr/local, a
# `node` user (uid 1000), CMD ["node"]. Runs as root (debootstrap, chroot).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
engine="${1:?usage: base-image.sh ENGINE IMAGE...}"; shift
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
[[ $# -gt 0 ]] || { echo "usage: base-image.sh ENGINE IMAGE..." >&2; exit 2; }

# Which images to make; all must share one Debian suite (one root filesystem serves them all).
suite="" node_major="" want_debian=""
for image in "$@"; do
  image="${image#docker.io/}"; image="${image#library/}"
  if [[ "$image" =~ ^node:([0-9]+)-([a-z]+)-slim$ ]]; then node_major="${BASH_REMATCH[1]}"; this_suite="${BASH_REMATCH[2]}"
  elif [[ "$image" =~ ^debian:([a-z]+)-slim$ ]]; then want_debian=1; this_suite="${BASH_REMATCH[1]}"
  else echo "base-image.sh: can only stand in for debian:<suite>-slim and node:<major>-<suite>-slim, not $image" >&2; exit 1
  fi
  [[ -z "$suite" || "$suite" == "$this_suite" ]] || { echo "base-image.sh: one Debian suite at a time ($suite, $this_suite)" >&2; exit 1; }
  suite="$this_suite"
done
[[ "$(id -u)" == 0 ]] || { echo "base-image.sh: debootstrap needs root" >&2; exit 1; }
bash "$root/scripts/ensure-system.sh" debootstrap

work="$(mktemp -d /var/tmp/cryptostream-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
started=$SECONDS

# import NAME COMMENT [--change ...]: the root filesystem as an image with the full name a pull
# would have stored, so that FROM finds it under any spelling.
import() {
  local name="docker.io/library/$1" comment="$2"; shift 2
  tar -C "$rootfs" --numeric-owner -c . | "$engine" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$@" \
    --message "local stand-in for $name: $comment" - "$name" > "$work/import.log" 2>&1 || { cat "$work/import.log" >&2; exit 1; }
  echo "base-image.sh: $name ready ($("$engine" image inspect --format '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

echo "base-image.sh: debootstrap --variant=minbase $suite"
if ! debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
fi

echo "base-image.sh: slimming (no docs, man pages, locales, apt lists or caches)"
# As the official slim images: dpkg leaves these out of later installs too.
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker-slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
CFG
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* "$rootfs"/tmp/*
[[ -n "$want_debian" ]] && import "debian:$suite-slim" "debootstrap $suite minbase" --change 'CMD ["bash"]'

if [[ -n "$node_major" ]]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "base-image.sh: no Node package for $(uname -m)" >&2; exit 1 ;;
  esac
  # The Node version the project pins (package-lock.json) when it has this major, else the newest.
  pinned="$(node -p "(require('$root/package-lock.json').packages['node_modules/node'] || {}).version || ''" 2>/dev/null || true)"
  node_spec="$node_major"; [[ "$pinned" == "$node_major".* ]] && node_spec="$pinned"
  echo "base-image.sh: Node $node_spec and npm from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-$arch@$node_spec" > node.pack && npm pack --silent npm@latest > npm.pack)
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm" "$rootfs/usr/local/bin"
  tar -xzf "$work/$(tail -n1 "$work/node.pack")" -C "$work/node"
  install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
  tar -xzf "$work/$(tail -n1 "$work/npm.pack")" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  node_version="$(chroot "$rootfs" /usr/local/bin/node --version)"
  chroot "$rootfs" /usr/local/bin/npm --version >/dev/null
  # The official images' unprivileged user.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  import "node:$node_major-$suite-slim" "debootstrap $suite minbase + Node $node_version (npm registry)" \
    --change "ENV NODE_VERSION=${node_version#v}" --change 'CMD ["node"]'
fi
echo "base-image.sh: done in $((SECONDS - started)) s"
