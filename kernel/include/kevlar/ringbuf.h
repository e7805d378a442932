#ifndef KEVLAR_RINGBUF_H
#define KEVLAR_RINGBUF_H

/*
 * A fixed-capacity FIFO of bytes over storage the caller supplies. Any
 * capacity works (no power-of-two requirement): the tty input queue uses
 * 4096 bytes, a pipe 64 KiB (Linux's default pipe size, 16 pages).
 *
 * No locking: the owner serialises access (the tty with its lock and
 * interrupts off, the pipe with its mutex).
 *
 * Pipes need two things beyond put/get:
 *  - POSIX atomicity: a write of at most PIPE_BUF (4096) bytes must land
 *    as one piece, never interleaved with another writer. ringbuf_put_all()
 *    stores all n bytes or none, so the writer sleeps until there is room.
 *  - copying straight from and to user memory, which may fault halfway.
 *    ringbuf_write_span()/ringbuf_produce() and ringbuf_read_span()/
 *    ringbuf_consume() expose contiguous free or used runs so the caller
 *    copies with copy_from_user/copy_to_user and commits only the bytes
 *    that actually arrived.
 */

#include <kevlar/types.h>

struct ringbuf {
	char  *data;
	size_t cap;
	size_t head;    /* index of the oldest byte */
	size_t used;    /* bytes stored, 0..cap */
};

void ringbuf_init(struct ringbuf *rb, void *storage, size_t cap);
void ringbuf_clear(struct ringbuf *rb);

static inline size_t ringbuf_used(const struct ringbuf *rb) { return rb->used; }
static inline size_t ringbuf_free(const struct ringbuf *rb) { return rb->cap - rb->used; }
static inline bool ringbuf_empty(const struct ringbuf *rb) { return rb->used == 0; }
static inline bool ringbuf_full(const struct ringbuf *rb) { return rb->used == rb->cap; }

/* Append up to n bytes; returns how many fit. */
size_t ringbuf_put(struct ringbuf *rb, const void *buf, size_t n);
/* Append all n bytes, or nothing if they do not all fit. */
bool ringbuf_put_all(struct ringbuf *rb, const void *buf, size_t n);
bool ringbuf_put_byte(struct ringbuf *rb, char c);

/* Remove up to n of the oldest bytes into buf; returns how many. */
size_t ringbuf_get(struct ringbuf *rb, void *buf, size_t n);
/* Remove the oldest byte; returns it as 0..255, or -1 when empty. */
int ringbuf_get_byte(struct ringbuf *rb);

/* Copy up to n bytes starting offset bytes after the oldest, not removing them. */
size_t ringbuf_peek(const struct ringbuf *rb, size_t offset, void *buf, size_t n);
/* The byte offset bytes after the oldest (offset < used), 0..255. */
unsigned char ringbuf_at(const struct ringbuf *rb, size_t offset);

/* Drop up to n of the oldest bytes; returns how many. */
size_t ringbuf_discard(struct ringbuf *rb, size_t n);
/* Remove the newest byte (line editing erases from the end); -1 when empty. */
int ringbuf_unput(struct ringbuf *rb);

/*
 * Zero-copy access. read_span: the longest contiguous run of stored bytes
 * starting at the oldest. write_span: the longest contiguous run of free
 * space after the newest. Both return its length (0 when none) and set
 * *ptr. Commit with consume/produce, which take at most that length.
 */
size_t ringbuf_read_span(const struct ringbuf *rb, const char **ptr);
void ringbuf_consume(struct ringbuf *rb, size_t n);
size_t ringbuf_write_span(const struct ringbuf *rb, char **ptr);
void ringbuf_produce(struct ringbuf *rb, size_t n);

#endif
