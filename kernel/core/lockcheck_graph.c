/*
 * The lock checker's bookkeeping (see kevlar/lockcheck.h): lock classes by
 * name, the order pairs seen ("B was taken while A was held", with both
 * code sites), and the held-lock stacks the caller passes in. Nothing here
 * knows about tasks, interrupts or the CPU: core/lockcheck.c chooses the
 * context and serialises calls (interrupts off), and host unit tests call
 * it directly (tests/unit/test_lockcheck.c).
 *
 * Fixed-size tables, no allocation: the checker must work inside kmalloc's
 * own lock. When a table is full the checker says so once and stops
 * recording new classes or pairs (it never reports a false inversion).
 */
#include <kevlar/lockcheck.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>

#define MAX_CLASSES     64
#define MAX_PAIRS       512
#define MAX_REPORTED    128

/* "A then B": B was taken while A was held. */
struct order_pair {
	const char *held_site;  /* where A was taken */
	const char *site;       /* where B was taken, with A held */
	bool reported;          /* its inversion has been reported */
};

static const char *class_names[MAX_CLASSES];
static int nr_classes;
/* pair_index[a][b]: 1 + index into pairs of "a then b", 0 when never seen. */
static uint16_t pair_index[MAX_CLASSES][MAX_CLASSES];
static struct order_pair pairs[MAX_PAIRS];
static int nr_pairs;
static bool classes_full_said, pairs_full_said, stack_full_said;

/* Reports made once per (kind of report, key): keys are sites or lock sites. */
enum report_kind {
	REPORT_SLEEP, REPORT_UNLOCK, REPORT_RECURSION, REPORT_IN_IRQ, REPORT_USER_RETURN,
	REPORT_WAIT,
};
static struct { enum report_kind kind; const void *key; } reported[MAX_REPORTED];
static int nr_reported;
static unsigned nr_warnings;

/*
 * A class name for printing: SPINLOCK_INIT("x") and MUTEX_INIT("x") spell
 * their argument out quotes and all; drop them.
 */
static const char *label(const char *name)
{
	static char buf[4][64];
	static int next;
	size_t n;
	char *b;

	if (!name)
		return "(unnamed)";
	n = strlen(name);
	if (n < 2 || name[0] != '"' || name[n - 1] != '"')
		return name;
	b = buf[next++ % 4];
	n = MIN(n - 2, sizeof(buf[0]) - 1);
	memcpy(b, name + 1, n);
	b[n] = '\0';
	return b;
}

static const char *site_name(const char *site)
{
	return site ? site : "(see backtrace)";
}

/* True the first time (kind, key) is seen; afterwards the report is skipped. */
static bool first_report(enum report_kind kind, const void *key)
{
	for (int i = 0; i < nr_reported; i++)
		if (reported[i].kind == kind && reported[i].key == key)
			return false;
	if (nr_reported < MAX_REPORTED) {
		reported[nr_reported].kind = kind;
		reported[nr_reported].key = key;
		nr_reported++;
	}
	return true;
}

static void warning_done(void)
{
	nr_warnings++;
	lockcheck_dump_stack();
}

/* The class of map, registered on first use; -1 when the table is full. */
static int class_of(struct lockcheck_map *map)
{
	const char *name = map->name ? map->name : "(unnamed)";

	if (map->class_id > 0 && map->class_id <= nr_classes &&
	    (class_names[map->class_id - 1] == name ||
	     strcmp(class_names[map->class_id - 1], name) == 0))
		return map->class_id - 1;
	for (int i = 0; i < nr_classes; i++) {
		if (strcmp(class_names[i], name) == 0) {
			map->class_id = i + 1;
			return i;
		}
	}
	if (nr_classes == MAX_CLASSES) {
		if (!classes_full_said)
			pr_warn("lockcheck: more than %d lock classes, not checking \"%s\" and newer\n",
				MAX_CLASSES, label(name));
		classes_full_said = true;
		return -1;
	}
	class_names[nr_classes] = name;
	map->class_id = ++nr_classes;
	return nr_classes - 1;
}

static struct order_pair *pair_get(int a, int b)
{
	uint16_t i = pair_index[a][b];

