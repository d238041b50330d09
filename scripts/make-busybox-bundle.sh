#!/bin/sh
# make-busybox-bundle.sh DIR [ARGS...]: an OCI bundle in DIR whose rootfs is the host's static
# busybox (Debian busybox-static) and whose config is berth-runtime's default spec, without a
# terminal, running ARGS (default: sh -c 'echo hostname: $(hostname); echo pid: $$').
set -e
dir=$1
[ -n "$dir" ] || { echo "usage: $0 DIR [ARGS...]" >&2; exit 2; }
shift
here=$(dirname "$(readlink -f "$0")")
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "no $busybox: apt-get install busybox-static" >&2; exit 1; }
file -L "$busybox" 2>/dev/null | grep -q "statically linked" || ldd "$busybox" 2>&1 | grep -q "not a dynamic" \
  || { echo "$busybox is not static: apt-get install busybox-static" >&2; exit 1; }
mkdir -p "$dir/rootfs"
root="$dir/rootfs"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/proc" "$root/sys" "$root/dev" \
  "$root/etc" "$root/tmp" "$root/root" "$root/var"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >> "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
rm -f "$dir/config.json"
"$here/../bin/berth-runtime" spec --bundle "$dir"
# no terminal: the demo and the tests run without one
sed -i 's/"terminal": true/"terminal": false/' "$dir/config.json"
if [ $# -eq 0 ]; then
  set -- sh -c 'echo hostname: $(hostname); echo pid: $$'
fi
args=""
for a in "$@"; do
  esc=$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')
  args="$args${args:+, }\"$esc\""
done
# replace the default args ["sh"] with ours
sed -i "/\"args\": \[/,/\]/c\\      \"args\": [ $args ]," "$dir/config.json"
