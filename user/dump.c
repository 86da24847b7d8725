// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dump file reader and writer.  The reader reads the file (or a pipe)
 * through a window of fixed size and checks every frame before handing its
 * event out; a damaged frame is skipped up to the next frame that checks,
 * and the gap is handed out as a lost-events mark of unknown count, so that
 * the writes open across it are incomplete and everything after it is
 * still checked.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "dump.h"
#include "engine.h"
#include "finding.h"
#include "version.h"

uint32_t esync_frame_sum(unsigned int version, uint32_t len, const void *payload)
{
	if (version == 1)
		return esync_crc32c_lanes(len * 0x9e3779b9u, payload, len);
	return esync_crc32c_frame(len, payload);
}

static uint32_t header_crc(const void *h, size_t hdr_len, size_t crc_off,
			   const uint8_t *topo, size_t topo_len)
{
	uint8_t copy[sizeof(struct esync_dump_hdr)];
	uint32_t crc;

	memcpy(copy, h, hdr_len);
	memset(copy + crc_off, 0, sizeof(uint32_t));
	crc = esync_crc32c(0, copy, hdr_len);
	return esync_crc32c(crc, topo, topo_len);
}

static int topo_cmp(const void *a, const void *b)
{
	const struct esync_alias_set *x = a, *y = b;

	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

/*
 * What the window holds at first and grows by; a header with many
 * topology records may need more, and gets it.  (Read in pieces of the
 * size cat reads in, the file stays in the CPU's caches from read() to
 * checksum.)
 */
#define WINDOW (256u << 10)

static void read_failed(struct esync_dump_reader *r, int err)
{
	snprintf(r->err, sizeof(r->err),
		 "%s: cannot read at byte offset %zu: %s; the %llu records before it were read",
		 r->name, r->base + r->len, strerror(err),
		 (unsigned long long)r->records);
	close(r->fd);
	r->fd = -1;
}

/*
 * Makes the file's bytes [off, off + want) readable at r->data + off -
 * r->base, reading more of the file as needed, and returns how many of
 * them there are: fewer only at the end of the file or after a read error
 * (r->err set).  Bytes before off are given up; off never goes back, and
 * never past the end of the window.
 */
static __attribute__((noinline)) size_t fill_slow(struct esync_dump_reader *r,
						  size_t off, size_t want)
{
	size_t have;

	if (off >= r->base + r->len && r->fd < 0)
		return 0;
	have = r->base + r->len - off;
	if (have >= want || r->fd < 0)
		return have < want ? have : want;
	if (r->buf && off > r->base) {
		uint8_t *to = r->next_window ? r->next_window(r->window_ctx, r->buf) : r->buf;

		memmove(to, r->buf + (off - r->base), have);
		r->buf = to;
		r->data = to;
		r->base = off;
		r->len = have;
	}
	/* (the windows handed in are as large as any frame) */
	if (!r->next_window && (want > r->cap || !r->buf)) {
		size_t cap = r->cap ? r->cap : WINDOW;
		uint8_t *buf;

		while (cap < want)
			cap *= 2;
		buf = realloc(r->buf, cap);
		if (!buf) {
			read_failed(r, ENOMEM);
			return have;
		}
		r->buf = buf;
		r->cap = cap;
		r->data = buf;
	}
	while (r->len < want) {
		ssize_t n = read(r->fd, r->buf + r->len, r->cap - r->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			read_failed(r, errno);
			break;
		}
		if (n == 0) {
			close(r->fd);
			r->fd = -1;
			break;
		}
		r->len += (size_t)n;
	}
	have = r->base + r->len - off;
	return have < want ? have : want;
}

/* fill_slow(), when the window already holds what is wanted: no call */
static inline size_t fill(struct esync_dump_reader *r, size_t off, size_t want)
{
	if (off <= r->base + r->len && r->base + r->len - off >= want)
		return want;
	return fill_slow(r, off, want);
}

/*
 * The header's mode and flags: what this esync knows.  With a valid
 * checksum, others come from a newer esync (they may change what the
 * events mean); without one, from damage.
 */
static int check_header_fields(struct esync_dump_reader *r,
			       const struct esync_dump_hdr *h, bool crc_ok)
{
	uint32_t flags = h->flags & ~ESYNC_IN_KNOWN;
	uint32_t checks = h->checks & ~ESYNC_ALL_CHECKS;

	if (!crc_ok && (flags || checks || (h->mode != ESYNC_MODE_PATCHED &&
					    h->mode != ESYNC_MODE_LEGACY))) {
		snprintf(r->err, sizeof(r->err),
			 "%s: header checksum mismatch and impossible fields (mode %u, flags 0x%x, checks 0x%x): the header is damaged; the dump cannot be read",
			 r->name, h->mode, h->flags, h->checks);
		return -1;
	}
	if (h->mode == ESYNC_MODE_UNKNOWN) {
		snprintf(r->err, sizeof(r->err),
			 "%s: recording mode 0, which no esync writes: the header is damaged or was not written by esync; the dump cannot be read",
			 r->name);
		return -1;
	}
	if (h->mode != ESYNC_MODE_PATCHED && h->mode != ESYNC_MODE_LEGACY) {
		snprintf(r->err, sizeof(r->err),
			 "%s: recording mode %u, which this esync (%s) does not know; read it with a newer esync",
			 r->name, h->mode, esync_version());
		return -1;
	}
	if (flags) {
		snprintf(r->err, sizeof(r->err),
			 "%s: header flags 0x%x, which this esync (%s) does not know (they may change what the events mean); read it with a newer esync",
			 r->name, flags, esync_version());
		return -1;
	}
	return 0;
}

static int read_header(struct esync_dump_reader *r)
{
	struct esync_dump_hdr h = { 0 };
	const uint8_t *topo;
	size_t topo_len, hsize, size = fill(r, 0, 12);
	uint32_t version, crc;
	bool crc_ok;

	if (r->err[0])
		return -1;
	if (size == 0) {
		snprintf(r->err, sizeof(r->err),
			 "%s: empty file, not an esync dump; record one with 'esync record -o FILE'",
			 r->name);
		return -1;
	}
	if (size < 8 || memcmp(r->data, ESYNC_DUMP_MAGIC, 8) != 0) {
		snprintf(r->err, sizeof(r->err),
			 "%s: not an esync dump (no '" ESYNC_DUMP_MAGIC "' magic at offset 0); check the file name",
			 r->name);
		return -1;
	}
	if (size < 12) {
		snprintf(r->err, sizeof(r->err),
			 "%s: truncated inside the header (file is %zu bytes); the dump is unusable, record it again",
			 r->name, size);
		return -1;
	}
	memcpy(&version, r->data + 8, sizeof(version));
	/* No esync wrote a version 0: that is damage, not the future */
	if (version == 0) {
		snprintf(r->err, sizeof(r->err),
			 "%s: dump format version 0, which no esync writes: the header is damaged or this is not an esync dump; it cannot be read",
			 r->name);
		return -1;
	}
	if (version != 1 && version != ESYNC_DUMP_VERSION) {
		snprintf(r->err, sizeof(r->err),
			 "%s: dump format version %u, this esync (%s) reads versions 1 to %u; read it with a newer esync",
			 r->name, version, esync_version(), ESYNC_DUMP_VERSION);
		return -1;
	}
	hsize = version == 1 ? ESYNC_DUMP_V1_HDR_SIZE : sizeof(h);
	size = fill(r, 0, hsize);
	if (r->err[0])
		return -1;
	if (size < hsize) {
		snprintf(r->err, sizeof(r->err),
			 "%s: truncated inside the %zu-byte header (file is %zu bytes); the dump is unusable, record it again",
			 r->name, hsize, size);
		return -1;
	}
	memcpy(&h, r->data, hsize);
	if (version == 1) {
		/* Version 1 ends with reserved words (zero) and its crc */
		memcpy(&crc, r->data + hsize - sizeof(crc), sizeof(crc));
		h.flags = h.checks = h.hooks_on = h.hooks_total = 0;
		h.crc = crc;
	}
	if (h.events_version != ESYNC_EVENTS_VERSION) {
		snprintf(r->err, sizeof(r->err),
			 "%s: event ABI version %u, this esync (%s) reads version %u; read it with the esync that recorded it%s%.64s",
			 r->name, h.events_version, esync_version(),
			 ESYNC_EVENTS_VERSION, version > 1 ? ", " : "",
			 version > 1 ? h.tool : "");
		return -1;
	}
	if (h.topo_size != sizeof(struct esync_dump_topo) ||
	    h.nr_topo > ESYNC_DUMP_MAX_TOPO ||
	    h.hdr_size != hsize + (size_t)h.nr_topo * h.topo_size) {
		snprintf(r->err, sizeof(r->err),
			 "%s: inconsistent header sizes (header %u bytes, %u topology records of %u bytes); the header is damaged, record the dump again",
			 r->name, h.hdr_size, h.nr_topo, h.topo_size);
		return -1;
	}
	size = fill(r, 0, h.hdr_size);
	if (r->err[0])
		return -1;
	if (size < h.hdr_size) {
		snprintf(r->err, sizeof(r->err),
			 "%s: truncated inside the header (needs %u bytes, file is %zu); record the dump again",
			 r->name, h.hdr_size, size);
		return -1;
	}
	topo = r->data + hsize;
	topo_len = (size_t)h.nr_topo * h.topo_size;
	crc_ok = header_crc(r->data, hsize, hsize - sizeof(uint32_t), topo, topo_len) == h.crc;
	if (check_header_fields(r, &h, crc_ok) < 0)
		return -1;
	/*
	 * A damaged header whose framing fields all make sense: the records
	 * have checksums of their own, and a post-mortem dump cannot be
	 * recorded again, so read them, saying what cannot be trusted.
	 */
	if (!crc_ok) {
		r->info.header_damaged = true;
		snprintf(r->header_warn, sizeof(r->header_warn),
			 "%s: header checksum mismatch: the header is damaged and its fields (host, kernel, topology, what was recorded) may be wrong; the records are read anyway, the result is at least incomplete",
			 r->name);
	}

	r->info.version = version;
	r->info.flags = h.flags;
	if (h.mode == ESYNC_MODE_LEGACY)
		r->info.flags |= ESYNC_IN_LEGACY;
	r->info.checks = h.checks;
	r->info.hooks_on = h.hooks_on;
	r->info.hooks_total = h.hooks_total;
	memcpy(r->info.tool, h.tool, sizeof(h.tool));
	r->info.tool[sizeof(h.tool)] = 0;
	r->info.mode = h.mode;
	esync_seq_names_legacy(h.mode == ESYNC_MODE_LEGACY);
	r->info.created_ns = h.created_ns;
	memcpy(r->info.host, h.host, sizeof(h.host));
	r->info.host[sizeof(h.host)] = 0;
	memcpy(r->info.kernel, h.kernel, sizeof(h.kernel));
	r->info.kernel[sizeof(h.kernel)] = 0;
	r->info.topo.nr = 0;
	r->info.topo.sets = NULL;
	if (h.nr_topo) {
		r->info.topo.sets = calloc(h.nr_topo, sizeof(*r->info.topo.sets));
		if (!r->info.topo.sets) {
			snprintf(r->err, sizeof(r->err), "%s: out of memory for %u topology records",
				 r->name, h.nr_topo);
			return -1;
		}
	}
	for (uint32_t i = 0; i < h.nr_topo; i++) {
		struct esync_dump_topo t;
		struct esync_alias_set *s = &r->info.topo.sets[i];

		memcpy(&t, topo + (size_t)i * sizeof(t), sizeof(t));
		s->dev = t.dev;
		s->nr = t.nr > ESYNC_MAX_ALIASES ? ESYNC_MAX_ALIASES : t.nr;
		memcpy(s->alias, t.alias, s->nr * sizeof(s->alias[0]));
	}
	r->info.topo.nr = h.nr_topo;
	if (h.nr_topo)
		qsort(r->info.topo.sets, r->info.topo.nr,
		      sizeof(*r->info.topo.sets), topo_cmp);
	r->off = h.hdr_size;
	return 0;
}

int esync_dump_open_mem(struct esync_dump_reader *r, const void *buf,
			size_t len, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->data = buf;
	r->len = len;
	r->fd = -1;
	r->stable = true;
	return read_header(r);
}

size_t esync_dump_window_size(const struct esync_dump_reader *r)
{
	return r->cap > WINDOW ? r->cap : WINDOW;
}

bool esync_dump_move_windows(struct esync_dump_reader *r, uint8_t *first,
			     uint8_t *(*next)(void *ctx, uint8_t *old), void *ctx)
{
	size_t unread = r->base + r->len - r->off;
	uint8_t *to = first;

	/* A caller's buffer (r->stable), or a dump read whole, stays put */
	if (next && (r->stable || r->fd < 0 || unread > esync_dump_window_size(r)))
		return false;
	if (!next && !r->next_window)
		return true;
	if (!next) {
		to = malloc(esync_dump_window_size(r));
		if (!to)
			return false;
	}
	if (r->buf)
		memcpy(to, r->buf + (r->off - r->base), unread);
	if (!r->next_window)
		free(r->buf);
	r->cap = esync_dump_window_size(r);
	r->buf = to;
	r->data = to;
	r->base = r->off;
	r->len = unread;
	r->next_window = next;
	r->window_ctx = ctx;
	return true;
}

int esync_dump_open(struct esync_dump_reader *r, const char *path)
{
	struct stat st;
	bool in = !strcmp(path, "-");
	int fd;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->name = in ? "<stdin>" : path;
	fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(r->err, sizeof(r->err), "%s: cannot open: %s", r->name,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(r->err, sizeof(r->err), "%s: a directory; give a dump written by 'esync record'",
			 r->name);
		close(fd);
		return -1;
	}
	r->fd = fd;
	if (S_ISREG(st.st_mode))
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (read_header(r) < 0) {
		char err[sizeof(r->err)];

		memcpy(err, r->err, sizeof(err));
		esync_dump_close(r);
		memcpy(r->err, err, sizeof(err));
		return -1;
	}
	return 0;
}

/*
 * Where damage is, for messages: after how many records were read (how
 * many an earlier gap held is not known, so no record can be numbered in
 * the file); the byte offset goes with it and is exact.
 */
static const char *where(const struct esync_dump_reader *r, char *buf, size_t len)
{
	if (!r->records)
		snprintf(buf, len, "before the first record");
	else
		snprintf(buf, len, "after record %llu", (unsigned long long)r->records);
	return buf;
}

static int damaged(struct esync_dump_reader *r, const char *what)
{
	char pos[48];

	r->done = true;
	if (r->err[0])		/* a read error, said already */
		return -1;
	snprintf(r->err, sizeof(r->err),
		 "%s: %s %s at byte offset %zu; stopped there, the %llu records before it were read",
		 r->name, what, where(r, pos, sizeof(pos)), r->off,
		 (unsigned long long)r->records);
	return -1;
}

/* NULL if a whole, valid frame starts at off (*payload: its event, in place). */
static const char *frame_at(struct esync_dump_reader *r, size_t off,
			    const uint8_t **payload, uint32_t *len)
{
	struct esync_frame fr;
	size_t left = fill(r, off, sizeof(fr) + ESYNC_EV_MAX_SIZE);
	const uint8_t *p = r->data + (off - r->base);

	if (left < sizeof(fr))
		return "file ends inside a frame header (cut by a crash?)";
	memcpy(&fr, p, sizeof(fr));
	*len = fr.len;
	if (fr.len < sizeof(struct esync_ev_hdr) || fr.len > ESYNC_EV_MAX_SIZE ||
	    fr.len % 8)
		return "impossible record length";
	if (left - sizeof(fr) < fr.len)
		return "file ends inside a record (cut by a crash?)";
	if (esync_frame_sum(r->info.version, fr.len, p + sizeof(fr)) != fr.crc)
		return "bad checksum";
	*payload = p + sizeof(fr);
	return esync_event_check(*payload, fr.len);
}

/*
 * The frame at r->off is damaged: find the next valid one (frames start on
 * 8-byte boundaries) and hand out the gap as a lost-events mark.  How many
 * records the gap held is not known (its lengths are damaged too), so the
 * mark counts none: a gap is counted as a gap.  If no valid frame
 * follows, the damage is the end of the file: stop there.
 */
static int resync(struct esync_dump_reader *r, const union esync_event **evp,
		  union esync_event *scratch, const char *why)
{
	size_t start = r->off;
	const uint8_t *payload;
	char pos[48];
	uint32_t len;
	size_t p;

	for (p = start + 8;; p += 8) {
		if (fill(r, p, 1) == 0)
			return damaged(r, why);
		if (!frame_at(r, p, &payload, &len))
			break;
	}
	r->gaps++;
	r->gap_bytes += p - start;
	snprintf(r->warn, sizeof(r->warn),
		 "%s: %s %s at byte offset %zu: skipped %zu bytes (at least one record) up to the next valid record at offset %zu; writes open across the gap are reported incomplete",
		 r->name, why, where(r, pos, sizeof(pos)), start, p - start, p);
	r->off = p;
	memset(scratch, 0, sizeof(struct esync_ev_lost));
	scratch->lost.hdr.kind = ESYNC_EV_LOST;
	scratch->lost.hdr.size = sizeof(struct esync_ev_lost);
	scratch->lost.hdr.ts_ns = r->last_ts;
	*evp = scratch;
	return 1;
}

int esync_dump_next_ref(struct esync_dump_reader *r, const union esync_event **evp,
			union esync_event *scratch)
{
	const uint8_t *payload;
	const char *why;
	uint32_t len = 0;

	if (r->done || fill(r, r->off, 1) == 0)
		return r->err[0] ? -1 : 0;
	why = frame_at(r, r->off, &payload, &len);
	if (why)
		return resync(r, evp, scratch, why);
	/* A caller's buffer may put the records off their alignment */
	if ((uintptr_t)payload % 8) {
		memcpy(scratch, payload, len);
		payload = (const uint8_t *)scratch;
	}
	*evp = (const union esync_event *)payload;
	r->off += sizeof(struct esync_frame) + len;
	r->records++;
	r->last_ts = (*evp)->hdr.ts_ns;
	return 1;
}

int esync_dump_next(struct esync_dump_reader *r, union esync_event *ev)
{
	const union esync_event *x;
	int rc = esync_dump_next_ref(r, &x, ev);

	if (rc > 0 && x != ev)
		memcpy(ev, x, x->hdr.size);
	return rc;
}

void esync_dump_info_free(struct esync_dump_info *info)
{
	free(info->topo.sets);
	info->topo.sets = NULL;
	info->topo.nr = 0;
}

void esync_dump_close(struct esync_dump_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (!r->next_window)
		free(r->buf);
	esync_dump_info_free(&r->info);
	r->fd = -1;
	r->buf = NULL;
	r->data = NULL;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int flush(struct esync_dump_writer *w)
{
	int err = write_all(w->fd, w->buf, w->len);

	w->len = 0;
	return err;
}

int esync_dump_create_fd(struct esync_dump_writer *w, int fd,
			 const struct esync_dump_info *info)
{
	struct esync_dump_hdr h = { 0 };
	struct esync_dump_topo *topo = NULL;
	const char *tool = info->tool[0] ? info->tool : esync_version();
	size_t topo_len;
	int err = 0;

	w->fd = fd;
	w->len = 0;
	w->records = 0;
	if (info->topo.nr > ESYNC_DUMP_MAX_TOPO)
		return -E2BIG;
	memcpy(h.magic, ESYNC_DUMP_MAGIC, 8);
	h.version = ESYNC_DUMP_VERSION;
	h.events_version = ESYNC_EVENTS_VERSION;
	h.mode = info->mode;
	h.created_ns = info->created_ns;
	memcpy(h.host, info->host, strnlen(info->host, sizeof(h.host)));
	memcpy(h.kernel, info->kernel, strnlen(info->kernel, sizeof(h.kernel)));
	memcpy(h.tool, tool, strnlen(tool, sizeof(h.tool) - 1));
	h.flags = info->flags;
	h.checks = info->checks;
	h.hooks_on = info->hooks_on;
	h.hooks_total = info->hooks_total;
	h.nr_topo = info->topo.nr;
	h.topo_size = sizeof(struct esync_dump_topo);
	topo_len = (size_t)h.nr_topo * h.topo_size;
	h.hdr_size = (uint32_t)(sizeof(h) + topo_len);
	if (h.nr_topo) {
		topo = calloc(h.nr_topo, sizeof(*topo));
		if (!topo)
			return -ENOMEM;
	}
	for (unsigned int i = 0; i < h.nr_topo; i++) {
		const struct esync_alias_set *s = &info->topo.sets[i];

		topo[i].dev = s->dev;
		topo[i].nr = s->nr > ESYNC_EV_MAX_ALIASES ? ESYNC_EV_MAX_ALIASES : s->nr;
		memcpy(topo[i].alias, s->alias, topo[i].nr * sizeof(uint32_t));
	}
	h.crc = header_crc(&h, sizeof(h), offsetof(struct esync_dump_hdr, crc),
			   (const uint8_t *)topo, topo_len);
	if ((err = write_all(w->fd, &h, sizeof(h))) ||
	    (err = write_all(w->fd, topo, topo_len))) {
		free(topo);
		return err;
	}
	free(topo);
	return 0;
}

int esync_dump_create(struct esync_dump_writer *w, const char *path,
		      const struct esync_dump_info *info)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	int err = 0;

	if (fd < 0)
		return -errno;
	/* An existing file keeps its mode through O_TRUNC: a dump is 0600 */
	if (fchmod(fd, 0600) < 0 || (err = esync_dump_create_fd(w, fd, info))) {
		err = err ? err : -errno;
		close(fd);
		w->fd = -1;
		return err;
	}
	return 0;
}

int esync_dump_write(struct esync_dump_writer *w, const void *ev)
{
	const struct esync_ev_hdr *h = ev;
	struct esync_frame fr;
	int err;

	if (esync_event_check(ev, h->size))
		return -EINVAL;
	if (w->len + sizeof(fr) + h->size > sizeof(w->buf) && (err = flush(w)))
		return err;
	fr.len = h->size;
	fr.crc = esync_frame_sum(ESYNC_DUMP_VERSION, fr.len, ev);
	memcpy(w->buf + w->len, &fr, sizeof(fr));
	memcpy(w->buf + w->len + sizeof(fr), ev, h->size);
	w->len += sizeof(fr) + h->size;
	w->records++;
	return 0;
}

int esync_dump_finish(struct esync_dump_writer *w)
{
	int err = flush(w);

	if (close(w->fd) < 0 && !err)
		err = -errno;
	w->fd = -1;
	return err;
}

int esync_dump_update_flags(struct esync_dump_writer *w, uint32_t flags)
{
	struct esync_dump_hdr h;
	uint8_t *all;
	int err = flush(w);

	if (err)
		return err;
	if (pread(w->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -EIO;
	all = malloc(h.hdr_size);
	if (!all)
		return -ENOMEM;
	if (pread(w->fd, all, h.hdr_size, 0) != (ssize_t)h.hdr_size) {
		free(all);
		return -EIO;
	}
	h.flags = flags;
	memcpy(all, &h, sizeof(h));
	h.crc = header_crc(all, sizeof(h), offsetof(struct esync_dump_hdr, crc),
			   all + sizeof(h), h.hdr_size - sizeof(h));
	free(all);
	if (pwrite(w->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -EIO;
	return 0;
}
