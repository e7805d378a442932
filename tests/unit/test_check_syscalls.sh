#!/bin/sh
# kernel/tools/check_syscalls.sh on a tiny tree of its own: a three-line
# syscalls.def, a two-prototype syscalls.h and handlers compiled with the
# host gcc (-MMD, as the kernel build does). Each case states whether the
# check must pass and, if not, a piece of the message it must print.
#   usage: test_check_syscalls.sh KERNEL_DIR WORK_DIR
set -eu
kernel=$1 work=$2
checker=$kernel/tools/check_syscalls.sh
rm -rf "$work"
mkdir -p "$work/include/kevlar" "$work/obj"
cd "$work"

cat > syscalls.def <<'EOF'
# name x86_64 arm64 implemented
foo                      0    0    yes
xonly                    1    -    yes
bar                      2    2    -
EOF
cat > include/kevlar/syscalls.h <<'EOF'
long sys_foo(int a);
long sys_xonly(void);
EOF
cat > ghost.h <<'EOF'
long sys_foo(int a);
long sys_xonly(void);
long sys_ghost(int a);
EOF
handler() {     # handler FILE FUNCTION [no-include]
	{ [ "${3:-}" = no-include ] || echo '#include <kevlar/syscalls.h>'
	  echo "long $2(int a) { return a; }"; } > "$1.c"
	gcc -Wall -Werror -Iinclude -MMD -c "$1.c" -o "obj/$1.c.o"
}
handler foo sys_foo
{ echo '#include <kevlar/syscalls.h>'; echo 'long sys_xonly(void) { return 1; }'; } > xonly.c
gcc -Wall -Werror -Iinclude -MMD -c xonly.c -o obj/xonly.c.o
handler baz sys_baz             # no line in syscalls.def, not declared
handler bar sys_bar             # listed, not marked
handler noinc sys_foo no-include

failed=0 ran=0
case_() {       # case_ NAME pass|fail EXPECTED_TEXT ARCH HEADER OBJ...
	name=$1 want=$2 text=$3 arch=$4 hdr=$5
	shift 5
	ran=$((ran + 1))
	if out=$(sh "$checker" "$arch" syscalls.def "$hdr" "$@" 2>&1); then got=pass; else got=fail; fi
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: the check should $want, it did $got:"; echo "$out"; failed=$((failed + 1))
	elif [ -n "$text" ] && ! printf '%s\n' "$out" | grep -qF -- "$text"; then
		echo "FAIL $name: no \"$text\" in:"; echo "$out"; failed=$((failed + 1))
	else
		echo "ok   $name"
	fi
}
H=include/kevlar/syscalls.h
case_ consistent_tree_passes pass "" x86_64 $H obj/foo.c.o obj/xonly.c.o
case_ arm64_needs_no_handler_for_an_x86_only_syscall pass "" arm64 $H obj/foo.c.o
case_ marked_syscall_without_handler_fails fail \
	'syscalls.def marks "xonly" implemented, but no sys_xonly is defined for x86_64' \
	x86_64 $H obj/foo.c.o
case_ handler_without_a_line_fails fail \
	'sys_baz is defined in baz.c, but syscalls.def has no syscall "baz"' \
	x86_64 $H obj/foo.c.o obj/xonly.c.o obj/baz.c.o
case_ undeclared_handler_fails fail \
	'sys_baz is defined in baz.c, but include/kevlar/syscalls.h does not declare it' \
	x86_64 $H obj/foo.c.o obj/xonly.c.o obj/baz.c.o
case_ handler_of_unmarked_syscall_fails fail \
	'sys_bar is defined in bar.c, but syscalls.def does not mark "bar" implemented' \
	x86_64 $H obj/foo.c.o obj/xonly.c.o obj/bar.c.o
case_ handler_compiled_without_the_header_fails fail \
	'noinc.c defines sys_foo but does not include <kevlar/syscalls.h>' \
	x86_64 $H obj/noinc.c.o obj/xonly.c.o
{ echo 'long sys_foo(int a);'; echo 'extern long sys_xonly(void);'; } > extern.h
case_ declaration_the_check_cannot_read_fails fail \
	'extern.h:2: write each declaration on a line of its own that starts "long sys_<name>("' \
	x86_64 extern.h obj/foo.c.o obj/xonly.c.o
case_ declaration_of_unmarked_syscall_fails fail \
	'ghost.h declares sys_ghost, but syscalls.def has no syscall "ghost"' \
	x86_64 ghost.h obj/foo.c.o obj/xonly.c.o

# The compiler half: a definition that disagrees with its declaration does
# not compile, since every handler sees syscalls.h.
ran=$((ran + 1))
{ echo '#include <kevlar/syscalls.h>'; echo 'long sys_foo(long a) { return a; }'; } > wrong.c
if gcc -Wall -Werror -Iinclude -c wrong.c -o obj/wrong.c.o 2> wrong.err; then
	echo "FAIL wrong_prototype_does_not_compile: it compiled"; failed=$((failed + 1))
elif ! grep -q "conflicting types for .sys_foo" wrong.err; then
	echo "FAIL wrong_prototype_does_not_compile:"; cat wrong.err; failed=$((failed + 1))
else
	echo "ok   wrong_prototype_does_not_compile"
fi

if [ $failed -ne 0 ]; then
	echo "test_check_syscalls: $failed of $ran cases failed"; exit 1
fi
echo "test_check_syscalls: all $ran cases passed"
