#!/bin/sh
# Pull throughput of berth's registry client from Debian's docker-registry on 127.0.0.1, run by
# hand as root on a built tree:
#   ./mvnw -B -o -pl berth-image -am -DskipTests package
#   bench/registry-pull.sh [-Dlayers=4] [-Dmib=50] [-Druns=3] [-Dconcurrency=1,3,6]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp_file="$here/berth-image/target/classpath.txt"
[ -f "$cp_file" ] && [ -d "$here/berth-image/target/test-classes" ] || {
    echo "build first: ./mvnw -B -o -pl berth-image -am -DskipTests package" >&2; exit 1; }
# shellcheck disable=SC2086
exec "$java" --enable-native-access=ALL-UNNAMED "$@" \
    -cp "$here/berth-image/target/classes:$here/berth-image/target/test-classes:$(cat "$cp_file")" \
    dev.berth.image.bench.PullBench
