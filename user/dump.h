/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dump file: a header (magic, format version, host, kernel release,
 * mode, what the recording could see, the esync that wrote it, topology
 * snapshot) and then framed events, each frame carrying its length and a
 * CRC-32C over both (esync_frame_sum), which catches every error of up to
 * 5 bits in a frame of the largest size.  A damaged frame is skipped: the
 * reader finds the next valid frame and reports the gap.  A dump cut by a
 * crash reads up to its last whole frame.
 *
 *   struct esync_dump_hdr		256 bytes, crc over header + topology
 *   struct esync_dump_topo[nr]		136 bytes each
 *   { u32 len; u32 crc; u8 event[len]; } ...
 *
 * Version 1 dumps (a 192-byte header ending in reserved words, frames
 * checked by three folded CRC lanes) are still read.
 *
 * All fields are little-endian.
 */
#ifndef ESYNC_DUMP_H
#define ESYNC_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "topology.h"

#define ESYNC_DUMP_MAGIC	"ESYNCDMP"
#define ESYNC_DUMP_VERSION	2
#define ESYNC_DUMP_MAX_TOPO	65536
/* Version 1's header: the same as version 2's up to topo_size. */
#define ESYNC_DUMP_V1_HDR_SIZE	192

enum esync_mode {
	ESYNC_MODE_UNKNOWN = 0,
	ESYNC_MODE_PATCHED = 1,
	ESYNC_MODE_LEGACY = 2,
};

struct esync_dump_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_size;	/* this header and the topology records */
	uint32_t events_version;
	uint32_t mode;		/* enum esync_mode */
	uint64_t created_ns;	/* CLOCK_REALTIME at creation */
	char host[64];
	char kernel[64];
	uint32_t nr_topo;
	uint32_t topo_size;	/* sizeof(struct esync_dump_topo) */
	uint32_t flags;		/* ESYNC_IN_* (engine.h): what the events carry */
	uint32_t checks;	/* bit per ESYNC_CHK_* the recording supports */
	uint32_t hooks_on;	/* hooks attached while recording */
	uint32_t hooks_total;	/* hooks this esync knows */
	char tool[64];		/* the esync version that wrote it */
	uint32_t reserved;
	uint32_t crc;		/* computed with this field 0 */
};

struct esync_dump_topo {
	uint32_t dev;
	uint32_t nr;
	uint32_t alias[ESYNC_EV_MAX_ALIASES];
};

_Static_assert(sizeof(struct esync_dump_hdr) == 256, "dump header size");
_Static_assert(__builtin_offsetof(struct esync_dump_hdr, flags) == 168,
	       "dump header: version 2 fields start where version 1 reserved");
_Static_assert(sizeof(struct esync_dump_topo) == 136, "dump topology size");

struct esync_frame {
	uint32_t len;
	uint32_t crc;
};

/* The checksum of a frame of len bytes (a multiple of 8) in a dump of 'version'. */
uint32_t esync_frame_sum(unsigned int version, uint32_t len, const void *payload);

/* What a dump says about where it was recorded. */
struct esync_dump_info {
	uint32_t version;	/* of the dump format (set by the reader) */
	uint32_t mode;
	uint32_t flags;		/* ESYNC_IN_* */
	uint32_t checks;	/* 0: the dump does not say */
	uint32_t hooks_on, hooks_total;	/* 0, 0: the dump does not say */
	uint64_t created_ns;
	char host[65];
	char kernel[65];
	char tool[65];		/* "" when the dump does not say */
	struct esync_topology topo;	/* sets malloc'ed, sorted by dev */
	/*
	 * Set by the reader: the header's checksum failed, but its framing
	 * fields made sense and the records are read.  What it says (host,
	 * kernel, topology, checks) may be wrong: the result is incomplete.
	 */
	bool header_damaged;
};

