#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# 'make install DESTDIR= PREFIX=' puts the tool, the man pages, the bash
# completion and esync.service in place; every man page renders with
# 'man -l' without a warning; the completion completes; the unit runs the
# installed binary as a flight recorder; the licence is the one the
# sources name.  Prints TAP 13.

O=${O:-build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "$0")/../harness/tap.sh"
submake() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s O="$O" "$@"; }

echo "TAP version 13"

pages="esync esync-check esync-record esync-live esync-show esync-export esync-topology"

if ! command -v scdoc >/dev/null; then
	skip "make install" "scdoc is not installed (make deps)"
	echo "1..$n"
	exit 0
fi

d=$TMP/root
out=$(submake install DESTDIR="$d" PREFIX=/usr 2>&1); rc=$?
check "make install DESTDIR=... PREFIX=/usr" $rc "$out"

want="usr/bin/esync
usr/lib/systemd/system/esync.service
usr/share/bash-completion/completions/esync"
for p in $pages; do want="$want
usr/share/man/man1/$p.1"; done
got=$(cd "$d" && find . -type f | sed 's|^\./||' | sort)
[ "$got" = "$(sort <<< "$want")" ]
check "it installs exactly the binary, $(wc -w <<< "$pages") man pages, the completion and the unit" $? \
	"got: $(tr '\n' ' ' <<< "$got")"

modes=$(cd "$d" && find . -type f -printf '%m %p\n' | sort -k2)
[ "$(stat -c %a "$d/usr/bin/esync")" = 755 ] &&
	[ -z "$(grep -v '^644 ' <<< "$modes" | grep -v 'usr/bin/esync$')" ]
check "the binary is 0755, the rest 0644" $? "$modes"

v_inst=$("$d/usr/bin/esync" --version)
v_tree=$("$O/esync" --version)
[ -n "$v_inst" ] && [ "$v_inst" = "$v_tree" ]
check "the installed esync --version: $v_inst" $? "tree: $v_tree"

"$d/usr/bin/esync" check tests/data/clean-smmu-ste.dump >/dev/null 2>&1
a=$?
"$O/esync" check tests/data/clean-smmu-ste.dump >/dev/null 2>&1
b=$?
[ $a = $b ]
check "the installed esync checks a dump like the tree's (exit $a)" $? "installed $a, tree $b"

# Every page renders, without a groff warning, and names its command
for p in $pages; do
	f=$d/usr/share/man/man1/$p.1
	txt=$(MANWIDTH=80 MAN_KEEP_FORMATTING=0 man --warnings -l "$f" 2>"$TMP/warn" | col -b)
	grep -q "^NAME" <<< "$txt" && grep -q "^ *$p - " <<< "$txt" && [ ! -s "$TMP/warn" ]
	check "man -l $p.1 renders" $? "$(head -c 300 "$TMP/warn")" "$(head -n 5 <<< "$txt")"
done
# esync(1) documents the exit statuses, esync-record(1) the service
MANWIDTH=80 man -l "$d/usr/share/man/man1/esync.1" 2>/dev/null | col -b > "$TMP/esync.txt"
grep -q '^EXIT STATUS' "$TMP/esync.txt" && grep -Eq '^ +4 *$|^ +4 +nothing' "$TMP/esync.txt"
check "esync(1) documents the exit statuses 0-4" $?
MANWIDTH=80 man -l "$d/usr/share/man/man1/esync-record.1" 2>/dev/null | col -b |
	grep -q 'journalctl -u esync'
check "esync-record(1) documents the service and where its findings go" $?

# The unit runs the installed binary; PREFIX moves it
u=$d/usr/lib/systemd/system/esync.service
grep -q '^ExecStart=/bin/sh -c .exec /usr/bin/esync record --flight [0-9]* --json -o "/var/lib/esync/' "$u" &&
	grep -q '^StateDirectory=esync$' "$u" && grep -q '^UMask=0077$' "$u" && ! grep -q @ "$u"
check "esync.service: flight recorder to /var/lib/esync, JSON lines on stdout" $? "$(grep Exec "$u")"
submake install DESTDIR="$TMP/opt" PREFIX=/opt/esync >/dev/null 2>&1 &&
	grep -q 'exec /opt/esync/bin/esync record' "$TMP/opt/opt/esync/lib/systemd/system/esync.service" &&
	[ -x "$TMP/opt/opt/esync/bin/esync" ]
check "PREFIX=/opt/esync moves the binary and the unit's ExecStart" $?
if command -v systemd-analyze >/dev/null; then
	sed "s|/usr/bin/esync|$d/usr/bin/esync|" "$u" > "$TMP/esync.service"
	out=$(MANPATH=$d/usr/share/man systemd-analyze verify "$TMP/esync.service" 2>&1); rc=$?
	check "systemd-analyze verify esync.service" $rc "$out"
else
	skip "systemd-analyze verify esync.service" "no systemd-analyze here"
fi

# The completion completes commands, options and check lists
if [ -r /usr/share/bash-completion/bash_completion ]; then
	comp() {	# WORDS...: what completing the last word offers
		bash -c '. /usr/share/bash-completion/bash_completion
			. "$0"
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_esync esync "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
			"$d/usr/share/bash-completion/completions/esync" "$@"
	}
	a=$(comp esync ch)
	b=$(comp esync export --ch)
	c=$(comp esync check --only H1,F)
	e=$(comp esync record --mode "")
	[ "$a" = "check " ] && [ "$b" = "--check --chrome " ] &&
		[ "$c" = "H1,F1 H1,F2 H1,F3 " ] && [ "$e" = "legacy patched " ]
	check "bash completion: commands, options, check lists, modes" $? \
		"'$a' '$b' '$c' '$e'"
else
	skip "bash completion" "bash-completion is not installed"
fi

# The licence: the GPL version 2 that every SPDX line names
spdx=$(grep -rhoE 'SPDX-License-Identifier: [^ *]+' user bpf Makefile | sort -u | cut -d' ' -f2)
[ "$spdx" = GPL-2.0-only ] && grep -q 'GNU GENERAL PUBLIC LICENSE' LICENSE &&
	grep -q 'Version 2, June 1991' LICENSE
check "LICENSE is the GPL version 2 the SPDX lines name ($spdx)" $?

# debian/changelog is well formed and names this release
if command -v dpkg-parsechangelog >/dev/null; then
	v=$(dpkg-parsechangelog -l debian/changelog -S Version 2>&1)
	[ "$v" = "$(sed -n 's/^ESYNC_BASE_VERSION ?= //p' Makefile)" ]
	check "debian/changelog parses, version $v" $? "$v"
else
	skip "debian/changelog parses" "no dpkg-dev"
fi

tap_done
