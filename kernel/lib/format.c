/*
 * printf-style formatting (see kevlar/format.h for what is supported).
 * Output goes through a cursor that counts every character, written or
 * not, which is what gives the C99 "would have been written" return value.
 */

#include <kevlar/format.h>
#include <kevlar/string.h>

struct out {
	char *buf;
	size_t size;
	size_t pos;   /* characters produced so far, including dropped ones */
};

#define FLAG_LEFT   (1u << 0)   /* '-' */
#define FLAG_ZERO   (1u << 1)   /* '0' */
#define FLAG_SPACE  (1u << 2)   /* ' ' */
#define FLAG_PLUS   (1u << 3)   /* '+' */
#define FLAG_ALT    (1u << 4)   /* '#' */

/* Width/precision cap: keeps the int arithmetic far from overflow. */
#define MAX_FIELD   100000

struct spec {
	unsigned flags;
	int width;       /* 0: none */
	int precision;   /* -1: none */
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/*
 * Lay out [prefix][zeros][digits] in a field of width, padding with
 * spaces on the left or right, or with zeros between prefix and digits.
 */
static void put_field(struct out *o, const struct spec *sp, const char *prefix,
		      size_t prefix_len, int zeros, const char *body, size_t body_len)
{
	int len = (int)(prefix_len + body_len) + zeros;
	int pad = sp->width > len ? sp->width - len : 0;

	if (!(sp->flags & FLAG_LEFT) && (sp->flags & FLAG_ZERO)) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & FLAG_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, prefix, prefix_len);
	put_repeat(o, '0', zeros);
	put_str(o, body, body_len);
	if (sp->flags & FLAG_LEFT)
		put_repeat(o, ' ', pad);
}

static void put_number(struct out *o, struct spec sp, unsigned long long value,
		       bool negative, unsigned base, bool upper, bool is_signed,
		       bool is_pointer)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];   /* 2^64 in octal is 22 digits */
	char prefix[2];
	size_t prefix_len = 0;
	size_t n = 0;
	int zeros = 0;

	/* C: zero-value with precision 0 prints no digits at all. */
	if (!(value == 0 && sp.precision == 0)) {
		do {
			tmp[sizeof(tmp) - ++n] = digits[value % base];
			value /= base;
		} while (value);
	}

	if (is_signed) {
		if (negative)
			prefix[prefix_len++] = '-';
		else if (sp.flags & FLAG_PLUS)
			prefix[prefix_len++] = '+';
		else if (sp.flags & FLAG_SPACE)
			prefix[prefix_len++] = ' ';
	}
	if (is_pointer || ((sp.flags & FLAG_ALT) && base == 16 && n > 0 &&
			   !(n == 1 && tmp[sizeof(tmp) - 1] == '0'))) {
		prefix[prefix_len++] = '0';
		prefix[prefix_len++] = upper ? 'X' : 'x';
	}

	if (sp.precision >= 0) {
		if ((int)n < sp.precision)
			zeros = sp.precision - (int)n;
		sp.flags &= ~FLAG_ZERO;   /* precision overrides '0' for integers */
	}
	/* '#' with octal: the first digit must be a 0. */
	if ((sp.flags & FLAG_ALT) && base == 8 && zeros == 0 &&
	    (n == 0 || tmp[sizeof(tmp) - n] != '0'))
		zeros = 1;

	put_field(o, &sp, prefix, prefix_len, zeros, tmp + sizeof(tmp) - n, n);
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE,
	      LEN_PTRDIFF, LEN_INTMAX };

static long long fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:    return (signed char)va_arg(*ap, int);
	case LEN_SHORT:   return (short)va_arg(*ap, int);
	case LEN_LONG:    return va_arg(*ap, long);
	case LEN_LLONG:   return va_arg(*ap, long long);
	case LEN_SIZE:    return va_arg(*ap, ssize_t);
	case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX:  return va_arg(*ap, intmax_t);
	default:          return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:    return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:   return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:    return va_arg(*ap, unsigned long);
	case LEN_LLONG:   return va_arg(*ap, unsigned long long);
	case LEN_SIZE:    return va_arg(*ap, size_t);
	case LEN_PTRDIFF: return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX:  return va_arg(*ap, uintmax_t);
	default:          return va_arg(*ap, unsigned);
	}
}

