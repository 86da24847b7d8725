// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace-check FILE: a strict check of the Chrome trace-event JSON that
 * 'esync export --chrome' writes, as a trace viewer reads it.
 *
 *   - RFC 8259 JSON, one object: displayTimeUnit, otherData, traceEvents
 *   - each event has only known keys, the ones its phase needs, integer
 *     pid/tid, ts/dur >= 0, "s" of an instant t/p/g; metadata is a
 *     process_name or a thread_name with args.name, given once, before the
 *     track's first event
 *   - numbers in args are integers below 2^53 (larger go as strings)
 *   - on each track the spans come in time order and nest: a span that
 *     starts inside another ends inside it (a write's span before the
 *     spans of its steps)
 *   - a store or a step of a write (args.seq) lies within that write's
 *     span on the same track
 *
 * Prints one line of counts, "events N writes N cut N steps N stores N
 * findings N commands N", and exits 0; or the first problem on stderr
 * and exits 1.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype t;
	bool b;
	double num;
	bool integer;		/* written without fraction or exponent */
	char *str;
	struct jval *items;	/* array items, or object values */
	char **keys;		/* object keys */
	size_t n;
};

static const char *src, *pos;
static const char *file;

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;
	size_t line = 1;

	if (src) {
		for (const char *p = src; p < pos; p++)
			line += *p == '\n';
		fprintf(stderr, "trace-check: %s:%zu: ", file, line);
	} else {
		fprintf(stderr, "trace-check: %s: ", file);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void ws(void)
{
	while (*pos == ' ' || *pos == '\t' || *pos == '\n' || *pos == '\r')
		pos++;
}

static void parse(struct jval *v);

static char *parse_string(void)
{
	size_t cap = 32, n = 0;
	char *s = xrealloc(NULL, cap);

	if (*pos != '"')
		die("a string expected");
	pos++;
	for (;;) {
		unsigned char ch = (unsigned char)*pos++;

		if (n + 8 > cap)
			s = xrealloc(s, cap *= 2);
		if (ch == '"')
			break;
		if (ch < 0x20)
			die("a control character (0x%02x) in a string", ch);
		if (ch != '\\') {
			s[n++] = (char)ch;
			continue;
		}
		ch = (unsigned char)*pos++;
		switch (ch) {
		case '"': case '\\': case '/':
			s[n++] = (char)ch;
			break;
		case 'b': s[n++] = '\b'; break;
		case 'f': s[n++] = '\f'; break;
		case 'n': s[n++] = '\n'; break;
		case 'r': s[n++] = '\r'; break;
		case 't': s[n++] = '\t'; break;
		case 'u':
			for (int i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)pos[i]))
					die("a bad \\u escape");
			pos += 4;
			s[n++] = '?';
			break;
		default:
			die("a bad escape \\%c", ch);
		}
	}
	s[n] = 0;
	return s;
}

static void parse_number(struct jval *v)
{
	const char *p = pos;

	v->t = J_NUM;
	v->integer = true;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (isdigit((unsigned char)*p))
			p++;
	else
		die("a bad number");
	if (*p == '.') {
		v->integer = false;
		if (!isdigit((unsigned char)*++p))
			die("a bad fraction");
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		v->integer = false;
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			die("a bad exponent");
		while (isdigit((unsigned char)*p))
			p++;
	}
	v->num = strtod(pos, NULL);
	pos = p;
}

