#!/usr/bin/env bash
# Check (and, as root, install) the Debian packages the lab and the integration tests need
# (chromium and poppler-utils: the HTML report's browser and print tests).
# Usage: tools/sysdeps.sh [--check]
set -euo pipefail
declare -A NEED=(
  [ip]=iproute2 [bridge]=iproute2 [nft]=nftables [sshd]=openssh-server [ssh]=openssh-client
  [ping]=iputils-ping [sudo]=sudo [lldpd]=lldpd [lldpcli]=lldpd
  [snmpbulkwalk]=snmp [snmptable]=snmp
  [chromium]=chromium [pdftoppm]=poppler-utils [pdftotext]=poppler-utils
)
missing=()
for cmd in "${!NEED[@]}"; do
  if ! PATH="$PATH:/usr/sbin:/sbin" command -v "$cmd" >/dev/null 2>&1; then
    missing+=("${NEED[$cmd]}")
  fi
done
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
if [ "${#missing[@]}" -eq 0 ]; then
  echo "sysdeps: all lab packages present"
  exit 0
fi
if [ "${1:-}" = "--check" ] || [ "$(id -u)" -ne 0 ]; then
  echo "sysdeps: missing Debian packages: ${missing[*]}" >&2
  echo "sysdeps: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "sysdeps: the lab also needs root (network namespaces); run 'make test' as root," >&2
    echo "sysdeps: or 'make test-offline' for the checks and unit tests that need neither." >&2
  fi
  exit 1
fi
echo "sysdeps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "sysdeps: installed ${missing[*]}"
