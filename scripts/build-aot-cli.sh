#!/bin/bash
# build-aot-cli.sh: berth-cli/target/berth-cli.aot, the JDK 25 AOT cache bin/berth uses when it
# exists (classes loaded and linked ahead of time cut a short command's CPU time by about a
# third). One training run after ./mvnw -DskipTests package: the common commands through Main
# against a canned daemon (AotTraining, in the test classes). No root needed.
#
# As with build-aot.sh, the JVM flags and class path come from the launcher itself (a stand-in
# java records what bin/berth would run) and a jar of the training class is appended to the
# class path. The JVM ignores the cache once the jars change: rebuild after every package.
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
target=$PWD/berth-cli/target
read -r cp < "$target/classpath.txt" 2>/dev/null || true
[ -n "$cp" ] && [ -f "$target/test-classes/dev/berth/cli/AotTraining.class" ] \
  || { echo "build-aot-cli: not built: run ./mvnw -DskipTests package (with JDK 25) first" >&2; exit 1; }
if [ -n "$BERTH_JAVA" ]; then java="$BERTH_JAVA"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
elif [ -n "$JAVA_HOME" ]; then java="$JAVA_HOME/bin/java"
else java=$(command -v java)
fi
jar=$(dirname "$(readlink -f "$java")")/jar
[ -x "$jar" ] || { echo "build-aot-cli: no jar tool next to $java (a JDK is needed, not a JRE)" >&2; exit 1; }
work=$(mktemp -d /tmp/berth-aot-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

printf '#!/bin/sh\nprintf "%%s\\n" "$@" > "%s/args"\n' "$work" > "$work/java"
chmod +x "$work/java"
BERTH_NO_AOT=1 BERTH_JAVA="$work/java" bin/berth --version
flags=()
next_is_cp=""
while IFS= read -r arg; do
  if [ -n "$next_is_cp" ]; then
    flags+=("$arg:$target/aot-training.jar")
    next_is_cp=""
  elif [ "$arg" = -cp ] || [ "$arg" = -classpath ] || [ "$arg" = --class-path ]; then
    flags+=("$arg")
    next_is_cp=1
  elif [ "$arg" = dev.berth.cli.Main ]; then
    break
  else
    flags+=("$arg")
  fi
done < "$work/args"
case " ${flags[*]} " in
  *" -cp "*|*" -classpath "*|*" --class-path "*) ;;
  *) echo "build-aot-cli: the launcher's command line has no class path: $(tr '\n' ' ' < "$work/args")" >&2; exit 1 ;;
esac

# the training jar stays beside the cache: the JVM checks that every class path entry the cache
# was made with still exists, even one the production class path does not name
(cd "$target/test-classes" && "$jar" cf "$target/aot-training.jar" dev/berth/cli/AotTraining*.class)
rm -f "$target/berth-cli.aot"
"$java" -XX:AOTCacheOutput="$target/berth-cli.aot" "${flags[@]}" dev.berth.cli.AotTraining > "$work/training.out" 2>&1 || true
[ -s "$target/berth-cli.aot" ] || { cat "$work/training.out" >&2; echo "build-aot-cli: no cache written" >&2; exit 1; }
echo "build-aot-cli: $target/berth-cli.aot ($(du -h "$target/berth-cli.aot" | cut -f1))"
