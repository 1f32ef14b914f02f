#!/usr/bin/env bash
# Three Docker "hosts" on this one machine, for the multi-host e2e test: a network namespace each, joined
# by a bridge (10.77.0.1 here, hosts at 10.77.0.2-4), each running its own dockerd (own data root, exec
# root, pid file, sockets, containerd namespace) started with `nsenter --net` (`ip netns exec` remounts
# /sys and dockerd then finds no cgroups). How the stack reaches them, as a user would reach machines:
#   h1  unix:///run/sluice-hosts/h1/docker.sock        (the machine's own engine, as it were)
#   h2  tcp://10.77.0.3:2376 with TLS client certificates (a CA, server and client certs made here)
#   h3  ssh://root@10.77.0.4 (an sshd in that namespace, key login; its sessions get that engine)
# Images the test needs are moved with `docker save | docker load` (no registry). Data roots, TLS and SSH
# material are cached under $SLUICE_HOSTS_CACHE so a re-run does not load the images again.
#
#   docker-hosts.sh up [IMAGE...]   # idempotent; prints the env file to source
#   docker-hosts.sh down            # stops the engines and sshd, removes namespaces, links, rules
set -euo pipefail
# shellcheck source=scripts/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

NET=10.77.0
BRIDGE=sluice-br0
RUN=/run/sluice-hosts
CACHE="${SLUICE_HOSTS_CACHE:-${HOME:-/root}/.cache/sluice-hosts}"
HOSTS=(h1 h2 h3)

addr() { echo "$NET.$((${1#h} + 1))"; }
ns() { echo "sluice-$1"; }
in_ns() { local h="$1"; shift; nsenter --net="/var/run/netns/$(ns "$h")" "$@"; }

tls_material() {
  local d="$CACHE/tls"
  [ -f "$d/client/key.pem" ] && return 0
  log "making a CA, a server certificate for h2 ($(addr h2)) and a client certificate"
  mkdir -p "$d/client" "$d/server"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=sluice e2e CA" \
    -keyout "$d/ca-key.pem" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$(addr h2)" \
    -keyout "$d/server/key.pem" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$(addr h2)" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" -CAcreateserial \
    -days 3650 -extfile "$d/server.ext" -out "$d/server/cert.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=sluice e2e client" \
    -keyout "$d/client/key.pem" -out "$d/client.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$d/client.ext"
  openssl x509 -req -in "$d/client.csr" -CA "$d/ca.pem" -CAkey "$d/ca-key.pem" -CAcreateserial \
    -days 3650 -extfile "$d/client.ext" -out "$d/client/cert.pem" 2>/dev/null
  # The docker CLI and the Terraform provider read ca.pem, cert.pem and key.pem from one directory.
  cp "$d/ca.pem" "$d/client/ca.pem"
}

