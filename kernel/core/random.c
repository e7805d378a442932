/*
 * random_bytes: splitmix64 whose state is stirred with the cycle counter
 * on every call, so outputs differ across boots and calls. Good enough for
 * AT_RANDOM (stack canaries, hash seeds) until a real entropy pool exists.
 */
#include <kevlar/arch.h>
#include <kevlar/random.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>

static uint64_t state;
/* random_lock (spin, irqsave: interrupt-context callers too): state. */
static DEFINE_SPINLOCK(random_lock);

static uint64_t next(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void random_bytes(void *buf, size_t n)
{
	unsigned long flags;
	uint8_t *p = buf;

	spin_lock_irqsave(&random_lock, flags);
	state ^= arch_cycles_since_boot() * 0xff51afd7ed558ccdULL;
	while (n) {
		uint64_t v = next();
		size_t chunk = MIN(n, sizeof(v));

		memcpy(p, &v, chunk);
		p += chunk;
		n -= chunk;
	}
	spin_unlock_irqrestore(&random_lock, flags);
}
