// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synthetic format of the entry_sync KUnit test.
 *
 * The valid quanta holds V (bit 0) and MODE (bits 3:1).  Each mode uses a
 * 16-bit payload field, bits 31:16 of a quanta (of its upper half for
 * 128-bit quanta), in a fixed set of quanta: mode 0 none, 1 {1}, 2 {1,2},
 * 3 {2,3}, 4 {0,9}, 5 {9}; quanta beyond the entry are ignored; modes 6 and
 * 7 use only V and MODE.  Used bits: V alone when V=0; else V, MODE and the
 * payload of the mode's quanta.
 *
 * The registered "test" format is 4 x 64-bit quanta with V in quantum 0;
 * esync_format_test_variant() gives the other geometries the KUnit cases
 * use.
 */
#include <stddef.h>

#include "format.h"

#define TF_V		ESYNC_BIT(0)
#define TF_MODE		ESYNC_GENMASK(3, 1)
#define TF_PAYLOAD	ESYNC_GENMASK(31, 16)
#define TF_MAX_QUANTA	12

static const uint16_t tf_mode_quanta[] = {
	[0] = 0,
	[1] = 1u << 1,
	[2] = 1u << 1 | 1u << 2,
	[3] = 1u << 2 | 1u << 3,
	[4] = 1u << 0 | 1u << 9,
	[5] = 1u << 9,
};

struct tf_geometry {
	unsigned int num;
	unsigned int vbit;
	bool wide;
};

/* Word holding the low half of quanta q, and the word of its payload. */
static unsigned int tf_word(const struct tf_geometry *g, unsigned int q)
{
	return g->wide ? 2 * q : q;
}

static unsigned int tf_payload_word(const struct tf_geometry *g, unsigned int q)
{
	return g->wide ? 2 * q + 1 : q;
}

static void tf_get_used(const struct tf_geometry *g, const uint64_t *ent,
			uint64_t *used)
{
	unsigned int vw = tf_word(g, g->vbit);
	unsigned int mode;

	used[vw] = TF_V;
	if (!(ent[vw] & TF_V))
		return;
	used[vw] |= TF_MODE;
	mode = (unsigned int)ESYNC_FIELD_GET(TF_MODE, ent[vw]);
	if (mode >= sizeof(tf_mode_quanta) / sizeof(tf_mode_quanta[0]))
		return;
	for (unsigned int q = 0; q < g->num; q++)
		if (tf_mode_quanta[mode] & (1u << q))
			used[tf_payload_word(g, q)] |= TF_PAYLOAD;
}

static bool tf_is_valid(const struct tf_geometry *g, const uint64_t *ent)
{
	return ent[tf_word(g, g->vbit)] & TF_V;
}

static const char *const tf_payload_names[TF_MAX_QUANTA] = {
	"PAYLOAD0", "PAYLOAD1", "PAYLOAD2", "PAYLOAD3", "PAYLOAD4", "PAYLOAD5",
	"PAYLOAD6", "PAYLOAD7", "PAYLOAD8", "PAYLOAD9", "PAYLOAD10", "PAYLOAD11",
};

/* Fields of the default geometry; the variants build theirs on first use. */
static const struct esync_field tf_fields_default[] = {
	ESYNC_FIELD("V", 0, 0, 0),
	ESYNC_FIELD("MODE", 0, 3, 1),
	ESYNC_FIELD("PAYLOAD0", 0, 31, 16),
	ESYNC_FIELD("PAYLOAD1", 1, 31, 16),
	ESYNC_FIELD("PAYLOAD2", 2, 31, 16),
	ESYNC_FIELD("PAYLOAD3", 3, 31, 16),
};

#define TF_VARIANT(tag, n, v, w)					\
	static const struct tf_geometry tf_geo_##tag = { n, v, w };	\
	static void tf_get_used_##tag(const uint64_t *e, uint64_t *u)	\
	{								\
		tf_get_used(&tf_geo_##tag, e, u);			\
	}								\
	static bool tf_is_valid_##tag(const uint64_t *e)		\
	{								\
		return tf_is_valid(&tf_geo_##tag, e);			\
	}

TF_VARIANT(4_0_64, 4, 0, false)
TF_VARIANT(5_2_64, 5, 2, false)
TF_VARIANT(4_3_64, 4, 3, false)
TF_VARIANT(10_0_64, 10, 0, false)
TF_VARIANT(10_5_64, 10, 5, false)
TF_VARIANT(4_0_128, 4, 0, true)
TF_VARIANT(4_3_128, 4, 3, true)

const struct esync_format esync_fmt_test = {
	.name = "test",
	.id = ESYNC_FMT_TEST,
	.quanta_bits = 64,
	.num_quanta = 4,
	.vbit_quanta = 0,
	.words = 4,
	.get_used = tf_get_used_4_0_64,
	.is_valid = tf_is_valid_4_0_64,
	.fields = tf_fields_default,
	.nr_fields = sizeof(tf_fields_default) / sizeof(tf_fields_default[0]),
};

struct tf_variant {
	const struct tf_geometry *geo;
	void (*get_used)(const uint64_t *entry, uint64_t *used);
	bool (*is_valid)(const uint64_t *entry);
	bool ready;
	struct esync_format fmt;
	struct esync_field fields[2 + TF_MAX_QUANTA];
};

#define TF_VARIANT_ROW(tag) \
	{ &tf_geo_##tag, tf_get_used_##tag, tf_is_valid_##tag, false, { 0 }, { { 0 } } }

static struct tf_variant tf_variants[] = {
	TF_VARIANT_ROW(5_2_64),
	TF_VARIANT_ROW(4_3_64),
	TF_VARIANT_ROW(10_0_64),
	TF_VARIANT_ROW(10_5_64),
	TF_VARIANT_ROW(4_0_128),
	TF_VARIANT_ROW(4_3_128),
};

static void tf_variant_build(struct tf_variant *v)
{
	const struct tf_geometry *g = v->geo;
	struct esync_field *f = v->fields;
	unsigned int n = 0;

	f[n++] = (struct esync_field){ "V", tf_word(g, g->vbit), 0, 1 };
	f[n++] = (struct esync_field){ "MODE", tf_word(g, g->vbit), 1, 3 };
	for (unsigned int q = 0; q < g->num; q++)
		f[n++] = (struct esync_field){ tf_payload_names[q],
					       tf_payload_word(g, q), 16, 16 };
	v->fmt = (struct esync_format){
		.name = "test",
		.id = ESYNC_FMT_TEST,
		.quanta_bits = g->wide ? 128 : 64,
		.num_quanta = g->num,
		.vbit_quanta = g->vbit,
		.words = g->wide ? 2 * g->num : g->num,
		.get_used = v->get_used,
		.is_valid = v->is_valid,
		.fields = v->fields,
		.nr_fields = n,
	};
	v->ready = true;
}

const struct esync_format *esync_format_test_variant(unsigned int num_quanta,
						     unsigned int vbit_quanta,
						     unsigned int quanta_bits)
{
	bool wide = quanta_bits == 128;

	if (quanta_bits != 64 && quanta_bits != 128)
		return NULL;
	if (num_quanta == 4 && vbit_quanta == 0 && !wide)
		return &esync_fmt_test;
	for (size_t i = 0; i < sizeof(tf_variants) / sizeof(tf_variants[0]); i++) {
		struct tf_variant *v = &tf_variants[i];

		if (v->geo->num != num_quanta || v->geo->vbit != vbit_quanta ||
		    v->geo->wide != wide)
			continue;
		if (!v->ready)
			tf_variant_build(v);
		return &v->fmt;
	}
	return NULL;
}
