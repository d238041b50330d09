#!/bin/sh
# Push throughput of berth's registry client (berth-image's ImagePusher) against Debian's
# docker-registry on 127.0.0.1, run by hand on a built tree:
#   ./mvnw -B -o -pl berth-image -am -DskipTests package && ./mvnw -B -o -pl berth-image -am test-compile
#   bench/registry-push.sh [-Dmib=50] [-Druns=3] [-Draw=false]
# Prints MiB/s for the raw upload methods (PUT, streamed PATCH, 16 MiB PATCHes), then whole pushes.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
cp_file="$here/berth-image/target/classpath.txt"
[ -f "$cp_file" ] && [ -d "$here/berth-image/target/test-classes" ] || {
    echo "build first: ./mvnw -B -o -pl berth-image -am -DskipTests package" >&2; exit 1; }
props=""
while [ $# -gt 0 ] && [ "${1#-D}" != "$1" ]; do props="$props $1"; shift; done
# the test classes need junit and bouncycastle from the local repository
m2=${M2_REPO:-$HOME/.m2/repository}
extra=$(find "$m2/org/junit" "$m2/org/opentest4j" "$m2/org/bouncycastle" -name '*.jar' 2>/dev/null | tr '\n' ':')
# shellcheck disable=SC2086
exec "$java" --enable-native-access=ALL-UNNAMED $props \
    -cp "$here/berth-image/target/classes:$here/berth-image/target/test-classes:$(cat "$cp_file"):$extra" \
    dev.berth.image.registry.push.PushBench "$@"
