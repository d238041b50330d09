#!/bin/sh
# in-process-launch.sh [--runs N] [--warmup N] [--breakdown]: the launch berthd will make, in
# one JVM through the runtime library: runtime.run(CreateOptions.of(id, bundle), false) on a
# busybox bundle running /bin/true, timed after a warm-up. As root, by hand. Needs the build
# with test classes: ./mvnw -DskipTests package (compiles them; this builds nothing).
# BERTH_CLASSES=DIR runs another copy of target/classes (bench/in-process-ab.sh compares two).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
target=berth-runtime/target
[ "$(id -u)" = 0 ] || { echo "in-process-launch: run as root" >&2; exit 1; }
read -r cp < "$target/classpath.txt" 2>/dev/null || true
[ -n "$cp" ] && [ -f "$target/test-classes/dev/berth/runtime/bench/InProcessLaunchBench.class" ] \
  || { echo "in-process-launch: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
java=${BERTH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
bundle=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
scripts/make-busybox-bundle.sh "$bundle" /bin/true
# a long-running server's JVM: default JIT and GC, as berthd will run
exec_status=0
"$java" --enable-native-access=ALL-UNNAMED -Dberth.init="$target/berth-init" \
  -cp "$target/test-classes:${BERTH_CLASSES:-$target/classes}:$cp" dev.berth.runtime.bench.InProcessLaunchBench \
  --bundle "$bundle" "$@" || exec_status=$?
exit $exec_status