	return i ? &pairs[i - 1] : NULL;
}

static void pair_add(int a, int b, const char *held_site, const char *site)
{
	if (nr_pairs == MAX_PAIRS) {
		if (!pairs_full_said)
			pr_warn("lockcheck: more than %d lock order pairs, not recording more\n",
				MAX_PAIRS);
		pairs_full_said = true;
		return;
	}
	pairs[nr_pairs] = (struct order_pair){ .held_site = held_site, .site = site };
	pair_index[a][b] = (uint16_t)++nr_pairs;
}

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case LOCK_KIND_SPIN: return "spin lock";
	case LOCK_KIND_NESTING: return "nesting mutex";
	default: return "mutex";
	}
}

/*
 * Taking class c at site while h is held: check against the reverse pair,
 * then remember this one.
 */
static void check_order(const struct lockcheck_held *h, int hc, int c, const char *site)
{
	struct order_pair *reverse = pair_get(c, hc), *same;

	if (!pair_get(hc, c))
		pair_add(hc, c, h->site, site);
	if (reverse && !reverse->reported) {
		/* The pair is reported: neither order of it is reported again. */
		reverse->reported = true;
		if ((same = pair_get(hc, c)))
			same->reported = true;
		pr_warn("lockcheck: WARNING: lock order inversion between \"%s\" and \"%s\"\n",
			label(class_names[hc]), label(class_names[c]));
		pr_warn("lockcheck:   now:     \"%s\" (taken at %s) held while taking \"%s\" at %s\n",
			label(class_names[hc]), site_name(h->site), label(class_names[c]),
			site_name(site));
		pr_warn("lockcheck:   earlier: \"%s\" (taken at %s) held while taking \"%s\" at %s\n",
			label(class_names[c]), site_name(reverse->held_site), label(class_names[hc]),
			site_name(reverse->site));
		warning_done();
	}
}

void lockcheck_acquire(struct lockcheck_ctx *ctx, struct lockcheck_map *map,
		       enum lock_kind kind, bool trylock, const char *site)
{
	int c = class_of(map);

	for (int i = ctx->depth - 1; i >= 0; i--) {
		struct lockcheck_held *h = &ctx->held[i];

		if (h->map != map)
			continue;
		if (kind == LOCK_KIND_NESTING) {
			h->count++;     /* fs_lock nests: only the outermost counts */
			return;
		}
		if (first_report(REPORT_RECURSION, site)) {
			pr_warn("lockcheck: WARNING: recursive %s of \"%s\" at %s "
				"(already taken at %s): deadlock\n", kind_name(kind),
				label(map->name), site_name(site), site_name(h->site));
			warning_done();
		}
		return;
	}
	if (c >= 0 && !trylock) {
		for (int i = 0; i < ctx->depth; i++) {
			struct lockcheck_held *h = &ctx->held[i];
			int hc = h->map->class_id - 1;

			if (hc >= 0 && hc != c)
				check_order(h, hc, c, site);
		}
	}
	if (ctx->depth == LOCKCHECK_MAX_HELD) {
		if (!stack_full_said)
			pr_warn("lockcheck: more than %d locks held at %s, not tracking the rest\n",
				LOCKCHECK_MAX_HELD, site_name(site));
		stack_full_said = true;
		ctx->untracked++;
		return;
	}
	ctx->held[ctx->depth++] = (struct lockcheck_held){
		.map = map, .site = site, .kind = (uint16_t)kind, .count = 1,
	};
}

bool lockcheck_release(struct lockcheck_ctx *ctx, struct lockcheck_map *map, const char *site)
{
	for (int i = ctx->depth - 1; i >= 0; i--) {
		struct lockcheck_held *h = &ctx->held[i];

		if (h->map != map)
			continue;
		if (--h->count > 0)
			return true;
		/* Out-of-order release is allowed: close the gap. */
		memmove(&ctx->held[i], &ctx->held[i + 1],
			(size_t)(ctx->depth - 1 - i) * sizeof(ctx->held[0]));
		ctx->depth--;
		return true;
	}
	if (ctx->untracked > 0) {
		ctx->untracked--;       /* probably one we could not record */
		return true;
	}
	if (first_report(REPORT_UNLOCK, site)) {
		pr_warn("lockcheck: WARNING: releasing \"%s\" at %s, which this context does not hold\n",
			label(map->name), site_name(site));
		warning_done();
	}
	return false;
}

