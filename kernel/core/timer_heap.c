/*
 * The timer heap (kevlar/timer_heap.h): a complete binary tree kept in
 * heap order through its own pointers. Node k (1-based, k = 1 the root) is
 * reached from the root by the bits of k below its top bit, 0 = left and
 * 1 = right; the last node is node size. Moving a node up or down swaps it
 * with its parent in place (pointer surgery, no copying of timers).
 */
#include <kevlar/timer_heap.h>

void timer_heap_init(struct timer_heap *h)
{
	h->root = NULL;
	h->size = 0;
	h->next_seq = 0;
}

static bool before(const struct heap_node *a, const struct heap_node *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

/* Node number k (1 <= k <= size). */
static struct heap_node *node_at(const struct timer_heap *h, size_t k)
{
	struct heap_node *n = h->root;
	int bit = 63 - __builtin_clzll((unsigned long long)k);

	while (--bit >= 0)
		n = ((k >> bit) & 1) ? n->right : n->left;
	return n;
}

/* Point whatever pointed at old (its parent's child link, or the root) at new. */
static void replace_link(struct timer_heap *h, struct heap_node *parent, struct heap_node *old,
			 struct heap_node *new)
{
	if (!parent)
		h->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
}

/* n trades places with its parent p. */
static void swap_with_parent(struct timer_heap *h, struct heap_node *n)
{
	struct heap_node *p = n->parent, *g = p->parent;
	struct heap_node *nl = n->left, *nr = n->right;

	if (p->left == n) {
		n->left = p;
		n->right = p->right;
		if (n->right)
			n->right->parent = n;
	} else {
		n->right = p;
		n->left = p->left;
		if (n->left)
			n->left->parent = n;
	}
	p->left = nl;
	p->right = nr;
	if (nl)
		nl->parent = p;
	if (nr)
		nr->parent = p;
	replace_link(h, g, p, n);
	n->parent = g;
	p->parent = n;
}

static void sift_up(struct timer_heap *h, struct heap_node *n)
{
	while (n->parent && before(n, n->parent))
		swap_with_parent(h, n);
}

static void sift_down(struct timer_heap *h, struct heap_node *n)
{
	for (;;) {
		struct heap_node *c = n->left;

		if (n->right && before(n->right, c))
			c = n->right;
		if (!c || !before(c, n))
			return;
		swap_with_parent(h, c);
	}
}

void timer_heap_insert(struct timer_heap *h, struct heap_node *n)
{
	n->seq = h->next_seq++;
	n->left = n->right = NULL;
	n->queued = true;
	if (++h->size == 1) {
		n->parent = NULL;
		h->root = n;
		return;
	}
	n->parent = node_at(h, h->size >> 1);
	if (h->size & 1)
		n->parent->right = n;
	else
		n->parent->left = n;
	sift_up(h, n);
}

void timer_heap_remove(struct timer_heap *h, struct heap_node *n)
{
	struct heap_node *last = node_at(h, h->size);

	/* Detach the last node; if it is n, that is all. */
	replace_link(h, last->parent, last, NULL);
	h->size--;
	n->queued = false;
	if (last == n)
		return;
	/* The last node takes n's place, then moves to where it belongs. */
	last->parent = n->parent;
	last->left = n->left;
	last->right = n->right;
	if (last->left)
		last->left->parent = last;
	if (last->right)
		last->right->parent = last;
	replace_link(h, n->parent, n, last);
	sift_up(h, last);
	sift_down(h, last);
}
