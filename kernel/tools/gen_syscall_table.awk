# Turn core/syscalls.def into one architecture's dispatch table.
#   awk -v arch=x86_64|arm64 -f gen_syscall_table.awk core/syscalls.def
# Every syscall gets a weak reference to sys_<name>: an implemented one
# resolves to its handler, a missing one to NULL, which the dispatcher
# turns into -ENOSYS plus a one-time "unimplemented syscall" log line.
BEGIN {
	col = (arch == "x86_64") ? 2 : (arch == "arm64") ? 3 : 0
	if (!col) { print "gen_syscall_table.awk: unknown arch " arch > "/dev/stderr"; exit 1 }
	max = -1
}
/^#/ || NF == 0 { next }
NF != 3 { print "syscalls.def:" NR ": expected 'name x86_64_nr arm64_nr'" > "/dev/stderr"; bad = 1; exit 1 }
$col != "-" {
	if ($col in byname) { print "syscalls.def:" NR ": number " $col " used twice" > "/dev/stderr"; bad = 1; exit 1 }
	byname[$col] = $1
	if ($col + 0 > max) max = $col + 0
}
END {
	if (bad) exit 1
	print "/* Generated from core/syscalls.def by tools/gen_syscall_table.awk for " arch ". Do not edit. */"
	printf "#define SYSCALL_TABLE_SIZE %d\n\n", max + 1
	print "#ifdef SYSCALL_TABLE_DEFINE"
	for (nr = 0; nr <= max; nr++)
		if (nr in byname)
			printf "extern long sys_%s() __attribute__((weak));\n", byname[nr]
	print ""
	print "const struct syscall_desc syscall_table[SYSCALL_TABLE_SIZE] = {"
	for (nr = 0; nr <= max; nr++)
		if (nr in byname)
			printf "\t[%d] = { \"%s\", (syscall_fn_t)sys_%s },\n", nr, byname[nr], byname[nr]
	print "};"
	print "#endif"
}
