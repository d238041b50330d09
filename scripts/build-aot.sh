#!/bin/sh
# build-aot.sh: berth-runtime/target/berth-runtime.aot, the JDK 25 AOT cache that
# bin/berth-runtime uses when it exists (classes loaded and linked ahead of time: a short
# command starts in a fraction of the time). One training run, as root, after
# ./mvnw -DskipTests package: spec, features, create/state/list/start/delete and run of a
# busybox bundle through the CLI in one JVM (AotTraining, in the test classes).
#
# The cache is valid only for the JDK, the launcher's flags and the classpath it was made
# with: the training uses bin/berth-runtime's exactly, with a jar of the training class
# appended (a production class path may be a prefix of the training one; the JVM archives
# classes from jars only). Rebuild after every package.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
target=$PWD/berth-runtime/target
[ "$(id -u)" = 0 ] || { echo "build-aot: run as root (the training runs containers)" >&2; exit 1; }
read -r cp < "$target/classpath.txt" 2>/dev/null || true
[ -n "$cp" ] && [ -f "$target/test-classes/dev/berth/runtime/cli/AotTraining.class" ] \
  || { echo "build-aot: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
if [ -n "$BERTH_JAVA" ]; then java="$BERTH_JAVA"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
elif [ -n "$JAVA_HOME" ]; then java="$JAVA_HOME/bin/java"
else java=java
fi
work=$(mktemp -d /tmp/berth-aot.XXXXXX)
trap 'bin/berth-runtime --root "$work/root" delete -f aot-1 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/make-busybox-bundle.sh "$work/bundle" /bin/true
jar=$(dirname "$(readlink -f "$java")")/jar
[ -x "$jar" ] || { echo "build-aot: no jar tool next to $java (a JDK is needed, not a JRE)" >&2; exit 1; }
"$jar" cf "$work/training.jar" -C "$target/test-classes" dev/berth/runtime/cli/AotTraining.class \
  -C "$target/test-classes" 'dev/berth/runtime/cli/AotTraining$Runtimes.class' \
  -C "$target/test-classes" 'dev/berth/runtime/cli/AotTraining$Specs.class'
rm -f "$target/berth-runtime.aot"
# the launcher's flags (bin/berth-runtime), minus the cache it would use
"$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -XX:CICompilerCount=1 \
  -XX:AOTCacheOutput="$target/berth-runtime.aot" -Xlog:disable -Xlog:all=warning:stderr \
  --enable-native-access=ALL-UNNAMED -Dberth.init="$target/berth-init" \
  -cp "$target/berth-runtime.jar:$cp:$work/training.jar" dev.berth.runtime.cli.AotTraining \
  "$work/bundle" "$work/root" > "$work/training.out" 2>&1 || true
[ -s "$target/berth-runtime.aot" ] || { cat "$work/training.out" >&2; echo "build-aot: no cache written" >&2; exit 1; }
echo "build-aot: $target/berth-runtime.aot ($(du -h "$target/berth-runtime.aot" | cut -f1))"
