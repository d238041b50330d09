#!/bin/bash
# run-runc-bats.sh RUNC_SRC [FILE.bats...]: runs runc's own integration tests (RUNC_SRC is a
# checkout of the runc repository, e.g. the v1.1.5 tag) against berth-runtime, as root.
#
# Nothing is downloaded: the busybox image the tests want is made from the host's static
# busybox, and the "debian" image (hooks.bats only needs sh, grep and ldconfig) from host files.
# runc's test helpers (recvtty, sd-helper, seccompagent) are built with Go from RUNC_SRC's
# vendor directory when Go is installed (apt-get install golang-go) and not built yet.
#
# Environment: RUNTIME (default: this repo's bin/berth-runtime; RUNTIME=/usr/sbin/runc for the
# baseline), OUT (default: /tmp/berth-conformance; the TAP output goes to OUT/NAME.tap),
# NAME (default: the runtime's basename), JOBS (bats --jobs, default 1).
# With no FILE, runs the files listed below (checkpoint, debug and the rootless/systemd-only
# files aside).
set -eu -o pipefail

src=${1:?usage: $0 RUNC_SRC [FILE.bats...]}
shift
src=$(readlink -f "$src")
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
runtime=$(readlink -f "${RUNTIME:-$repo/bin/berth-runtime}")
name=${NAME:-$(basename "$runtime")}
out=${OUT:-/tmp/berth-conformance}
integration="$src/tests/integration"
testdata="$integration/testdata"

[ "$(id -u)" -eq 0 ] || { echo "run-runc-bats: must run as root" >&2; exit 1; }
[ -f "$integration/helpers.bash" ] || { echo "run-runc-bats: no runc tests in $src" >&2; exit 1; }
command -v bats >/dev/null || { echo "run-runc-bats: apt-get install bats jq" >&2; exit 1; }
command -v jq >/dev/null || { echo "run-runc-bats: apt-get install jq" >&2; exit 1; }
[ -x "$runtime" ] || { echo "run-runc-bats: no runtime at $runtime (build first)" >&2; exit 1; }
mkdir -p "$out"

# get-images.sh asks Go for the architecture; without Go, answer for it
shim="$out/shim"
mkdir -p "$shim"
if ! command -v go >/dev/null; then
	printf '#!/bin/sh\n[ "$1 $2" = "env GOARCH" ] && { echo amd64; exit 0; }\nexit 1\n' > "$shim/go"
	chmod +x "$shim/go"
fi
export PATH="$shim:$PATH"
arch=$(go env GOARCH)

# the busybox image: busybox, its applets, passwd/group like the docker library image
busybox_tar="$testdata/busybox-$arch.tar.xz"
if [ ! -e "$busybox_tar" ]; then
	bb=/bin/busybox
	file -L "$bb" 2>/dev/null | grep -q "statically linked" \
		|| { echo "run-runc-bats: $bb is not static: apt-get install busybox-static" >&2; exit 1; }
	r=$(mktemp -d)
	chmod 755 "$r"
	mkdir -p "$r"/{bin,dev,etc,home,proc,root,sys,tmp,usr/bin,usr/sbin,var/spool/mail,var/www}
	chmod 1777 "$r/tmp"
	chmod 700 "$r/root"
	cp "$bb" "$r/bin/busybox"
	for a in $("$bb" --list); do [ -e "$r/bin/$a" ] || ln "$r/bin/busybox" "$r/bin/$a"; done
	cat > "$r/etc/passwd" <<-'P'
		root:x:0:0:root:/root:/bin/sh
		daemon:x:1:1:daemon:/usr/sbin:/bin/false
		bin:x:2:2:bin:/bin:/bin/false
		sys:x:3:3:sys:/dev:/bin/false
		sync:x:4:100:sync:/bin:/bin/sync
		mail:x:8:8:mail:/var/spool/mail:/bin/false
		www-data:x:33:33:www-data:/var/www:/bin/false
		operator:x:37:37:Operator:/var:/bin/false
		nobody:x:65534:65534:nobody:/home:/bin/false
	P
	cat > "$r/etc/group" <<-'G'
		root:x:0:
		daemon:x:1:
		bin:x:2:
		sys:x:3:
		adm:x:4:
		tty:x:5:
		disk:x:6:
		lp:x:7:
		mail:x:8:
		kmem:x:9:
		wheel:x:10:root
		cdrom:x:11:
		dialout:x:18:
		floppy:x:19:
		video:x:28:
		audio:x:29:
		tape:x:32:
		www-data:x:33:
		operator:x:37:
		utmp:x:43:
		plugdev:x:46:
		staff:x:50:
		lock:x:54:
		netdev:x:82:
		users:x:100:
		nogroup:x:65534:
	G
	tar -C "$r" -cJf "$busybox_tar" .
	rm -rf "$r"