ssh_material() {
  local d="$CACHE/ssh"
  mkdir -p "$d"
  [ -f "$d/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C "sluice e2e" -f "$d/id_ed25519"
  [ -f "$d/host_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -f "$d/host_ed25519"
  cp "$d/id_ed25519.pub" "$d/authorized_keys"
  chmod 600 "$d/authorized_keys" "$d/id_ed25519" "$d/host_ed25519"
}

network_up() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || {
    ip link add "$BRIDGE" type bridge
    ip addr add "$NET.1/24" dev "$BRIDGE"
  }
  ip link set "$BRIDGE" up
  # Docker's FORWARD policy is DROP and bridged frames pass iptables (br_netfilter): let the hosts
  # talk to each other across the bridge.
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  for h in "${HOSTS[@]}"; do
    local n veth="sl-$h"
    n=$(ns "$h")
    [ -e "/var/run/netns/$n" ] || ip netns add "$n"
    if ! ip link show "$veth" >/dev/null 2>&1; then
      ip link add "$veth" type veth peer name eth0 netns "$n"
      ip link set "$veth" master "$BRIDGE" up
    fi
    in_ns "$h" ip link set lo up
    in_ns "$h" ip addr replace "$(addr "$h")/24" dev eth0
    in_ns "$h" ip link set eth0 up
  done
}

engine_up() {
  local h="$1" sock="$RUN/$1/docker.sock" extra=()
  mkdir -p "$RUN/$h" "$CACHE/$h"
  if DOCKER_HOST="unix://$sock" docker info >/dev/null 2>&1; then return 0; fi
  if [ "$h" = h2 ]; then
    local t="$CACHE/tls"
    extra=(-H "tcp://$(addr h2):2376" --tlsverify --tlscacert "$t/ca.pem"
      --tlscert "$t/server/cert.pem" --tlskey "$t/server/key.pem")
  fi
  log "starting dockerd of $h in namespace $(ns "$h") (log: $RUN/$h/dockerd.log)"
  in_ns "$h" setsid dockerd -H "unix://$sock" "${extra[@]}" \
    --data-root "$CACHE/$h/docker" --exec-root "$RUN/$h/exec" --pidfile "$RUN/$h/docker.pid" \
    --containerd-namespace "sluice-$h" --containerd-plugins-namespace "sluice-$h-plugins" \
    >>"$RUN/$h/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    DOCKER_HOST="unix://$sock" docker info >/dev/null 2>&1 && return 0
    sleep 1
  done
  tail -n 30 "$RUN/$h/dockerd.log" >&2
  die "dockerd of $h did not answer within 60 s"
}

sshd_up() {
  local d="$CACHE/ssh" conf="$RUN/h3/sshd_config"
  [ -f "$RUN/h3/sshd.pid" ] && kill -0 "$(cat "$RUN/h3/sshd.pid")" 2>/dev/null && return 0
  apt_install openssh-server
  mkdir -p /run/sshd
  cat >"$conf" <<EOF
ListenAddress $(addr h3)
HostKey $d/host_ed25519
PidFile $RUN/h3/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
# What makes this namespace a Docker host over SSH: its sessions talk to its own engine.
SetEnv DOCKER_HOST=unix://$RUN/h3/docker.sock
EOF
  in_ns h3 /usr/sbin/sshd -f "$conf" -E "$RUN/h3/sshd.log"
}

load_images() {
  local h="$1"
  shift
  for image in "$@"; do
    DOCKER_HOST="unix://$RUN/$h/docker.sock" docker image inspect "$image" >/dev/null 2>&1 && continue
    log "loading $image into $h"
    docker save "$image" | DOCKER_HOST="unix://$RUN/$h/docker.sock" docker load -q >/dev/null
  done
}

ssh_opts() {
  echo "-i $CACHE/ssh/id_ed25519 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
}

write_env() {
  local e="$RUN/env.sh"
  cat >"$e" <<EOF
export SLUICE_HOST_H1=unix://$RUN/h1/docker.sock SLUICE_HOST_H1_ADDRESS=$(addr h1)
export SLUICE_HOST_H2=tcp://$(addr h2):2376 SLUICE_HOST_H2_ADDRESS=$(addr h2) SLUICE_HOST_H2_CERT_PATH=$CACHE/tls/client
export SLUICE_HOST_H3=ssh://root@$(addr h3) SLUICE_HOST_H3_ADDRESS=$(addr h3)
export SLUICE_HOST_H3_SSH_OPTS="$(ssh_opts)"
EOF
  echo "$e"
}

up() {
  [ "$(id -u)" = 0 ] || die "namespaces and engines need root"
  command -v dockerd >/dev/null || die "dockerd missing (scripts/e2e/install-docker.sh installs it)"
  tls_material
  ssh_material
  network_up
  for h in "${HOSTS[@]}"; do engine_up "$h"; done
  sshd_up
  for h in "${HOSTS[@]}"; do load_images "$h" "$@"; done
  # The same engines as the test will see them: TLS over TCP and SSH, for real.
  DOCKER_CERT_PATH="$CACHE/tls/client" DOCKER_TLS_VERIFY=1 DOCKER_HOST="tcp://$(addr h2):2376" \
    docker version -f 'h2 over TLS: engine {{.Server.Version}}' >&2
  # The docker CLI takes no ssh options: a wrapper first on PATH adds the key and the host-key policy
  # (root's own ssh configuration stays untouched).
  mkdir -p "$RUN/ssh-bin"
  printf '#!/bin/sh\nexec /usr/bin/ssh %s "$@"\n' "$(ssh_opts)" >"$RUN/ssh-bin/ssh"
  chmod +x "$RUN/ssh-bin/ssh"
  PATH="$RUN/ssh-bin:$PATH" docker -H "ssh://root@$(addr h3)" info -f 'h3 over SSH: {{.DockerRootDir}}' >&2 ||
    die "h3 does not answer over ssh (log: $RUN/h3/sshd.log)"
  write_env
}

down() {
  for h in "${HOSTS[@]}"; do
    local pid="$RUN/$h/docker.pid"
    if [ -f "$pid" ] && kill -0 "$(cat "$pid")" 2>/dev/null; then
      DOCKER_HOST="unix://$RUN/$h/docker.sock" docker ps -q | xargs -r \
        env DOCKER_HOST="unix://$RUN/$h/docker.sock" docker kill >/dev/null 2>&1 || true
      kill "$(cat "$pid")"
      for _ in $(seq 1 30); do kill -0 "$(cat "$pid")" 2>/dev/null || break; sleep 1; done
    fi
  done
  [ -f "$RUN/h3/sshd.pid" ] && kill "$(cat "$RUN/h3/sshd.pid")" 2>/dev/null || true
  for h in "${HOSTS[@]}"; do
    ip link del "sl-$h" 2>/dev/null || true
    ip netns del "$(ns "$h")" 2>/dev/null || true
  done
  iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  rm -rf "$RUN"
  log "docker hosts down (cached data roots stay in $CACHE)"
}

case "${1:-}" in
up)
  shift
  up "$@"
  ;;
down) down ;;
*) die "usage: $0 up [IMAGE...] | down" ;;
esac
