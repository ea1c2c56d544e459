#!/usr/bin/env bash
# `npm run images`: one container image per app (docker/app.Dockerfile), with `docker` where a
# Docker engine answers, else with podman (installed and configured when missing; see
# scripts/lib/containers.sh). Where no registry answers, the Node base image is a local
# stand-in (scripts/base-image.sh). Prints each image's size and build time.
#
#   scripts/images.sh [APP...]     default: every app under apps/ (ingestor, aggregator, api, archiver)
#
# Settings: IMAGE_PREFIX (cryptostream-), IMAGE_TAG (latest), CONTAINER_ENGINE (docker|podman).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/containers.sh

# What each app's image is told at build time: its HTTP port (also its default). Its V8 flags
# (memory budget) the Dockerfile reads from the app's project.json, as `nx serve` does.
declare -A HTTP_PORT=([ingestor]=3001 [aggregator]=3002 [api]=3000 [archiver]=3003)

apps=("$@")
if [[ ${#apps[@]} -eq 0 ]]; then
  for app in ingestor aggregator api archiver; do [[ -f "apps/$app/project.json" ]] && apps+=("$app"); done
fi
prefix="${IMAGE_PREFIX:-cryptostream-}"
tag="${IMAGE_TAG:-latest}"
engine="$(engine)"
build_flags=()
# Podman writes OCI images by default, which have no HEALTHCHECK; the Docker format keeps it.
[[ "$engine" == podman ]] && build_flags+=(--format docker)
# Behind a TLS-inspecting proxy npm needs the machine's CA inside the build (podman mounts it
# for RUN steps only; it is not copied into any image).
if [[ "$engine" == podman && -f "${NODE_EXTRA_CA_CERTS:-}" ]]; then
  build_flags+=(--volume "$NODE_EXTRA_CA_CERTS:/run/build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/build-ca.crt)
fi

started=$SECONDS
ensure_base_images "$engine"
echo "images: base images ready in $((SECONDS - started)) s ($engine)"
declare -A took
for app in "${apps[@]}"; do
  [[ -n "${HTTP_PORT[$app]:-}" ]] || { echo "images: unknown app $app (known: ${!HTTP_PORT[*]})" >&2; exit 2; }
  echo "images: building $prefix$app:$tag"
  app_started=$SECONDS
  "$engine" build "${build_flags[@]}" -q -f docker/app.Dockerfile \
    --build-arg "APP=$app" --build-arg "HTTP_PORT=${HTTP_PORT[$app]}" \
    -t "$prefix$app:$tag" . >/dev/null
  took[$app]=$((SECONDS - app_started))
done
echo
printf '%-28s %10s %10s\n' image size build
for app in "${apps[@]}"; do
  size="$("$engine" image inspect --format '{{.Size}}' "$prefix$app:$tag")"
  printf '%-28s %7s MB %8s s\n' "$prefix$app:$tag" "$(awk -v bytes="$size" 'BEGIN { printf "%.0f", bytes / 1e6 }')" "${took[$app]}"
done
echo "images: done in $((SECONDS - started)) s"
