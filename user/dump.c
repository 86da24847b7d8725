// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dump file reader and writer.  The reader maps the file and checks every
 * frame before handing its event out; on the first damaged frame it stops
 * and says where, having returned every whole record before it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "dump.h"

uint32_t esync_frame_sum(uint32_t len, const void *payload)
{
	return esync_crc32c_lanes(len * 0x9e3779b9u, payload, len);
}

static uint32_t header_crc(const struct esync_dump_hdr *h, const uint8_t *topo,
			   size_t topo_len)
{
	struct esync_dump_hdr copy = *h;
	uint32_t crc;

	copy.crc = 0;
	crc = esync_crc32c(0, &copy, sizeof(copy));
	return esync_crc32c(crc, topo, topo_len);
}

static int topo_cmp(const void *a, const void *b)
{
	const struct esync_alias_set *x = a, *y = b;

	return x->dev < y->dev ? -1 : x->dev > y->dev;
}

static int read_header(struct esync_dump_reader *r)
{
	struct esync_dump_hdr h;
	const uint8_t *topo;
	size_t topo_len;

	if (r->size == 0) {
		snprintf(r->err, sizeof(r->err),
			 "%s: empty file, not an esync dump; record one with 'esync record -o FILE'",
			 r->name);
		return -1;
	}
	if (r->size < 8 || memcmp(r->data, ESYNC_DUMP_MAGIC, 8) != 0) {
		snprintf(r->err, sizeof(r->err),
			 "%s: not an esync dump (no '" ESYNC_DUMP_MAGIC "' magic at offset 0); check the file name",
			 r->name);
		return -1;
	}
	if (r->size < sizeof(h)) {
		snprintf(r->err, sizeof(r->err),
			 "%s: truncated inside the %zu-byte header (file is %zu bytes); the dump is unusable, record it again",
			 r->name, sizeof(h), r->size);
		return -1;
	}
	memcpy(&h, r->data, sizeof(h));
	if (h.version != ESYNC_DUMP_VERSION) {
		snprintf(r->err, sizeof(r->err),
			 "%s: dump format version %u, this esync reads version %u; use the esync that recorded it",
			 r->name, h.version, ESYNC_DUMP_VERSION);
		return -1;
	}
	if (h.events_version != ESYNC_EVENTS_VERSION) {
		snprintf(r->err, sizeof(r->err),
			 "%s: event ABI version %u, this esync reads version %u; use the esync that recorded it",
			 r->name, h.events_version, ESYNC_EVENTS_VERSION);
		return -1;
	}
	if (h.topo_size != sizeof(struct esync_dump_topo) ||
	    h.nr_topo > ESYNC_DUMP_MAX_TOPO ||
	    h.hdr_size != sizeof(h) + (size_t)h.nr_topo * h.topo_size) {
		snprintf(r->err, sizeof(r->err),
			 "%s: inconsistent header sizes (header %u bytes, %u topology records of %u bytes); the header is damaged, record the dump again",
			 r->name, h.hdr_size, h.nr_topo, h.topo_size);
		return -1;
	}
	if (h.hdr_size > r->size) {
		snprintf(r->err, sizeof(r->err),
			 "%s: truncated inside the header (needs %u bytes, file is %zu); record the dump again",
			 r->name, h.hdr_size, r->size);
		return -1;
	}
	topo = r->data + sizeof(h);
	topo_len = (size_t)h.nr_topo * h.topo_size;
	if (header_crc(&h, topo, topo_len) != h.crc) {
		snprintf(r->err, sizeof(r->err),
			 "%s: header checksum mismatch, the header is damaged; record the dump again",
			 r->name);
		return -1;
	}

	r->info.mode = h.mode;
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
	r->size = len;
	return read_header(r);
}

int esync_dump_open(struct esync_dump_reader *r, const char *path)
{
	struct stat st;
	void *map = NULL;
	int fd;

	memset(r, 0, sizeof(*r));
	r->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(r->err, sizeof(r->err), "%s: cannot open: %s", path,
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(r->err, sizeof(r->err), "%s: not a regular file; give a dump written by 'esync record'",
			 path);
		close(fd);
		return -1;
	}
	if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			snprintf(r->err, sizeof(r->err), "%s: cannot map: %s", path,
				 strerror(errno));
			close(fd);
			return -1;
		}
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
	}
	close(fd);
	r->data = map;
	r->size = (size_t)st.st_size;
	r->mapped = map != NULL;
	if (read_header(r) < 0) {
		char err[sizeof(r->err)];

		memcpy(err, r->err, sizeof(err));
		esync_dump_close(r);
		memcpy(r->err, err, sizeof(err));
		return -1;
	}
	return 0;
}

