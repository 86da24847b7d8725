// SPDX-License-Identifier: GPL-2.0-only
/*
 * The format registry and the layout-independent helpers: field extraction,
 * the field-level diff of two entries and the one-line decode.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

static const struct esync_format *const formats[] = {
	&esync_fmt_smmu_ste,
	&esync_fmt_smmu_cd,
	&esync_fmt_vtd_pasid,
	&esync_fmt_amd_dte,
	&esync_fmt_amd_irte,
	&esync_fmt_amd_irte32,
	&esync_fmt_test,
};

#define NR_FORMATS (sizeof(formats) / sizeof(formats[0]))

unsigned int esync_format_all(const struct esync_format *const **list)
{
	*list = formats;
	return NR_FORMATS;
}

const struct esync_format *esync_format_by_id(unsigned int id)
{
	for (size_t i = 0; i < NR_FORMATS; i++)
		if (formats[i]->id == id)
			return formats[i];
	return NULL;
}

const struct esync_format *esync_format_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < NR_FORMATS; i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

uint64_t esync_field_get(const struct esync_field *fld, const uint64_t *entry)
{
	return (entry[fld->word] & esync_field_mask(fld)) >> fld->lsb;
}

static const struct esync_field *fields_of(const struct esync_format *f,
					   const uint64_t *entry,
					   unsigned int *nr)
{
	if (f->fields_for) {
		const struct esync_field *t = f->fields_for(entry, nr);

		if (t)
			return t;
	}
	*nr = f->nr_fields;
	return f->fields;
}

const struct esync_field *esync_format_field(const struct esync_format *f,
					     const uint64_t *entry, const char *name)
{
	unsigned int nr;
	const struct esync_field *tab = fields_of(f, entry, &nr);

	for (unsigned int i = 0; i < nr; i++)
		if (!strcmp(tab[i].name, name))
			return &tab[i];
	return NULL;
}

/* Appends to a bounded buffer; a piece that does not fit is dropped whole. */
struct outbuf {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

static void out_add(struct outbuf *o, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void out_add(struct outbuf *o, const char *sep, const char *fmt, ...)
{
	char piece[96];
	size_t need, slen;
	va_list ap;

	if (o->full || !o->len)
		return;
	va_start(ap, fmt);
	vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	slen = o->pos ? strlen(sep) : 0;
	need = slen + strlen(piece);
	if (o->pos + need >= o->len) {
		o->full = true;
		return;
	}
	if (slen)
		memcpy(o->buf + o->pos, sep, slen);
	memcpy(o->buf + o->pos + slen, piece, strlen(piece));
	o->pos += need;
	o->buf[o->pos] = '\0';
}

static void out_init(struct outbuf *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->pos = 0;
	o->full = false;
	if (len)
		buf[0] = '\0';
}

/* Reports the runs of set bits in 'left' of word w as "w2[17:16]". */
static void out_runs(struct outbuf *o, unsigned int w, uint64_t left)
{
	while (left) {
		unsigned int lo = (unsigned int)__builtin_ctzll(left);
		unsigned int hi = lo;

		while (hi < 63 && (left & (1ULL << (hi + 1))))
			hi++;
		if (hi == lo)
			out_add(o, ",", "w%u[%u]", w, lo);
		else
			out_add(o, ",", "w%u[%u:%u]", w, hi, lo);
		left &= hi == 63 ? 0 : ~0ULL << (hi + 1);
	}
}

/* Low 32 bits only for formats whose quanta is 32 bits. */
static uint64_t word_bits(const struct esync_format *f)
{
	return f->quanta_bits == 32 ? 0xffffffffULL : ~0ULL;
}

size_t esync_format_diff(const struct esync_format *f, const uint64_t *a,
			 const uint64_t *b, const uint64_t *mask, char *buf,
			 size_t len)
{
	uint64_t left[ESYNC_FMT_MAX_WORDS];
	const struct esync_field *tabs[2];
	unsigned int nrs[2];
	struct outbuf o;

	out_init(&o, buf, len);
	if (!f || f->words > ESYNC_FMT_MAX_WORDS)
		return 0;
	for (unsigned int w = 0; w < f->words; w++)
		left[w] = (a[w] ^ b[w]) & (mask ? mask[w] : ~0ULL) & word_bits(f);

	/*
	 * Fields of the target's layout first, then those of the old one for
	 * bits still unexplained (they differ only for mode-dependent
	 * layouts).
	 */
	tabs[0] = fields_of(f, b, &nrs[0]);
	tabs[1] = fields_of(f, a, &nrs[1]);
	for (unsigned int t = 0; t < 2; t++) {
		if (t == 1 && tabs[1] == tabs[0])
			break;
		for (unsigned int i = 0; i < nrs[t]; i++) {
			const struct esync_field *fld = &tabs[t][i];
			uint64_t m = esync_field_mask(fld);

			if (fld->word >= f->words || !(left[fld->word] & m))
				continue;
			out_add(&o, ",", "%s", fld->name);
			left[fld->word] &= ~m;
		}
	}
	for (unsigned int w = 0; w < f->words; w++)
		out_runs(&o, w, left[w]);
	return o.pos;
}

size_t esync_format_decode(const struct esync_format *f, const uint64_t *entry,
			   char *buf, size_t len)
{
	uint64_t used[ESYNC_FMT_MAX_WORDS] = { 0 };
	const struct esync_field *tab;
	unsigned int nr;
	struct outbuf o;

	out_init(&o, buf, len);
	if (!f || f->words > ESYNC_FMT_MAX_WORDS)
		return 0;
	f->get_used(entry, used);
	tab = fields_of(f, entry, &nr);
	for (unsigned int i = 0; i < nr; i++) {
		const struct esync_field *fld = &tab[i];

		if (fld->word >= f->words ||
		    !(used[fld->word] & esync_field_mask(fld)))
			continue;
		out_add(&o, " ", "%s=0x%llx", fld->name,
			(unsigned long long)esync_field_get(fld, entry));
	}
	return o.pos;
}
