# Sourced by the image, Kubernetes and cluster scripts: which container engine to use, and how
# to make podman work on a machine that has no Docker engine.
#
#   engine               docker when a Docker engine answers, else podman (installed when missing)
#   ensure_base_images   every FROM image of docker/*.Dockerfile present locally: pulled, or,
#                        where no registry answers, a local stand-in built by scripts/base-image.sh

# Podman's settings that make it run here: no default ulimits (the sandbox refuses to raise
# them), cgroupfs instead of systemd, and runc (crun fails on this kernel's cgroups).
PODMAN_CONF=/etc/containers/containers.conf

containers_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

# Installs podman, runc and debootstrap from Debian's packages when one of them is missing.
podman_install() {
  bash "$containers_root/scripts/ensure-system.sh" podman runc debootstrap
}

# Writes the settings above into containers.conf unless they are there already.
podman_configure() {
  if [[ -f "$PODMAN_CONF" ]] && grep -q '^default_ulimits *= *\[\]' "$PODMAN_CONF" \
      && grep -q '^cgroup_manager *= *"cgroupfs"' "$PODMAN_CONF" && grep -q '^runtime *= *"runc"' "$PODMAN_CONF"; then
    return
  fi
  echo "containers: writing $PODMAN_CONF (no default ulimits, cgroupfs, runc)" >&2
  [[ -f "$PODMAN_CONF" ]] && as_root cp "$PODMAN_CONF" "$PODMAN_CONF.before-cryptostream"
  as_root mkdir -p "$(dirname "$PODMAN_CONF")"
  as_root tee "$PODMAN_CONF" >/dev/null <<'CONF'
# Written by cryptostream's scripts/lib/containers.sh (the previous file, if any, is kept as
# containers.conf.before-cryptostream).
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
}

docker_answers() {
  command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1
}

# Prints the engine to use (docker or podman); sets podman up when it is the one.
engine() {
  if [[ -n "${CONTAINER_ENGINE:-}" ]]; then echo "$CONTAINER_ENGINE"; return; fi
  if docker_answers; then echo docker; return; fi
  podman_install
  podman_configure
  echo podman
}

# The base images the Dockerfiles start from (FROM lines, stage names left out).
base_images() {
  sed -n 's/^FROM \([^ ]*\).*/\1/p' "$containers_root"/docker/*.Dockerfile | sort -u
}

# Makes every base image available: already there, pulled, or (no registry) built locally,
# all from one Debian root filesystem.
ensure_base_images() {
  local engine="$1" image missing=()
  for image in $(base_images); do
    if "$engine" image inspect "$image" >/dev/null 2>&1; then continue; fi
    echo "containers: pulling $image" >&2
    if timeout 120 "$engine" pull -q "$image" >/dev/null 2>&1; then continue; fi
    missing+=("$image")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  echo "containers: no registry answers for ${missing[*]}: building local stand-ins (scripts/base-image.sh)" >&2
  bash "$containers_root/scripts/base-image.sh" "$engine" "${missing[@]}"
}
