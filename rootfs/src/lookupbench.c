/*
 * Name lookup for make bench (farm/bench.py), timed from the host:
 * `lookupbench N R` makes a directory of N empty files under /tmp, then
 * stats every one of them R times (N * R lookups of a name among N), and
 * removes it all again. What it measures is the kernel's path lookup in a
 * big directory, as exec and the dynamic loader meet in /usr/bin and
 * /usr/lib. Prints nothing on success; a failure is a message and exit
 * status 1.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[1]) : 0, rounds = argc > 2 ? atol(argv[2]) : 0;
	char dir[64], name[96];
	struct stat st;
	int fd;

	if (argc != 3 || n <= 0 || rounds <= 0 || n > 1000000) {
		fprintf(stderr, "usage: lookupbench FILES ROUNDS\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "/tmp/lookupbench.%d", (int)getpid());
	if (mkdir(dir, 0755)) {
		perror("lookupbench: mkdir");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/file-%ld", dir, i);
		if ((fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644)) < 0) {
			perror(name);
			return 1;
		}
		close(fd);
	}
	for (long r = 0; r < rounds; r++)
		for (long i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "%s/file-%ld", dir, i);
			if (stat(name, &st) || !S_ISREG(st.st_mode)) {
				perror(name);
				return 1;
			}
		}
	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/file-%ld", dir, i);
		if (unlink(name)) {
			perror(name);
			return 1;
		}
	}
	if (rmdir(dir)) {
		perror("lookupbench: rmdir");
		return 1;
	}
	return 0;
}