fi

# the "debian" image: hooks.bats runs sh, grep and ldconfig in it
debian_tar="$testdata/debian-$arch.tar.xz"
if [ ! -e "$debian_tar" ]; then
	r=$(mktemp -d)
	chmod 755 "$r"
	mkdir -p "$r"/{bin,sbin,lib,lib64,usr/lib,etc,dev,proc,sys,tmp,root,var/cache/ldconfig}
	cp /bin/busybox "$r/bin/busybox"
	for a in sh grep cat ls; do ln -s busybox "$r/bin/$a"; done
	cp /sbin/ldconfig "$r/sbin/ldconfig"
	: > "$r/etc/ld.so.conf"
	echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"
	echo "root:x:0:" > "$r/etc/group"
	tar -C "$r" -cJf "$debian_tar" .
	rm -rf "$r"
fi

# runc's test helpers
if command -v go >/dev/null && [ ! -e "$shim/go" ]; then
	for h in recvtty sd-helper seccompagent; do
		d="$src/contrib/cmd/$h"
		[ -x "$d/$h" ] || (cd "$d" && GOFLAGS=-mod=vendor GOPROXY=off go build -o "$h" .)
	done
fi

if [ $# -eq 0 ]; then
	set -- cgroups create cwd delete dev events exec help hooks kill list mask mounts \
		mounts_recursive no_pivot pause ps root run seccomp spec start start_detached \
		start_hello state tty umask update userns version
fi
files=()
for f in "$@"; do
	f=${f%.bats}
	files+=("$integration/$f.bats")
done

tap="$out/$name.tap"
echo "run-runc-bats: $runtime, $((${#files[@]})) files, TAP in $tap" >&2
set +e
# runc's CI runs bats on a terminal: "runc run" with the default spec (terminal: true) and no
# console socket uses it. script(1) gives bats one.
export RUNC="$runtime"
# no BATS_TEST_TIMEOUT by default: bats 1.8 runs its watchdog as a background job of the test,
# and events.bats's bare "wait" then waits for the watchdog too
script -qefc "$(printf '%q ' bats --tap --jobs "${JOBS:-1}" "${files[@]}") > $(printf '%q' "$tap")" /dev/null < /dev/null
rc=$?
set -e

# per-file summary: bats --tap numbers tests across files, so count them file by file from
# the order of the files and their test counts
summary="$out/$name.summary"
: > "$summary"
n=0
for f in "${files[@]}"; do
	c=$(bats --count "$f")
	awk -v lo=$((n + 1)) -v hi=$((n + c)) -v f="$(basename "$f" .bats)" '
		/^(ok|not ok) [0-9]+/ {
			k = $1 == "ok" ? $2 : $3
			if (k < lo || k > hi) next
			if ($1 == "not") fail++
			else if ($0 ~ /# skip/) skip++
			else pass++
		}
		END { printf "%-18s %3d passed, %3d failed, %3d skipped\n", f, pass, fail, skip }' "$tap" >> "$summary"
	n=$((n + c))
done
cat "$summary"
awk '/^ok [0-9]+/ { if ($0 ~ /# skip/) s++; else p++ } /^not ok/ { f++ }
	END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$tap"
exit $rc