static void parse(struct jval *v)
{
	memset(v, 0, sizeof(*v));
	ws();
	switch (*pos) {
	case '{':
		v->t = J_OBJ;
		pos++;
		ws();
		if (*pos == '}') {
			pos++;
			return;
		}
		for (;;) {
			ws();
			v->keys = xrealloc(v->keys, (v->n + 1) * sizeof(*v->keys));
			v->items = xrealloc(v->items, (v->n + 1) * sizeof(*v->items));
			v->keys[v->n] = parse_string();
			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->keys[i], v->keys[v->n]))
					die("key \"%s\" twice in an object", v->keys[i]);
			ws();
			if (*pos++ != ':')
				die("':' expected");
			parse(&v->items[v->n++]);
			ws();
			if (*pos == ',') {
				pos++;
				continue;
			}
			if (*pos++ != '}')
				die("',' or '}' expected");
			return;
		}
	case '[':
		v->t = J_ARR;
		pos++;
		ws();
		if (*pos == ']') {
			pos++;
			return;
		}
		for (;;) {
			v->items = xrealloc(v->items, (v->n + 1) * sizeof(*v->items));
			parse(&v->items[v->n++]);
			ws();
			if (*pos == ',') {
				pos++;
				continue;
			}
			if (*pos++ != ']')
				die("',' or ']' expected");
			return;
		}
	case '"':
		v->t = J_STR;
		v->str = parse_string();
		return;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(pos, "true", 4)) {
			v->t = J_BOOL;
			v->b = true;
			pos += 4;
		} else if (!strncmp(pos, "false", 5)) {
			v->t = J_BOOL;
			pos += 5;
		} else if (!strncmp(pos, "null", 4)) {
			v->t = J_NULL;
			pos += 4;
		} else {
			die("a bad literal");
		}
		return;
	default:
		parse_number(v);
	}
}

static const struct jval *get(const struct jval *o, const char *key)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->items[i];
	return NULL;
}

static const struct jval *need(const struct jval *o, const char *key, enum jtype t,
			       size_t idx)
{
	const struct jval *v = get(o, key);

	if (!v)
		die("event %zu: no \"%s\"", idx, key);
	if (v->t != t)
		die("event %zu: \"%s\" has the wrong type", idx, key);
	return v;
}

static void check_args_numbers(const struct jval *v, size_t idx)
{
	if (v->t == J_NUM && (!v->integer || fabs(v->num) >= 9007199254740992.0))
		die("event %zu: a number in args that is not an integer below 2^53", idx);
	if (v->t == J_ARR || v->t == J_OBJ)
		for (size_t i = 0; i < v->n; i++)
			check_args_numbers(&v->items[i], idx);
}

/* Microseconds with three decimals to integer nanoseconds. */
static int64_t ns_of(const struct jval *v, size_t idx, const char *key)
{
	if (v->num < 0 || !isfinite(v->num))
		die("event %zu: \"%s\" is negative", idx, key);
	return llround(v->num * 1000.0);
}

struct span {
	uint32_t pid, tid;
	int64_t from, to;
};

struct track {
	uint32_t pid, tid;
	bool named;
	int64_t last_ts;
	struct span *stack;
	size_t depth, cap;
};

struct write_span {
	uint64_t seq;
	uint32_t pid, tid;
	int64_t from, to;
};

struct member {
	uint64_t seq;
	uint32_t pid, tid;
	int64_t from, to;
	size_t idx;
};

static struct track *tracks;
static size_t ntracks;
static bool *pid_named;
static size_t npid;

static struct track *track(uint32_t pid, uint32_t tid)
{
	for (size_t i = 0; i < ntracks; i++)
		if (tracks[i].pid == pid && tracks[i].tid == tid)
			return &tracks[i];
	tracks = xrealloc(tracks, (ntracks + 1) * sizeof(*tracks));
	memset(&tracks[ntracks], 0, sizeof(*tracks));
	tracks[ntracks].pid = pid;
	tracks[ntracks].tid = tid;
	tracks[ntracks].last_ts = -1;
	return &tracks[ntracks++];
}

static bool process_named(uint32_t pid)
{
	return pid < npid && pid_named[pid];
}