#define DROP_CHUNK (16u << 20)

static int damaged(struct esync_dump_reader *r, const char *what)
{
	snprintf(r->err, sizeof(r->err),
		 "%s: %s in record %llu at byte offset %zu; stopped there, the %llu records before it were read",
		 r->name, what, (unsigned long long)r->records + 1, r->off,
		 (unsigned long long)r->records);
	r->off = r->size;
	return -1;
}

int esync_dump_next(struct esync_dump_reader *r, union esync_event *ev)
{
	struct esync_frame fr;
	const uint8_t *p;
	const char *why;
	size_t left;

	if (r->off >= r->size)
		return r->err[0] ? -1 : 0;
	left = r->size - r->off;
	if (left < sizeof(fr))
		return damaged(r, "file ends inside a frame header (cut by a crash?)");
	p = r->data + r->off;
	memcpy(&fr, p, sizeof(fr));
	if (fr.len < sizeof(struct esync_ev_hdr) || fr.len > ESYNC_EV_MAX_SIZE ||
	    fr.len % 8)
		return damaged(r, "impossible record length");
	if (left - sizeof(fr) < fr.len)
		return damaged(r, "file ends inside a record (cut by a crash?)");
	if (esync_frame_sum(fr.len, p + sizeof(fr)) != fr.crc)
		return damaged(r, "bad checksum");
	memcpy(ev, p + sizeof(fr), fr.len);
	why = esync_event_check(ev, fr.len);
	if (why)
		return damaged(r, why);
	r->off += sizeof(fr) + fr.len;
	r->records++;
	/* Give read pages back, so that memory does not grow with the file */
	if (r->mapped && r->off - r->dropped >= DROP_CHUNK) {
		size_t upto = r->off & ~(DROP_CHUNK - 1);

		madvise((void *)(r->data + r->dropped), upto - r->dropped, MADV_DONTNEED);
		r->dropped = upto;
	}
	return 1;
}

void esync_dump_info_free(struct esync_dump_info *info)
{
	free(info->topo.sets);
	info->topo.sets = NULL;
	info->topo.nr = 0;
}

void esync_dump_close(struct esync_dump_reader *r)
{
	if (r->mapped)
		munmap((void *)r->data, r->size);
	esync_dump_info_free(&r->info);
	r->data = NULL;
	r->mapped = false;
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

int esync_dump_create(struct esync_dump_writer *w, const char *path,
		      const struct esync_dump_info *info)
{
	struct esync_dump_hdr h = { 0 };
	struct esync_dump_topo *topo = NULL;
	size_t topo_len;
	int err = 0;

	if (info->topo.nr > ESYNC_DUMP_MAX_TOPO)
		return -E2BIG;
	memcpy(h.magic, ESYNC_DUMP_MAGIC, 8);
	h.version = ESYNC_DUMP_VERSION;
	h.events_version = ESYNC_EVENTS_VERSION;
	h.mode = info->mode;
	h.created_ns = info->created_ns;
	memcpy(h.host, info->host, strnlen(info->host, sizeof(h.host)));
	memcpy(h.kernel, info->kernel, strnlen(info->kernel, sizeof(h.kernel)));
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
	h.crc = header_crc(&h, (const uint8_t *)topo, topo_len);

	w->len = 0;
	w->records = 0;
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		free(topo);
		return -errno;
	}
	/* An existing file keeps its mode through O_TRUNC: a dump is 0600 */
	if (fchmod(w->fd, 0600) < 0 || (err = write_all(w->fd, &h, sizeof(h))) ||
	    (err = write_all(w->fd, topo, topo_len))) {
		err = err ? err : -errno;
		free(topo);
		close(w->fd);
		w->fd = -1;
		return err;
	}
	free(topo);
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
	fr.crc = esync_frame_sum(fr.len, ev);
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