static const char *parse_length(const char *f, enum length *len)
{
	*len = LEN_INT;
	switch (*f) {
	case 'h':
		if (f[1] == 'h') {
			*len = LEN_CHAR;
			return f + 2;
		}
		*len = LEN_SHORT;
		return f + 1;
	case 'l':
		if (f[1] == 'l') {
			*len = LEN_LLONG;
			return f + 2;
		}
		*len = LEN_LONG;
		return f + 1;
	case 'z': *len = LEN_SIZE;    return f + 1;
	case 't': *len = LEN_PTRDIFF; return f + 1;
	case 'j': *len = LEN_INTMAX;  return f + 1;
	default:  return f;
	}
}

/*
 * Parse flags, width and precision after the '%'. va_list is passed by
 * pointer because '*' consumes arguments and the caller keeps going.
 */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->precision = -1;

	for (;; f++) {
		if (*f == '-')      sp->flags |= FLAG_LEFT;
		else if (*f == '0') sp->flags |= FLAG_ZERO;
		else if (*f == ' ') sp->flags |= FLAG_SPACE;
		else if (*f == '+') sp->flags |= FLAG_PLUS;
		else if (*f == '#') sp->flags |= FLAG_ALT;
		else break;
	}

	if (*f == '*') {
		int w = va_arg(*ap, int);

		/* A negative '*' width means '-' plus the absolute width. */
		if (w < 0) {
			sp->flags |= FLAG_LEFT;
			w = w < -MAX_FIELD ? MAX_FIELD : -w;
		}
		sp->width = w > MAX_FIELD ? MAX_FIELD : w;
		f++;
	} else {
		while (*f >= '0' && *f <= '9') {
			if (sp->width < MAX_FIELD)
				sp->width = sp->width * 10 + (*f - '0');
			f++;
		}
	}

	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			int p = va_arg(*ap, int);

			/* negative: as if omitted */
			sp->precision = p < 0 ? -1 : p > MAX_FIELD ? MAX_FIELD : p;
			f++;
		} else {
			while (*f >= '0' && *f <= '9') {
				if (sp->precision < MAX_FIELD)
					sp->precision = sp->precision * 10 + (*f - '0');
				f++;
			}
		}
	}
	return f;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp;
		enum length len;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		fmt = parse_length(fmt, &len);

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = fetch_signed(len, &ap);
			unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
						       : (unsigned long long)v;

			put_number(&o, sp, mag, v < 0, 10, false, true, false);
			break;
		}
		case 'u':
			put_number(&o, sp, fetch_unsigned(len, &ap), false, 10,
				   false, false, false);
			break;
		case 'x':
		case 'X':
			put_number(&o, sp, fetch_unsigned(len, &ap), false, 16,
				   *fmt == 'X', false, false);
			break;
		case 'o':
			put_number(&o, sp, fetch_unsigned(len, &ap), false, 8,
				   false, false, false);
			break;
		case 'p':
			sp.flags &= ~FLAG_ALT;
			put_number(&o, sp, (uintptr_t)va_arg(ap, void *), false, 16,
				   false, false, true);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (!s)
				s = "(null)";
			/* With a precision, s need not be NUL-terminated. */
			n = sp.precision >= 0 ? strnlen(s, (size_t)sp.precision)
					      : strlen(s);
			sp.flags &= ~FLAG_ZERO;
			put_field(&o, &sp, "", 0, 0, s, n);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			sp.flags &= ~FLAG_ZERO;
			put_field(&o, &sp, "", 0, 0, &c, 1);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown or truncated conversion: show it as written. */
			if (*fmt == '\0') {
				put_str(&o, start, (size_t)(fmt - start));
				continue;
			}
			put_str(&o, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(ap);

	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > 0x7fffffff ? 0x7fffffff : (int)o.pos;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