static int cmp_write(const void *a, const void *b)
{
	const struct write_span *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint64_t seq_of(const struct jval *args, size_t idx)
{
	const struct jval *s = args ? get(args, "seq") : NULL;
	char *end;
	uint64_t v;

	if (!s)
		return 0;
	if (s->t != J_STR)
		die("event %zu: args.seq is not a string", idx);
	errno = 0;
	v = strtoull(s->str, &end, 10);
	if (errno || !*s->str || *end)
		die("event %zu: args.seq \"%s\" is not a decimal number", idx, s->str);
	return v;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 1 << 16, got;
	char *buf;

	if (!f) {
		fprintf(stderr, "trace-check: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	buf = xrealloc(NULL, cap);
	while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	buf[n] = 0;
	if (strlen(buf) != n)
		die("a NUL byte in the file");
	return buf;
}

int main(int argc, char **argv)
{
	static const char *const keys[] = { "name", "cat", "ph", "pid", "tid", "ts", "dur",
					    "s", "args" };
	size_t nwrites = 0, nmembers = 0, cut = 0, steps = 0, stores = 0, findings = 0,
	       commands = 0;
	struct write_span *writes = NULL;
	struct member *members = NULL;
	struct jval root;
	static const struct jval zero = { .t = J_NUM, .integer = true };
	const struct jval *evs, *v;

	if (argc != 2) {
		fprintf(stderr, "usage: trace-check FILE.json\n");
		return 2;
	}
	file = argv[1];
	src = pos = slurp(file);
	parse(&root);
	ws();
	if (*pos)
		die("text after the JSON object");
	if (root.t != J_OBJ)
		die("the top level is not an object");
	for (size_t i = 0; i < root.n; i++)
		if (strcmp(root.keys[i], "displayTimeUnit") && strcmp(root.keys[i], "otherData") &&
		    strcmp(root.keys[i], "traceEvents"))
			die("unknown top-level key \"%s\"", root.keys[i]);
	v = get(&root, "displayTimeUnit");
	if (v && (v->t != J_STR || (strcmp(v->str, "ns") && strcmp(v->str, "ms"))))
		die("displayTimeUnit is not \"ns\" or \"ms\"");
	v = get(&root, "otherData");
	if (v && v->t != J_OBJ)
		die("otherData is not an object");
	evs = get(&root, "traceEvents");
	if (!evs || evs->t != J_ARR)
		die("no traceEvents array");
	src = NULL;		/* messages name the event from here on */

	for (size_t i = 0; i < evs->n; i++) {
		const struct jval *e = &evs->items[i], *ph, *name, *args, *s;
		uint32_t pid, tid;
		struct track *t;
		double d;

		if (e->t != J_OBJ)
			die("event %zu is not an object", i);
		for (size_t k = 0; k < e->n; k++) {
			bool known = false;

			for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
				known |= !strcmp(e->keys[k], keys[j]);
			if (!known)
				die("event %zu: unknown key \"%s\"", i, e->keys[k]);
		}
		name = need(e, "name", J_STR, i);
		ph = need(e, "ph", J_STR, i);
		v = need(e, "pid", J_NUM, i);
		d = v->num;
		if (!v->integer || d < 0 || d > UINT32_MAX)
			die("event %zu: pid is not a non-negative integer", i);
		pid = (uint32_t)d;
		v = get(e, "tid");
		if (!v && !strcmp(name->str, "process_name"))
			v = &zero;	/* a process_name needs no thread */
		else
			v = need(e, "tid", J_NUM, i);
		d = v->num;
		if (!v->integer || d < 0 || d > UINT32_MAX)
			die("event %zu: tid is not a non-negative integer", i);
		tid = (uint32_t)d;
		args = get(e, "args");
		if (args) {
			if (args->t != J_OBJ)
				die("event %zu: args is not an object", i);
			check_args_numbers(args, i);
		}
		if (get(e, "cat") && get(e, "cat")->t != J_STR)
			die("event %zu: cat is not a string", i);
		t = track(pid, tid);

		if (!strcmp(ph->str, "M")) {
			if (get(e, "ts") || get(e, "dur") || get(e, "s"))
				die("event %zu: metadata with ts, dur or s", i);
			if (!args || !get(args, "name") || get(args, "name")->t != J_STR)
				die("event %zu: metadata without args.name", i);
			if (!strcmp(name->str, "process_name")) {
				if (process_named(pid))
					die("event %zu: process %u named twice", i, pid);
				if (pid >= npid) {
					pid_named = xrealloc(pid_named, (pid + 1) * sizeof(bool));
					memset(pid_named + npid, 0, (pid + 1 - npid) * sizeof(bool));
					npid = pid + 1;
				}
				pid_named[pid] = true;
			} else if (!strcmp(name->str, "thread_name")) {
				if (t->named)
					die("event %zu: thread %u/%u named twice", i, pid, tid);
				if (t->last_ts >= 0)
					die("event %zu: thread %u/%u named after its first event", i,
					    pid, tid);
				t->named = true;
			} else {
				die("event %zu: unknown metadata \"%s\"", i, name->str);
			}
			continue;
		}
		if (!t->named || !process_named(pid))
			die("event %zu: on a track (%u/%u) not named before", i, pid, tid);
		if (strcmp(ph->str, "X") && strcmp(ph->str, "i"))
			die("event %zu: phase \"%s\" (X, i or M expected)", i, ph->str);
		{
			int64_t from = ns_of(need(e, "ts", J_NUM, i), i, "ts"), to = from;
			const char *cat = get(e, "cat") ? get(e, "cat")->str : "";
			uint64_t seq = seq_of(args, i);

			if (!strcmp(ph->str, "X")) {
				to = from + ns_of(need(e, "dur", J_NUM, i), i, "dur");
				if (get(e, "s"))
					die("event %zu: a span with \"s\"", i);
				if (from < t->last_ts)
					die("event %zu: span at %" PRId64 " ns after one at %" PRId64
					    " ns on track %u/%u: spans out of order", i, from,
					    t->last_ts, pid, tid);
				t->last_ts = from;
				while (t->depth && t->stack[t->depth - 1].to <= from &&
				       !(t->stack[t->depth - 1].to == from &&
					 t->stack[t->depth - 1].from == from))
					t->depth--;
				if (t->depth && to > t->stack[t->depth - 1].to)
					die("event %zu (\"%s\"): span [%" PRId64 ", %" PRId64
					    "] ns overlaps [%" PRId64 ", %" PRId64
					    "] ns on track %u/%u without nesting in it", i,
					    name->str, from, to, t->stack[t->depth - 1].from,
					    t->stack[t->depth - 1].to, pid, tid);
				if (t->depth == t->cap)
					t->stack = xrealloc(t->stack, (t->cap = t->cap * 2 + 8) *
							    sizeof(*t->stack));
				t->stack[t->depth++] = (struct span){ pid, tid, from, to };
			} else {
				if (get(e, "dur"))
					die("event %zu: an instant with dur", i);
				s = get(e, "s");
				if (s && (s->t != J_STR || (strcmp(s->str, "t") && strcmp(s->str, "p") &&
							     strcmp(s->str, "g"))))
					die("event %zu: \"s\" is not t, p or g", i);
				if (t->last_ts < 0)
					t->last_ts = 0;
			}
			if (!strcmp(cat, "write")) {
				v = args ? get(args, "cut") : NULL;
				if (!v || v->t != J_BOOL || !seq)
					die("event %zu: a write without args.seq and args.cut", i);
				cut += v->b;
				writes = xrealloc(writes, (nwrites + 1) * sizeof(*writes));
				writes[nwrites++] = (struct write_span){ seq, pid, tid, from, to };
			} else if (seq && tid && (!strcmp(cat, "store") || !strcmp(cat, "step"))) {
				members = xrealloc(members, (nmembers + 1) * sizeof(*members));
				members[nmembers++] = (struct member){ seq, pid, tid, from, to, i };
			}
			steps += !strcmp(cat, "step");
			stores += !strcmp(cat, "store");
			findings += !strcmp(cat, "finding");
			commands += !strcmp(cat, "command");
		}
	}
	qsort(writes, nwrites, sizeof(*writes), cmp_write);
	for (size_t i = 1; i < nwrites; i++)
		if (writes[i].seq == writes[i - 1].seq)
			die("two spans of the write seq %" PRIu64, writes[i].seq);
	for (size_t i = 0; i < nmembers; i++) {
		struct write_span key = { .seq = members[i].seq }, *w;

		w = bsearch(&key, writes, nwrites, sizeof(*writes), cmp_write);
		if (!w)
			continue;	/* a finding about another write on the track */
		if (w->pid != members[i].pid || w->tid != members[i].tid ||
		    members[i].from < w->from || members[i].to > w->to)
			die("event %zu: of write seq %" PRIu64 " but outside its span",
			    members[i].idx, members[i].seq);
	}
	printf("events %zu writes %zu cut %zu steps %zu stores %zu findings %zu commands %zu\n",
	       evs->n, nwrites, cut, steps, stores, findings, commands);
	return 0;
}
