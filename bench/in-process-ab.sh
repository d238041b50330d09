#!/bin/sh
# in-process-ab.sh DIR_A DIR_B [ROUNDS] [RUNS]: compares two copies of berth-runtime's
# target/classes (say, before and after a change) on the in-process launch, alternating
# A, B, A, B… ROUNDS times (default 16), RUNS timed launches each (default 30), so that the
# load of a shared machine falls on both alike. Prints each round's median and p10, then per
# side the median of the round medians, of the round p10s and of the CPU per launch (on a busy
# machine the CPU time is the steadiest of the three).
set -e
cd "$(dirname "$(readlink -f "$0")")/.."
a=$1 b=$2 rounds=${3:-16} runs=${4:-30}
[ -d "$a" ] && [ -d "$b" ] || { echo "usage: $0 DIR_A DIR_B [ROUNDS] [RUNS]" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=0
while [ $i -lt "$rounds" ]; do
  for side in A B; do
    if [ $side = A ]; then dir=$a; else dir=$b; fi
    line=$(BERTH_CLASSES=$dir bench/in-process-launch.sh --warmup 30 --runs "$runs" 2>/dev/null)
    m=$(echo "$line" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
    p=$(echo "$line" | sed -n 's/.*p10 \([0-9.]*\) ms.*/\1/p')
    c=$(echo "$line" | sed -n 's/^CPU per launch.*: \([0-9.]*\) ms.*/\1/p')
    echo "$side $m $p $c" >> "$out"
    echo "round $i $side ($dir): median $m ms, p10 $p ms, CPU $c ms"
  done
  i=$((i + 1))
done
mid() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for side in A B; do
  printf '%s: median of round medians %s ms, of round p10s %s ms, of CPU per launch %s ms\n' $side \
    "$(awk -v s=$side '$1 == s { print $2 }' "$out" | mid)" "$(awk -v s=$side '$1 == s { print $3 }' "$out" | mid)" \
    "$(awk -v s=$side '$1 == s { print $4 }' "$out" | mid)"
done
