/*
 * Byte FIFO over caller storage. The state is (head, used) rather than
 * (head, tail) so that full and empty are distinct without wasting a slot
 * and without requiring a power-of-two capacity.
 */

#include <kevlar/ringbuf.h>
#include <kevlar/string.h>

/* Physical index of the byte offset bytes after head (offset <= cap). */
static size_t ring_index(const struct ringbuf *rb, size_t offset)
{
	size_t i = rb->head + offset;

	/* head < cap and offset <= cap, so one subtraction suffices. */
	return i >= rb->cap ? i - rb->cap : i;
}

void ringbuf_init(struct ringbuf *rb, void *storage, size_t cap)
{
	rb->data = storage;
	rb->cap = cap;
	rb->head = 0;
	rb->used = 0;
}

void ringbuf_clear(struct ringbuf *rb)
{
	rb->head = 0;
	rb->used = 0;
}

size_t ringbuf_write_span(const struct ringbuf *rb, char **ptr)
{
	size_t tail;

	if (rb->used == rb->cap) {
		*ptr = NULL;
		return 0;
	}
	tail = ring_index(rb, rb->used);
	*ptr = rb->data + tail;
	/* Free space runs to the end of storage, or up to head if it wrapped. */
	if (tail >= rb->head)
		return rb->cap - tail;
	return rb->head - tail;
}

void ringbuf_produce(struct ringbuf *rb, size_t n)
{
	if (n > rb->cap - rb->used)
		n = rb->cap - rb->used;
	rb->used += n;
}

size_t ringbuf_read_span(const struct ringbuf *rb, const char **ptr)
{
	size_t to_end = rb->cap - rb->head;

	if (rb->used == 0) {
		*ptr = NULL;
		return 0;
	}
	*ptr = rb->data + rb->head;
	return rb->used < to_end ? rb->used : to_end;
}

void ringbuf_consume(struct ringbuf *rb, size_t n)
{
	if (n > rb->used)
		n = rb->used;
	rb->head = ring_index(rb, n);
	rb->used -= n;
	/* Restart at 0 when empty so later spans are as long as possible. */
	if (rb->used == 0)
		rb->head = 0;
}

size_t ringbuf_put(struct ringbuf *rb, const void *buf, size_t n)
{
	const char *src = buf;
	size_t done = 0;

	while (done < n) {
		char *dst;
		size_t span = ringbuf_write_span(rb, &dst);

		if (span == 0)
			break;
		if (span > n - done)
			span = n - done;
		memcpy(dst, src + done, span);
		ringbuf_produce(rb, span);
		done += span;
	}
	return done;
}

bool ringbuf_put_all(struct ringbuf *rb, const void *buf, size_t n)
{
	if (n > ringbuf_free(rb))
		return false;
	ringbuf_put(rb, buf, n);
	return true;
}

bool ringbuf_put_byte(struct ringbuf *rb, char c)
{
	if (rb->used == rb->cap)
		return false;
	rb->data[ring_index(rb, rb->used)] = c;
	rb->used++;
	return true;
}

size_t ringbuf_peek(const struct ringbuf *rb, size_t offset, void *buf, size_t n)
{
	char *dst = buf;
	size_t first;

	if (offset >= rb->used)
		return 0;
	if (n > rb->used - offset)
		n = rb->used - offset;
	/* At most two pieces: up to the end of storage, then from its start. */
	first = rb->cap - ring_index(rb, offset);
	if (first > n)
		first = n;
	memcpy(dst, rb->data + ring_index(rb, offset), first);
	memcpy(dst + first, rb->data, n - first);
	return n;
}

unsigned char ringbuf_at(const struct ringbuf *rb, size_t offset)
{
	return (unsigned char)rb->data[ring_index(rb, offset)];
}

size_t ringbuf_get(struct ringbuf *rb, void *buf, size_t n)
{
	n = ringbuf_peek(rb, 0, buf, n);
	ringbuf_consume(rb, n);
	return n;
}

int ringbuf_get_byte(struct ringbuf *rb)
{
	int c;

	if (rb->used == 0)
		return -1;
	c = (unsigned char)rb->data[rb->head];
	ringbuf_consume(rb, 1);
	return c;
}

size_t ringbuf_discard(struct ringbuf *rb, size_t n)
{
	if (n > rb->used)
		n = rb->used;
	ringbuf_consume(rb, n);
	return n;
}

int ringbuf_unput(struct ringbuf *rb)
{
	int c;

	if (rb->used == 0)
		return -1;
	c = (unsigned char)rb->data[ring_index(rb, rb->used - 1)];
	rb->used--;
	if (rb->used == 0)
		rb->head = 0;
	return c;
}
