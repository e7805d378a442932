/*
 * Kernel command line parsing, following Linux's rules so the same boot
 * configuration works for both kernels (see kevlar/cmdline.h).
 *
 * Each word is unquoted into the free tail of out->storage. Words that go
 * to init (argv/envp) stay there; anything else is consumed and its space
 * reused by the next word, so storage holds only what init needs.
 */

#include <kevlar/cmdline.h>
#include <kevlar/format.h>
#include <kevlar/string.h>

struct parser {
	struct kernel_cmdline *out;
	size_t used;           /* bytes of out->storage kept for init */
	char *errbuf;
	size_t errlen;
	int problems;
};

/*
 * Linux options that Kevlar accepts but has no use for. Linux consumes
 * them, so they must not leak into init's argv or environment either.
 */
static const char *const ignored_linux_options[] = {
	"ro", "rw", "root", "rootfstype", "rootflags", "rootwait", "rootdelay",
	"panic", "earlyprintk", "earlycon", "nokaslr", "noapic", "nomodeset",
	"splash", "ip", "initrd", "mitigations", "nosmp", "maxcpus", "mem",
	"norandmaps", "printk.time",
};

__attribute__((format(printf, 2, 3)))
static void problem(struct parser *p, const char *fmt, ...)
{
	size_t len = p->errbuf && p->errlen ? strlen(p->errbuf) : 0;
	va_list ap;

	p->problems++;
	if (!p->errbuf || len + 1 >= p->errlen)
		return;
	if (len > 0)
		len += (size_t)ksnprintf(p->errbuf + len, p->errlen - len, "; ");
	if (len + 1 >= p->errlen)
		return;
	va_start(ap, fmt);
	kvsnprintf(p->errbuf + len, p->errlen - len, fmt, ap);
	va_end(ap);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

/*
 * Copy the next word of *linep, without its double quotes, into dst (of
 * size bytes). Returns the unquoted length, or -1 at the end of the line.
 * A word longer than dst is still consumed; the result is then >= size.
 */
static long next_word(const char **linep, char *dst, size_t size)
{
	const char *s = *linep;
	bool quoted = false;
	size_t n = 0;

	while (is_space(*s))
		s++;
	if (!*s) {
		*linep = s;
		return -1;
	}
	for (; *s && (quoted || !is_space(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			dst[n] = *s;
		n++;
	}
	if (size)
		dst[n < size ? n : size - 1] = '\0';
	*linep = s;
	return (long)n;
}

static void set_string(struct parser *p, const char *name, char *field,
		       size_t size, const char *value)
{
	if (!value || !*value) {
		problem(p, "%s: expected a value", name);
		return;
	}
	if (strlcpy(field, value, size) >= size) {
		field[0] = '\0';
		problem(p, "%s: value too long (max %zu characters)", name, size - 1);
	}
}

static void set_loglevel(struct parser *p, const char *value)
{
	unsigned long level;

	if (!value || kstrtoul(value, 10, &level) != 0 || level > 7) {
		problem(p, "loglevel: expected 0-7, got \"%s\"", value ? value : "");
		return;
	}
	p->out->loglevel = (int)level;
}

static void set_trace(struct parser *p, const char *value)
{
	static const struct { const char *name; unsigned flag; } events[] = {
		{ "exec", TRACE_EXEC },
		{ "syscall", TRACE_SYSCALL },
		{ "sched", TRACE_SCHED },
		{ "all", TRACE_ALL },
	};
	const char *item = value ? value : "";

	if (!*item) {
		problem(p, "kevlar.trace: expected a list of events "
			"(known: exec, syscall, sched)");
		return;
	}
	while (*item) {
		const char *comma = strchr(item, ',');
		size_t len = comma ? (size_t)(comma - item) : strlen(item);
		bool known = false;

		for (size_t i = 0; i < ARRAY_SIZE(events); i++) {
			if (strlen(events[i].name) == len &&
			    strncmp(events[i].name, item, len) == 0) {
				p->out->trace_flags |= events[i].flag;
				known = true;
			}
		}
		if (!known && len > 0)
			problem(p, "kevlar.trace: unknown event \"%.*s\" "
				"(known: exec, syscall, sched)", (int)len, item);
		item += len + (comma ? 1 : 0);
	}
}

/* kevlar.debug=locks: run-time checks that cost time, off by default. */
static void set_debug(struct parser *p, const char *value)
{
	const char *item = value ? value : "";

	if (!*item) {
		problem(p, "kevlar.debug: expected a list of checks (known: locks)");
		return;
	}
	while (*item) {
		const char *comma = strchr(item, ',');
		size_t len = comma ? (size_t)(comma - item) : strlen(item);

		if (len == 5 && strncmp(item, "locks", 5) == 0)
			p->out->debug_flags |= DEBUG_LOCKS;
		else if (len > 0)
			problem(p, "kevlar.debug: unknown check \"%.*s\" (known: locks)",
				(int)len, item);
		item += len + (comma ? 1 : 0);
	}
}

/* Returns true if the kernel consumed name[=value]. */
static bool kernel_option(struct parser *p, const char *name, const char *value)
{
	struct kernel_cmdline *out = p->out;

	if (strcmp(name, "console") == 0) {
		set_string(p, name, out->console, sizeof(out->console), value);
	} else if (strcmp(name, "init") == 0) {
		set_string(p, name, out->init, sizeof(out->init), value);
	} else if (strcmp(name, "rdinit") == 0) {
		set_string(p, name, out->rdinit, sizeof(out->rdinit), value);
	} else if (strcmp(name, "loglevel") == 0) {
		set_loglevel(p, value);
	} else if (strcmp(name, "kevlar.trace") == 0) {
		set_trace(p, value);
	} else if (strcmp(name, "kevlar.debug") == 0) {
		set_debug(p, value);
	} else if (strcmp(name, "kevlar.semihosting") == 0) {
		if (value)
			problem(p, "kevlar.semihosting takes no value, got \"%s\"", value);
		else
			out->semihosting = true;
	} else if (strcmp(name, "quiet") == 0 && !value) {
		/* As Linux: only warnings and worse, unless loglevel= says otherwise. */
		if (out->loglevel < 0)
			out->loglevel = 4;
	} else if (strcmp(name, "debug") == 0 && !value) {
		out->loglevel = 8;   /* everything; printk's maximum */
	} else if (strncmp(name, "kevlar.", 7) == 0) {
		problem(p, "unknown kevlar option \"%s\"", name);
	} else if (strchr(name, '.')) {
		/* A module parameter (foo.bar=1): not ours, not init's. */
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(ignored_linux_options); i++) {
			if (strcmp(name, ignored_linux_options[i]) == 0)
				return true;
		}
		return false;
	}
	return true;
}

/* Keep the word at storage[used] for init, if there is room in the array. */
static void keep_for_init(struct parser *p, char **array, int *count,
			  const char *what, size_t wordlen)
{
	if (*count >= CMDLINE_MAX_ARGS - 1) {
		problem(p, "too many init %s (max %d): dropped \"%s\"", what,
			CMDLINE_MAX_ARGS - 1, p->out->storage + p->used);
		return;
	}
	array[(*count)++] = p->out->storage + p->used;
	array[*count] = NULL;
	p->used += wordlen + 1;
}

int cmdline_parse(const char *line, struct kernel_cmdline *out,
		  char *errbuf, size_t errlen)
{
	struct parser p = { .out = out, .errbuf = errbuf, .errlen = errlen };
	bool only_init_args = false, first = true;

	memset(out, 0, sizeof(*out));
	out->loglevel = -1;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	if (!line)
		return 0;

	for (;;) {
		char *word = out->storage + p.used;
		size_t room = sizeof(out->storage) - p.used;
		long len = next_word(&line, word, room);
		bool was_first = first;
		char *eq;

		if (len < 0)
			break;
		first = false;
		if ((size_t)len >= room) {
			problem(&p, "command line too long: dropped a word starting \"%.16s\"",
				word);
			continue;
		}
		if (only_init_args) {
			keep_for_init(&p, out->argv_init, &out->argc_init,
				      "arguments", (size_t)len);
			continue;
		}
		if (strcmp(word, "--") == 0) {
			only_init_args = true;
			continue;
		}

		eq = strchr(word, '=');
		if (eq)
			*eq = '\0';
		if (kernel_option(&p, word, eq ? eq + 1 : NULL))
			continue;
		if (eq) {
			*eq = '=';
			keep_for_init(&p, out->envp_init, &out->envc_init,
				      "environment variables", (size_t)len);
			continue;
		}
		/*
		 * Boot loaders may put the kernel image first: iPXE its URI,
		 * QEMU's multiboot loader the file name as given (often a
		 * relative path). A word with a '/' is never an init runlevel.
		 */
		if (was_first && strchr(word, '/'))
			continue;
		keep_for_init(&p, out->argv_init, &out->argc_init, "arguments",
			      (size_t)len);
	}
	return p.problems;
}
