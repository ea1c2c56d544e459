#!/usr/bin/env bash
# The fresh machine's first process (pid 1 of its own process namespace, in its own network and
# mount namespaces), started by scripts/fresh-machine.sh: waits for the network that
# slirp4netns gives it, mounts what a booted machine has, and runs the command line in a chroot.
# When it exits, the kernel ends every process the machine started (MariaDB, Kafka, the apps).
#
#   fresh-machine-inside.sh ROOTFS COMMAND_LINE N BIND... ENV...   (BIND: HOST_DIR:MACHINE_DIR)
set -euo pipefail
rootfs="$1" command_line="$2" n="$3"; shift 3
binds=("${@:1:$n}"); shift "$n"
env_pass=("$@")

ip link set lo up
for _ in $(seq 1 300); do ip route show default 2>/dev/null | grep -q tap0 && break; sleep 0.1; done
ip route show default | grep -q tap0 || { echo "fresh-machine: no network (slirp4netns did not configure tap0)" >&2; exit 1; }
hostname fresh-machine

mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
mount --rbind /dev "$rootfs/dev"
mount -t tmpfs -o mode=1777 tmpfs "$rootfs/dev/shm"
mount -t tmpfs -o mode=0755 tmpfs "$rootfs/run"
mkdir -p "$rootfs/run/lock"
mount -t tmpfs -o mode=1777 tmpfs "$rootfs/tmp"
for bind in "${binds[@]}"; do
  mkdir -p "$rootfs${bind#*:}"
  mount --bind "${bind%%:*}" "$rootfs${bind#*:}"
done
exec chroot "$rootfs" /usr/bin/env -i "${env_pass[@]}" bash -c "$command_line"
