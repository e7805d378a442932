#!/bin/sh
# Check that the syscall list, the prototypes and the handlers agree for one
# architecture's objects. The kernel build runs it before it compiles the
# table (core/syscall.c) and links:
#   NM=nm tools/check_syscalls.sh ARCH core/syscalls.def include/kevlar/syscalls.h OBJ...
# It fails, with one line per problem, when
#  - a global sys_<name> function is defined in OBJ but syscalls.def has no
#    syscall <name>, or does not mark it implemented;
#  - syscalls.h does not declare a defined sys_<name>, or the source that
#    defines it does not include syscalls.h (its .d file, written by
#    gcc -MMD next to the object, does not list the header): either way the
#    compiler never compared the definition with the declaration;
#  - syscalls.def marks <name> implemented but syscalls.h does not declare
#    sys_<name>, or ARCH numbers <name> and no sys_<name> is defined for it;
#  - syscalls.h declares a sys_<name> that syscalls.def does not mark, or
#    mentions one outside a comment on a line not starting "long sys_".
# A handler for a syscall that only the other arch numbers (x86_64's open,
# fork, ... on arm64) may be compiled for both: the table has no slot for it
# there. Declarations are the lines of syscalls.h that start "long sys_".
set -eu
if [ $# -lt 3 ]; then
	echo "usage: NM=nm check_syscalls.sh ARCH SYSCALLS_DEF SYSCALLS_H OBJ..." >&2
	exit 2
fi
arch=$1 def=$2 hdr=$3
shift 3
for f in "$def" "$hdr"; do
	[ -r "$f" ] || { echo "check_syscalls: cannot read $f" >&2; exit 2; }
done

# "sys_<name> object" for every global function (T, or W if weak) named sys_*.
syms=$(mktemp)
trap 'rm -f "$syms" "$syms.nm"' EXIT
if [ $# -gt 0 ]; then
	"${NM:-nm}" -A -g --defined-only "$@" > "$syms.nm"
	awk '$(NF-1) ~ /^[TW]$/ && $NF ~ /^sys_/ { o = $1; sub(/:[^:]*$/, "", o); print $NF, o }' \
		"$syms.nm" > "$syms"
	rm -f "$syms.nm"
fi

awk -v arch="$arch" -v def="$def" -v hdr="$hdr" -v pwd="$PWD/" '
function problem(msg) { print "check_syscalls (" arch "): " msg > "/dev/stderr"; n++ }
# The source an object was compiled from, and whether it saw syscalls.h,
# from the .d file gcc -MMD wrote next to it ("obj: source header ...").
function read_deps(obj,    d, line, first, words, i, w) {
	if (obj in src) return
	d = obj; sub(/\.o$/, ".d", d)
	src[obj] = obj; sees[obj] = 0; first = 1
	while ((getline line < d) > 0) {
		words = split(line, w)
		for (i = 1; i <= words; i++) {
			if (w[i] == "\\" || w[i] ~ /:$/) continue
			if (first) { src[obj] = w[i]; first = 0 }
			if (w[i] ~ /(^|\/)include\/kevlar\/syscalls\.h$/) sees[obj] = 1
		}
	}
	close(d)
	if (first) {
		problem("cannot read " d " (the dependency file gcc -MMD writes for " obj ")")
		sees[obj] = 1   # reported once, above
	}
	if (index(src[obj], pwd) == 1) src[obj] = substr(src[obj], length(pwd) + 1)
}
BEGIN {
	col = (arch == "x86_64") ? 2 : (arch == "arm64") ? 3 : 0
	if (!col) { print "check_syscalls: unknown arch " arch > "/dev/stderr"; exit 2 }
}
FILENAME == def && !/^#/ && NF > 0 {
	listed[$1] = 1
	if ($4 == "yes") { marked[$1] = 1; if ($col != "-") numbered[$1] = 1 }
	next
}
FILENAME == hdr {
	if (match($0, /^long sys_[a-z0-9_]+[ \t]*\(/)) {
		name = substr($0, 10, RLENGTH - 9); sub(/[ \t]*\($/, "", name)
		declared[name] = 1
	} else if ($0 !~ /^[ \t]*(\/\*|\*)/ && $0 ~ /sys_[a-z0-9_]+[ \t]*\(/) {
		problem(hdr ":" FNR ": write each declaration on a line of its own that starts " \
			"\"long sys_<name>(\": the check reads only those")
	}
	next
}
FILENAME != def && FILENAME != hdr {
	name = substr($1, 5); obj = $2
	defined[name] = 1
	read_deps(obj)
	if (!(name in listed))
		problem("sys_" name " is defined in " src[obj] ", but " def " has no syscall \"" name "\": " \
			"sys_* names are for Linux syscalls; rename the function, or remove it if nothing calls it")
	else if (!(name in marked))
		problem("sys_" name " is defined in " src[obj] ", but " def " does not mark \"" name "\" " \
			"implemented: put yes in its fourth column")
	if (!(name in declared))
		problem("sys_" name " is defined in " src[obj] ", but " hdr " does not declare it: add its prototype there")
	if (!sees[obj])
		problem(src[obj] " defines sys_" name " but does not include <kevlar/syscalls.h>: include it, " \
			"so the compiler checks the definition against the declaration")
}
END {
	for (name in marked) {
		if (!(name in declared))
			problem(def " marks \"" name "\" implemented, but " hdr " does not declare sys_" name ": add its prototype there")
		if ((name in numbered) && !(name in defined))
			problem(def " marks \"" name "\" implemented, but no sys_" name " is defined for " arch \
				": define it, or put - in its fourth column")
	}
	for (name in declared)
		if (!(name in listed))
			problem(hdr " declares sys_" name ", but " def " has no syscall \"" name "\": " \
				"drop the declaration (sys_* names are for Linux syscalls)")
		else if (!(name in marked))
			problem(hdr " declares sys_" name ", but " def " does not mark \"" name "\" implemented: " \
				"put yes in its fourth column (and define sys_" name "), or drop the declaration")
	if (n) {
		printf "check_syscalls (%s): %d problem(s); kernel/README.md, \"Syscalls\", says how the pieces fit\n", arch, n > "/dev/stderr"
		exit 1
	}
}
' "$def" "$hdr" "$syms"
