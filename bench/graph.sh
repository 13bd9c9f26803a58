#!/usr/bin/env bash
# The persistence rows of issue 9 ("graph"): builds the example application and the bench jar, then runs
# `java -jar bench/target/walkerd-bench.jar graph` on both store backends (the embedded SQLite store, and the MongoDB
# backend against mongo-java-server's in-memory test double) and writes bench/results/graph.md, graph.jsonl and the
# table in both READMEs. About 5 minutes; --quick: shorter windows (a smoke test). --no-build: use the jars as built.
# Other options go to the command (java -jar bench/target/walkerd-bench.jar help), e.g. --profile, --backends sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

if [ "$build" = 1 ]; then
  echo "== building the example application and the bench jar (reactor build, nothing installed to ~/.m2)"
  # MVN_ARGS: extra Maven options, e.g. MVN_ARGS=-o to build offline
  mvn -q -B ${MVN_ARGS:-} -pl walkers,bench -am package -DskipTests
fi

echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xms512m -Xmx3g -jar bench/target/walkerd-bench.jar graph --root bench "${args[@]}"
