#!/usr/bin/env bash
# Builds walkerd's bench, installs the Node peers, runs every scenario against walkerd, Node ws, Socket.IO and bare
# Javalin, and writes bench/results/latest.md and latest.png. --quick: smaller N and shorter rows (a few minutes).
# Any other option goes to the suite (java -jar bench/target/walkerd-bench.jar help), e.g. protocol 2's scenarios only:
#   bench/run.sh --servers walkerd --scenarios history-fanout,recovery,presence --name protocol2
set -euo pipefail
cd "$(dirname "$0")/.."

# 10,000 client sockets in the generator and as many in the server: take the hard limit of open files
ulimit -n "$(ulimit -Hn)" || true
if [ "$(ulimit -n)" -lt 12000 ]; then
  echo "warning: open files limited to $(ulimit -n); runs at N=10,000 will fail" >&2
fi

# cross-instance needs Redis on 127.0.0.1:6379 (the machine's service; started here if it is down)
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    sleep 0.5
  else
    echo "warning: no Redis on 127.0.0.1:6379; cross-instance rows will be skipped" >&2
  fi
fi

echo "== installing the Node peers (npm ci)"
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)

echo "== building the bench jar (reactor build, nothing installed to ~/.m2)"
mvn -q -B -pl bench -am clean package -DskipTests

echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xms1g -Xmx4g -jar bench/target/walkerd-bench.jar run --root bench "$@"