bool lockcheck_sleep(struct lockcheck_ctx *ctx, const char *site, int preempt_count,
		     bool in_irq, bool irqs_off)
{
	for (int i = ctx->depth - 1; i >= 0; i--) {
		struct lockcheck_held *h = &ctx->held[i];

		if (h->kind == LOCK_KIND_MUTEX || h->kind == LOCK_KIND_NESTING)
			continue;
		/* Once per place the lock was taken: one bug, one report. */
		if (first_report(REPORT_SLEEP, h->site)) {
			pr_warn("lockcheck: WARNING: may sleep at %s while holding %s \"%s\" "
				"(taken at %s)\n", site_name(site), kind_name(h->kind),
				label(h->map->name), site_name(h->site));
			warning_done();
		}
		return true;
	}
	if (in_irq || preempt_count > 0 || irqs_off) {
		if (first_report(REPORT_SLEEP, site)) {
			if (in_irq)
				pr_warn("lockcheck: WARNING: may sleep at %s in an interrupt handler\n",
					site_name(site));
			else if (preempt_count > 0)
				pr_warn("lockcheck: WARNING: may sleep at %s with preemption "
					"disabled (count %d)\n", site_name(site), preempt_count);
			else
				pr_warn("lockcheck: WARNING: may sleep at %s with interrupts "
					"disabled\n", site_name(site));
			warning_done();
		}
		return true;
	}
	return false;
}

bool lockcheck_wait(struct lockcheck_ctx *ctx, const char *site)
{
	for (int i = ctx->depth - 1; i >= 0; i--) {
		struct lockcheck_held *h = &ctx->held[i];

		if (h->kind != LOCK_KIND_NESTING)
			continue;
		if (first_report(REPORT_WAIT, h->site)) {
			pr_warn("lockcheck: WARNING: waits for an event at %s while holding %s \"%s\" "
				"(taken at %s): whoever brings the event may need it\n",
				site_name(site), kind_name(h->kind), label(h->map->name),
				site_name(h->site));
			warning_done();
		}
		return true;
	}
	return false;
}

void lockcheck_in_irq(struct lockcheck_map *map, enum lock_kind kind, const char *site)
{
	if (kind == LOCK_KIND_SPIN || !first_report(REPORT_IN_IRQ, site))
		return;
	pr_warn("lockcheck: WARNING: %s \"%s\" taken at %s in an interrupt handler\n",
		kind_name(kind), label(map->name), site_name(site));
	warning_done();
}

bool lockcheck_user_return(struct lockcheck_ctx *ctx, const char *what, int preempt_count)
{
	if (ctx->depth > 0) {
		struct lockcheck_held *h = &ctx->held[ctx->depth - 1];

		if (first_report(REPORT_USER_RETURN, h->site)) {
			pr_warn("lockcheck: WARNING: %s returns to user space holding %s \"%s\" "
				"(taken at %s)\n", what, kind_name(h->kind), label(h->map->name),
				site_name(h->site));
			warning_done();
		}
		return true;
	}
	if (preempt_count != 0) {
		if (first_report(REPORT_USER_RETURN, what)) {
			pr_warn("lockcheck: WARNING: %s returns to user space with preempt count %d\n",
				what, preempt_count);
			warning_done();
		}
		return true;
	}
	return false;
}

bool lockcheck_holds(const struct lockcheck_ctx *ctx, const struct lockcheck_map *map)
{
	for (int i = 0; i < ctx->depth; i++)
		if (ctx->held[i].map == map)
			return true;
	return false;
}

unsigned lockcheck_warnings(void)
{
	return nr_warnings;
}

void lockcheck_reset(void)
{
	memset(class_names, 0, sizeof(class_names));
	memset(pair_index, 0, sizeof(pair_index));
	nr_classes = nr_pairs = nr_reported = 0;
	nr_warnings = 0;
	classes_full_said = pairs_full_said = stack_full_said = false;
}
