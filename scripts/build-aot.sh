#!/bin/bash
# build-aot.sh: berth-runtime/target/berth-runtime.aot, the JDK 25 AOT cache that
# bin/berth-runtime uses when it exists (classes loaded and linked ahead of time: a short
# command starts in a fraction of the time). One training run, as root, after
# ./mvnw -DskipTests package: spec, features, create/state/list/start/delete and run of a
# busybox bundle through the CLI in one JVM (AotTraining, in the test classes).
#
# The cache is valid only for the JDK, the JVM flags and the class path it was made with, so
# the training takes them from the launcher itself (a stand-in java records what
# bin/berth-runtime would run) and appends a jar of the training class to the class path (a
# production class path may be a prefix of the training one; the JVM archives classes from
# jars only). The JVM ignores the cache silently once the jars change: rebuild after every
# package.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
target=$PWD/berth-runtime/target
[ "$(id -u)" = 0 ] || { echo "build-aot: run as root (the training runs containers)" >&2; exit 1; }
read -r cp < "$target/classpath.txt" 2>/dev/null || true
[ -n "$cp" ] && [ -f "$target/test-classes/dev/berth/runtime/cli/AotTraining.class" ] \
  || { echo "build-aot: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
# the java bin/berth-runtime picks
if [ -n "$BERTH_JAVA" ]; then java="$BERTH_JAVA"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
elif [ -n "$JAVA_HOME" ]; then java="$JAVA_HOME/bin/java"
else java=$(command -v java)
fi
jar=$(dirname "$(readlink -f "$java")")/jar
[ -x "$jar" ] || { echo "build-aot: no jar tool next to $java (a JDK is needed, not a JRE)" >&2; exit 1; }
work=$(mktemp -d /tmp/berth-aot.XXXXXX)
trap 'bin/berth-runtime --root "$work/root" delete -f aot-1 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# the launcher's JVM arguments, one per line, from a stand-in java
printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/args"\n' "$work" > "$work/java"
chmod +x "$work/java"
BERTH_NO_AOT=1 BERTH_JAVA="$work/java" bin/berth-runtime --version
flags=()
next_is_cp=""
while IFS= read -r arg; do
  if [ -n "$next_is_cp" ]; then
    flags+=("$arg:$work/training.jar")
    next_is_cp=""
  elif [ "$arg" = -cp ] || [ "$arg" = -classpath ] || [ "$arg" = --class-path ]; then
    flags+=("$arg")
    next_is_cp=1
  elif [ "$arg" = dev.berth.runtime.cli.Main ]; then
    break
  else
    flags+=("$arg")
  fi
done < "$work/args"
case " ${flags[*]} " in
  *" -cp "*|*" -classpath "*|*" --class-path "*) ;;
  *) echo "build-aot: the launcher's command line has no class path: $(tr '\n' ' ' < "$work/args")" >&2; exit 1 ;;
esac

scripts/make-busybox-bundle.sh "$work/bundle" /bin/true
# the training class and any nested classes it has
(cd "$target/test-classes" && "$jar" cf "$work/training.jar" dev/berth/runtime/cli/AotTraining*.class)
rm -f "$target/berth-runtime.aot"
"$java" -XX:AOTCacheOutput="$target/berth-runtime.aot" "${flags[@]}" dev.berth.runtime.cli.AotTraining \
  "$work/bundle" "$work/root" > "$work/training.out" 2>&1 || true
[ -s "$target/berth-runtime.aot" ] || { cat "$work/training.out" >&2; echo "build-aot: no cache written" >&2; exit 1; }
echo "build-aot: $target/berth-runtime.aot ($(du -h "$target/berth-runtime.aot" | cut -f1))"
