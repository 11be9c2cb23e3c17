#!/usr/bin/env bash
# Runs a command as on a machine without liblouis and espeak-ng, the two optional outside
# programs (docs/architecture.md, README "Two commands"): both are hidden in a private mount
# namespace (an empty file is bind-mounted over each liblouis library and over the
# espeak-ng program), so nothing on the machine changes and the command sees neither.
#
#   sudo scripts/without-optional-libs.sh cargo test
#   sudo scripts/without-optional-libs.sh cargo run -- build examples/bac-kan/bac-kan.md -o out
#
# Needs root (or CAP_SYS_ADMIN) for `unshare -m`.
set -euo pipefail
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG…]" >&2
  exit 2
fi
exec unshare -m --propagation private bash -c '
  set -euo pipefail
  empty="$(mktemp)"
  chmod 0644 "$empty"
  hidden=0
  shopt -s nullglob
  for f in /usr/lib/*/liblouis.so* /usr/lib/liblouis.so* /usr/local/lib/liblouis.so* \
           /usr/bin/espeak-ng /usr/local/bin/espeak-ng /usr/bin/espeak; do
    [ -e "$f" ] || continue
    mount --bind "$empty" "$(readlink -f "$f")"
    hidden=$((hidden + 1))
  done
  echo "without-optional-libs: hid $hidden file(s) (liblouis, espeak-ng)" >&2
  exec "$@"
' bash "$@"
