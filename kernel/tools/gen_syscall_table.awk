# Turn core/syscalls.def into one architecture's dispatch table.
#   awk -v arch=x86_64|arm64 -f gen_syscall_table.awk core/syscalls.def
# A syscall marked implemented ("yes" in the fourth column) points at its
# sys_<name>, declared in include/kevlar/syscalls.h (core/syscall.c includes
# it before the table); any other one has a NULL handler, which the
# dispatcher turns into -ENOSYS plus a one-time "unimplemented syscall" log
# line. tools/check_syscalls.sh makes sure the marks and the defined sys_*
# functions agree.
BEGIN {
	col = (arch == "x86_64") ? 2 : (arch == "arm64") ? 3 : 0
	if (!col) { print "gen_syscall_table.awk: unknown arch " arch > "/dev/stderr"; exit 1 }
	max = -1
}
/^#/ || NF == 0 { next }
NF != 4 || ($4 != "yes" && $4 != "-") {
	print "syscalls.def:" NR ": expected 'name x86_64_nr arm64_nr yes|-'" > "/dev/stderr"
	bad = 1; exit 1
}
$col != "-" {
	if ($col in byname) { print "syscalls.def:" NR ": number " $col " used twice" > "/dev/stderr"; bad = 1; exit 1 }
	byname[$col] = $1
	impl[$col] = ($4 == "yes")
	if ($col + 0 > max) max = $col + 0
}
END {
	if (bad) exit 1
	print "/* Generated from core/syscalls.def by tools/gen_syscall_table.awk for " arch ". Do not edit. */"
	printf "#define SYSCALL_TABLE_SIZE %d\n\n", max + 1
	print "#ifdef SYSCALL_TABLE_DEFINE"
	# Each handler has its own prototype; the cast through void (*)(void)
	# tells gcc (-Wcast-function-type) that calling it with six longs is
	# meant (see the ABI note in kevlar/syscalls.h).
	print "const struct syscall_desc syscall_table[SYSCALL_TABLE_SIZE] = {"
	for (nr = 0; nr <= max; nr++)
		if (nr in byname)
			printf "\t[%d] = { \"%s\", %s },\n", nr, byname[nr],
				impl[nr] ? "(syscall_fn_t)(void (*)(void))sys_" byname[nr] : "NULL"
	print "};"
	print "#endif"
}
