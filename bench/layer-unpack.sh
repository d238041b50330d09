#!/bin/sh
# Layer unpack throughput (berth-image's LayerUnpacker), run by hand as root on a built tree:
#   ./mvnw -B -o -pl berth-image -am -DskipTests package
#   bench/layer-unpack.sh [-Druns=5] [-Ddecompress=true] LAYER.tar[.gz|.zst]...
# Prints the median of the runs (after one warm-up) in MB/s of uncompressed tar.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp_file="$here/berth-image/target/classpath.txt"
[ -f "$cp_file" ] && [ -d "$here/berth-image/target/test-classes" ] || {
    echo "build first: ./mvnw -B -o -pl berth-image -am -DskipTests package" >&2; exit 1; }
props=""
while [ $# -gt 0 ] && [ "${1#-D}" != "$1" ]; do props="$props $1"; shift; done
# shellcheck disable=SC2086
exec "$java" --enable-native-access=ALL-UNNAMED $props \
    -cp "$here/berth-image/target/classes:$here/berth-image/target/test-classes:$(cat "$cp_file")" \
    dev.berth.image.bench.UnpackBench "$@"
