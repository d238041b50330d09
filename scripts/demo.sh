#!/bin/sh
# The main job, from a fresh Debian 12 machine as root: install what is needed, build berth,
# make a busybox bundle from the host's busybox-static, and run a container with
# berth-runtime that prints its hostname and its pid (1) from inside.
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -B -q -DskipTests package
scripts/build-aot.sh >/dev/null 2>&1 || echo "demo: AOT cache not built (start-up will be slower)" >&2
bundle=$(mktemp -d /tmp/berth-demo.XXXXXX)
scripts/make-busybox-bundle.sh "$bundle"
sed -i 's/"hostname": "[^"]*"/"hostname": "berth-demo"/' "$bundle/config.json"
bin/berth-runtime run --bundle "$bundle" "berth-demo-$$"
rm -rf "$bundle"