struct esync_dump_reader {
	const char *name;
	/*
	 * A window on the file: bytes [base, base + len) are at data.  A file
	 * is read through it in pieces, so that memory stays the same whatever
	 * the file's size and reading costs no page fault per page.
	 */
	const uint8_t *data;
	size_t base, len;
	uint8_t *buf;		/* data, when the reader owns it */
	size_t cap;
	/* Set: the window moves into the buffer it gives (esync_dump_move_windows) */
	uint8_t *(*next_window)(void *ctx, uint8_t *old);
	void *window_ctx;
	/* data stays where it is until close: a caller's buffer */
	bool stable;
	int fd;			/* -1: no more to read (a buffer, or the end) */
	bool done;		/* reading stopped at damage it cannot pass */
	size_t off;		/* of the next frame, in the file */
	uint64_t records;	/* whole records read */
	uint64_t gaps;		/* damaged stretches skipped */
	uint64_t gap_bytes;	/* bytes in them */
	uint64_t last_ts;	/* of the last record read */
	struct esync_dump_info info;
	char err[320];		/* one line: what is wrong, what to do */
	char warn[320];		/* the last gap skipped, one line */
	char header_warn[320];	/* info.header_damaged: why, one line */
};

/*
 * Opens a dump and reads its header.  Returns 0, or -1 with r->err set
 * (then nothing is left to close).  "-" is standard input; pipes are read
 * as they come, like files.  A header that fails its checksum but whose
 * version, sizes, mode and flags are valid is read, with
 * r->info.header_damaged and r->header_warn set.
 */
int esync_dump_open(struct esync_dump_reader *r, const char *path);

/* As esync_dump_open on a buffer the caller keeps alive. */
int esync_dump_open_mem(struct esync_dump_reader *r, const void *buf,
			size_t len, const char *name);

/*
 * Copies the next event to ev.  Returns 1, 0 at the clean end of the file,
 * or -1 when reading stopped (the file ends inside a frame) with r->err
 * saying where; every record before it has been returned.  A damaged frame
 * is skipped: the reader resynchronises on the next valid frame and
 * returns in its place an ESYNC_EV_LOST event whose count is 0 (the
 * number of records in the gap is not known; r->gaps counts gaps), with
 * r->warn saying what was skipped.
 */
int esync_dump_next(struct esync_dump_reader *r, union esync_event *ev);

/*
 * As esync_dump_next, without the copy where it can: *ev points at the
 * event where it lies in the input (until close when r->stable, as
 * esync_dump_move_windows() says with windows, else until the next
 * call), or at scratch (a gap's mark, an unaligned record).
 */
int esync_dump_next_ref(struct esync_dump_reader *r, const union esync_event **ev,
			union esync_event *scratch);

/*
 * From now on the window, when it moves on, moves into the buffer
 * next(ctx, old) gives, of esync_dump_window_size() bytes, instead of to
 * the start of the one it leaves: the events handed out of that one stay
 * where they are for as long as next() does not give it out again (their
 * user says when: dump_ahead.c).  first: where the window starts.  false
 * where the window does not move (a caller's buffer, an input read
 * whole) or holds more than a buffer.  next NULL: the reader owns its
 * window again (a copy of the bytes not read yet).
 */
bool esync_dump_move_windows(struct esync_dump_reader *r, uint8_t *first,
			     uint8_t *(*next)(void *ctx, uint8_t *old), void *ctx);
size_t esync_dump_window_size(const struct esync_dump_reader *r);

void esync_dump_close(struct esync_dump_reader *r);

void esync_dump_info_free(struct esync_dump_info *info);

struct esync_dump_writer {
	int fd;
	size_t len;
	uint64_t records;
	unsigned char buf[1 << 16];
};

/* Creates path with mode 0600 and writes the header.  0 or -errno. */
int esync_dump_create(struct esync_dump_writer *w, const char *path,
		      const struct esync_dump_info *info);

/* As esync_dump_create on an open file descriptor, which w then owns. */
int esync_dump_create_fd(struct esync_dump_writer *w, int fd,
			 const struct esync_dump_info *info);

/*
 * Rewrites the header's ESYNC_IN_* flags once the events are known (the
 * perf import learns them from the input); the file must be seekable.
 */
int esync_dump_update_flags(struct esync_dump_writer *w, uint32_t flags);

/* Frames and writes one event (ev->hdr.size bytes).  0 or -errno. */
int esync_dump_write(struct esync_dump_writer *w, const void *ev);

/* Flushes and closes.  0 or -errno. */
int esync_dump_finish(struct esync_dump_writer *w);

#endif /* ESYNC_DUMP_H */
