#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The front end as a package ships it: --version, and the output files of
# record and export: never through a symbolic link, no overwrite without
# --force, mode 0600, 'record -o -' to stdout.  Every file it touches is
# in a temporary directory.  Prints TAP 13.

O=${O:-build}
ESYNC=$(cd "$(dirname "$O/esync")" && pwd)/esync
DATA=$PWD/tests/data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

. "$(dirname "$0")/../harness/tap.sh"
mode() { stat -c %a "$1"; }

echo "TAP version 13"

# --version and 'version' print the same line, from git describe or the release
want=$(sed -n 's/^#define ESYNC_VERSION "\(.*\)"$/\1/p' "$O/gen/esync-version.h")
v1=$("$ESYNC" --version); r1=$?
v2=$("$ESYNC" version); r2=$?
[ $r1 = 0 ] && [ $r2 = 0 ] && [ "$v1" = "esync $want" ] && [ "$v1" = "$v2" ]
check "--version and version print 'esync $want'" $? "got '$v1' / '$v2'"
base=$(sed -n 's/^ESYNC_BASE_VERSION ?= //p' Makefile)
case $want in
"$base" | "$base+g"*) ok "the version starts with the Makefile's release $base" ;;
*) not_ok "the version starts with the Makefile's release $base" "got '$want'" ;;
esac
deb=$(sed -n '1s/^esync (\([^)-]*\).*/\1/p' debian/changelog)
[ "$deb" = "$base" ]
check "debian/changelog's version is the Makefile's release" $? "changelog $deb, Makefile $base"
"$ESYNC" --help | grep -q '^  version ' 
check "--help lists version" $?

# export -o: a new file 0600 whatever the umask
cd "$TMP" || exit 1
(umask 022; "$ESYNC" export --chrome -o t.json "$DATA/clean-vtd-pasid.dump")
[ $? = 0 ] && [ "$(mode t.json)" = 600 ]
check "export -o writes a new file 0600 (umask 022)" $? "mode $(mode t.json 2>&1)"

# ... refuses an existing file without --force, with one line naming --force
echo keep > old.json
err=$("$ESYNC" export --chrome -o old.json "$DATA/clean-vtd-pasid.dump" 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] && [ "$(cat old.json)" = keep ] &&
	[ "$err" = "esync: export: old.json exists; use --force to overwrite it" ]
check "export -o refuses an existing file without --force" $? "exit $rc" "stderr: $err"

chmod 644 old.json
"$ESYNC" export --chrome --force -o old.json "$DATA/clean-vtd-pasid.dump"; rc=$?
[ $rc = 0 ] && [ "$(mode old.json)" = 600 ] && grep -q traceEvents old.json
check "export --force overwrites it and makes it 0600" $? "exit $rc, mode $(mode old.json)"

# ... never writes through a symbolic link, forced or not
echo target > target
ln -s target link
ln -s nowhere dangling
err=$("$ESYNC" export --chrome -o link "$DATA/clean-vtd-pasid.dump" 2>&1); rc1=$?
"$ESYNC" export --chrome --force -o link "$DATA/clean-vtd-pasid.dump" 2>/dev/null; rc2=$?
"$ESYNC" export --chrome --force -o dangling "$DATA/clean-vtd-pasid.dump" 2>/dev/null; rc3=$?
[ $rc1 = 2 ] && [ $rc2 = 2 ] && [ $rc3 = 2 ] && [ "$(cat target)" = target ] &&
	[ ! -e nowhere ] && [ "$(mode target)" = 644 ] && [[ $err == *"is a symbolic link"* ]]
check "export -o never follows a symbolic link (with --force too)" $? "exits $rc1 $rc2 $rc3" "$err"

# record: the same checks, made before it attaches anything (no BPF needed)
err=$("$ESYNC" record -o old.json --duration 1 2>&1); rc=$?
[ $rc = 2 ] && [ "$err" = "esync: record: old.json exists; use --force to overwrite it" ] &&
	grep -q traceEvents old.json
check "record -o refuses an existing file without --force" $? "exit $rc" "stderr: $err"
err=$("$ESYNC" record -o link --force --duration 1 2>&1); rc=$?
[ $rc = 2 ] && [ "$(cat target)" = target ] && [[ $err == *"link is a symbolic link"* ]]
check "record -o --force never follows a symbolic link" $? "exit $rc" "stderr: $err"
"$ESYNC" record -o dangling --duration 1 2>/dev/null; rc=$?
[ $rc = 2 ] && [ ! -e nowhere ]
check "record -o never creates a dangling link's target" $? "exit $rc"
"$ESYNC" record --force --help | grep -q -- '--force'
check "record --help describes --force and -o -" $?

# record for real: needs root and BPF on this machine
if ! "$ESYNC" --help | grep -q '^  record '; then
	skip "record writes a 0600 dump" "esync was built without BPF (no clang or bpftool)"
	skip "record -o - writes the dump to stdout" "esync was built without BPF"
elif [ "$(id -u)" != 0 ]; then
	skip "record writes a 0600 dump" "needs root"
	skip "record -o - writes the dump to stdout" "needs root"
else
	(umask 022; timeout 60 "$ESYNC" record -o new.dump --duration 0.5 >out 2>err); rc=$?
	if [ $rc = 2 ] && [ ! -e new.dump ]; then
		skip "record writes a 0600 dump" "record cannot trace here: $(grep -m1 -v '^esync:   ' err)"
		skip "record -o - writes the dump to stdout" "record cannot trace here"
	else
		[ -f new.dump ] && [ "$(mode new.dump)" = 600 ] &&
			[ "$(head -c 8 new.dump)" = ESYNCDMP ]
		check "record writes a 0600 dump" $? "exit $rc, mode $(mode new.dump 2>&1)" \
			"$(tail -n 2 err)"
		# exit 4: nothing checked, on a host where no entry write happens
		timeout 60 "$ESYNC" record -o - --duration 0.5 >stdout.dump 2>err; rc=$?
		{ [ $rc -le 1 ] || [ $rc = 4 ]; } && [ ! -e ./- ] && [ "$(head -c 8 stdout.dump)" = ESYNCDMP ] &&
			"$ESYNC" check stdout.dump >/dev/null 2>&1; crc=$?
		{ [ $rc -le 1 ] || [ $rc = 4 ]; } && [ ! -e ./- ] && [ "$(head -c 8 stdout.dump)" = ESYNCDMP ] &&
			[ $crc != 2 ]
		check "record -o - writes the dump to stdout (no file '-')" $? "exit $rc, check exit $crc" \
			"$(tail -n 2 err)"
	fi
fi
if { : >/dev/tty; } 2>/dev/null; then
	"$ESYNC" record -o - --duration 1 >/dev/tty 2>/dev/null </dev/null
	rc=$?
	[ $rc = 2 ]
	check "record -o - refuses a terminal on stdout" $? "exit $rc"
else
	skip "record -o - refuses a terminal on stdout" "no terminal here"
fi

tap_done
