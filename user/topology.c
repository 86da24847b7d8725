// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI DMA-alias model.
 *
 * For each PCI function found under SYSFS/bus/pci/devices, the set of
 * requester IDs visited by the kernel's pci_for_each_dma_alias():
 *
 *  1. the function's own RID;
 *  2. every devfn of its dma_alias_mask on its own bus.  sysfs does not
 *     show the mask, so the DMA-alias quirks of drivers/pci/quirks.c are
 *     mirrored in alias_quirks[] below;
 *  3. walking up the bridges that lead to it, until the root bus or a
 *     bridge flagged BRIDGE_XLATE_ROOT:
 *       - PCIe root, upstream and downstream ports: nothing;
 *       - PCIe-to-PCI/PCI-X bridge: (its secondary bus, devfn 00.0);
 *       - PCI/PCI-X-to-PCIe bridge: its own RID;
 *       - other PCIe functions: nothing (the kernel's switch has no case);
 *       - conventional PCI bridge: its own RID, or (secondary bus, 00.0)
 *         when quirks.c flags it PCIE_BRIDGE_ALIAS;
 *     virtual buses (bus->self == NULL, e.g. SR-IOV VFs) are skipped; in
 *     sysfs such a function sits directly under the bridge above, which
 *     is what the walk then meets;
 *  4. on AMD systems, the IVRS alias of the RID (IVHD entries 0x42 and
 *     0x43..0x04), when SYSFS/firmware/acpi/tables/IVRS is readable.
 *
 * The PCIe port type comes from the PCI Express capability in the
 * `config` file.  Unprivileged readers only see its first 64 bytes; the
 * type is then guessed: a PCIe bridge whose children are all conventional
 * PCI is taken for a PCIe-to-PCI bridge, any other PCIe bridge for a port.
 *
 * Not modelled: pci_real_dma_dev() (Intel VMD domains, which are skipped)
 * and the Switchtec NTB quirk (its aliases come from device registers).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "topology.h"

#define PCI_DEVFN(slot, fn)	((((slot) & 0x1f) << 3) | ((fn) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

#define PCI_STATUS		0x06
#define PCI_STATUS_CAP_LIST	0x10
#define PCI_HEADER_TYPE		0x0e
#define PCI_SECONDARY_BUS	0x19
#define PCI_CAPABILITY_LIST	0x34
#define PCI_CAP_ID_EXP		0x10

#define PCI_EXP_TYPE_ROOT_PORT	0x4
#define PCI_EXP_TYPE_UPSTREAM	0x5
#define PCI_EXP_TYPE_DOWNSTREAM	0x6
#define PCI_EXP_TYPE_PCI_BRIDGE	0x7	/* PCIe to PCI/PCI-X */
#define PCI_EXP_TYPE_PCIE_BRIDGE 0x8	/* PCI/PCI-X to PCIe */

#define PCI_CLASS_BRIDGE_PCI	0x0604
#define PCI_CLASS_BRIDGE_CARDBUS 0x0607

enum {
	PCIE_NO = -1,		/* conventional PCI */
	PCIE_UNKNOWN = -2,	/* PCIe, port type not readable */
};

#define FLAG_XLATE_ROOT		0x1
#define FLAG_PCIE_BRIDGE_ALIAS	0x2

struct pdev {
	uint32_t id;
	char *path;		/* resolved sysfs directory */
	int parent;		/* index of the bridge above, -1 on a root bus */
	uint16_t vendor, device, sub_vendor, sub_device;
	uint32_t class;
	bool bridge;
	int secondary;		/* secondary bus number, -1 if none */
	int pcie_type;		/* PCI_EXP_TYPE_*, PCIE_NO or PCIE_UNKNOWN */
	unsigned int flags;
	uint8_t alias_mask[32];	/* devfns on its own bus (quirks) */
};

/* ---- the DMA-alias quirks of drivers/pci/quirks.c (Linux 6.12) ---- */

enum quirk_kind {
	Q_FUNC0,		/* quirk_dma_func0_alias */
	Q_FUNC1,		/* quirk_dma_func1_alias */
	Q_FIXED,		/* quirk_fixed_dma_alias: devfn 'arg' */
	Q_MIC_X200,		/* quirk_mic_x200_dma_alias */
	Q_PEX_VCA,		/* quirk_pex_vca_alias */
	Q_PLX_NTB,		/* quirk_plx_ntb_dma_alias */
	Q_PCIE_BRIDGE_ALIAS,	/* quirk_use_pcie_bridge_dma_alias */
	Q_XLATE_ROOT,		/* quirk_bridge_cavm_thrx2_pcie_root */
};

#define ANY 0xffff

struct alias_quirk {
	uint16_t vendor, device;
	uint16_t sub_vendor, sub_device;
	enum quirk_kind kind;
	uint8_t arg;
};

static const struct alias_quirk alias_quirks[] = {
	/* Ricoh and Glenfly functions that DMA as function 0 */
	{ 0x1180, 0xe832, ANY, ANY, Q_FUNC0, 0 },
	{ 0x1180, 0xe476, ANY, ANY, Q_FUNC0, 0 },
	{ 0x6766, 0x3d40, ANY, ANY, Q_FUNC0, 0 },
	{ 0x6766, 0x3d41, ANY, ANY, Q_FUNC0, 0 },
	/* Marvell, TTI, JMicron, Lite-On functions that DMA as function 1 */
	{ 0x1b4b, 0x9120, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9123, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9125, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9128, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9130, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9170, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9172, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x917a, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9182, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9183, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x91a0, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9215, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9220, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9230, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1b4b, 0x9235, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1103, 0x0642, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1103, 0x0645, ANY, ANY, Q_FUNC1, 0 },
	{ 0x197b, 0x2392, ANY, ANY, Q_FUNC1, 0 },
	{ 0x1c28, 0x0122, ANY, ANY, Q_FUNC1, 0 },
	/* Adaptec 3405 and 3805: the DMA engine is a hidden device at 01.0 */
	{ 0x9005, 0x0285, 0x9005, 0x02bb, Q_FIXED, PCI_DEVFN(1, 0) },
	{ 0x9005, 0x0285, 0x9005, 0x02bc, Q_FIXED, PCI_DEVFN(1, 0) },
	/* Intel MIC x200 NTB */
	{ 0x8086, 0x2260, ANY, ANY, Q_MIC_X200, 0 },
	{ 0x8086, 0x2264, ANY, ANY, Q_MIC_X200, 0 },
	/* Intel Visual Compute Accelerator NTBs */
	{ 0x8086, 0x2954, ANY, ANY, Q_PEX_VCA, 0 },
	{ 0x8086, 0x2955, ANY, ANY, Q_PEX_VCA, 0 },
	{ 0x8086, 0x2956, ANY, ANY, Q_PEX_VCA, 0 },
	{ 0x8086, 0x2958, ANY, ANY, Q_PEX_VCA, 0 },
	{ 0x8086, 0x2959, ANY, ANY, Q_PEX_VCA, 0 },
	{ 0x8086, 0x295a, ANY, ANY, Q_PEX_VCA, 0 },
	/* PLX NTB: every devfn */
	{ 0x10b5, 0x87b0, ANY, ANY, Q_PLX_NTB, 0 },
	{ 0x10b5, 0x87b1, ANY, ANY, Q_PLX_NTB, 0 },
	/* PCIe-to-PCI bridges without a PCIe capability */
	{ 0x1b21, 0x1080, ANY, ANY, Q_PCIE_BRIDGE_ALIAS, 0 },
	{ 0x10e3, 0x8113, ANY, ANY, Q_PCIE_BRIDGE_ALIAS, 0 },
	{ 0x1283, 0x8892, ANY, ANY, Q_PCIE_BRIDGE_ALIAS, 0 },
	{ 0x1283, 0x8893, ANY, ANY, Q_PCIE_BRIDGE_ALIAS, 0 },
	{ 0x8086, 0x244e, ANY, ANY, Q_PCIE_BRIDGE_ALIAS, 0 },
	/* Broadcom Vulcan / Cavium ThunderX2: the IOMMU sits at this bridge */
	{ 0x14e4, 0x9000, ANY, ANY, Q_XLATE_ROOT, 0 },
	{ 0x14e4, 0x9084, ANY, ANY, Q_XLATE_ROOT, 0 },
};

static void mask_set(struct pdev *d, unsigned int devfn, unsigned int nr)
{
	for (unsigned int i = devfn; i < devfn + nr && i < 256; i++)
		d->alias_mask[i / 8] |= 1u << (i % 8);
}

static bool mask_test(const struct pdev *d, unsigned int devfn)
{
	return d->alias_mask[devfn / 8] & (1u << (devfn % 8));
}

static void apply_quirk(struct pdev *devs, struct pdev *d,
			const struct alias_quirk *q)
{
	unsigned int devfn = ESYNC_DEVID_DEVFN(d->id);
	const struct pdev *up = d->parent >= 0 ? &devs[d->parent] : NULL;

	switch (q->kind) {
	case Q_FUNC0:
		if (PCI_FUNC(devfn) != 0)
			mask_set(d, PCI_DEVFN(PCI_SLOT(devfn), 0), 1);
		break;
	case Q_FUNC1:
		if (PCI_FUNC(devfn) != 1)
			mask_set(d, PCI_DEVFN(PCI_SLOT(devfn), 1), 1);
		break;
	case Q_FIXED:
		mask_set(d, q->arg, 1);
		break;
	case Q_MIC_X200:
		mask_set(d, PCI_DEVFN(0x10, 0), 1);
		mask_set(d, PCI_DEVFN(0x11, 0), 1);
		mask_set(d, PCI_DEVFN(0x12, 3), 1);
		break;
	case Q_PEX_VCA:
		for (unsigned int slot = 0; slot < 0x20; slot++)
			mask_set(d, PCI_DEVFN(slot, 0), 5);
		break;
	case Q_PLX_NTB:
		mask_set(d, 0, 256);
		break;
	case Q_PCIE_BRIDGE_ALIAS:
		if (up && d->bridge && d->pcie_type == PCIE_NO &&
		    up->pcie_type != PCIE_NO &&
		    up->pcie_type != PCI_EXP_TYPE_PCI_BRIDGE)
			d->flags |= FLAG_PCIE_BRIDGE_ALIAS;
		break;
	case Q_XLATE_ROOT:
		d->flags |= FLAG_XLATE_ROOT;
		break;
	}
}

static void apply_quirks(struct pdev *devs, struct pdev *d)
{
	for (size_t i = 0; i < sizeof(alias_quirks) / sizeof(alias_quirks[0]); i++) {
		const struct alias_quirk *q = &alias_quirks[i];

		if (q->vendor != d->vendor || q->device != d->device)
			continue;
		if (q->sub_vendor != ANY && q->sub_vendor != d->sub_vendor)
			continue;
		if (q->sub_device != ANY && q->sub_device != d->sub_device)
			continue;
		apply_quirk(devs, d, q);
	}
}

/* ---- device ids ---- */

void esync_devid_str(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", ESYNC_DEVID_SEG(id),
		 ESYNC_DEVID_BUS(id), PCI_SLOT(ESYNC_DEVID_DEVFN(id)),
		 PCI_FUNC(ESYNC_DEVID_DEVFN(id)));
}

int esync_devid_parse(const char *s, uint32_t *id)
{
	unsigned int seg = 0, bus, slot, fn;
	int n = 0;

	if (!*s || s[strspn(s, "0123456789abcdefABCDEF:.")] != '\0')
		return -EINVAL;
	if (sscanf(s, "%x:%x:%x.%x%n", &seg, &bus, &slot, &fn, &n) != 4 || s[n]) {
		seg = 0;
		n = 0;
		if (sscanf(s, "%x:%x.%x%n", &bus, &slot, &fn, &n) != 3 || s[n])
			return -EINVAL;
	}
	if (seg > 0xffff || bus > 0xff || slot > 0x1f || fn > 7)
		return -EINVAL;
	*id = ESYNC_DEVID(seg, bus, PCI_DEVFN(slot, fn));
	return 0;
}

/* "0000:02:01.0" exactly (sysfs names); VMD's 5-digit domains fail. */
static bool parse_sysfs_name(const char *s, uint32_t *id)
{
	unsigned int seg, bus, slot, fn;
	int n = 0;

	if (strlen(s) != 12 ||
	    sscanf(s, "%4x:%2x:%2x.%1x%n", &seg, &bus, &slot, &fn, &n) != 4 ||
	    n != 12 || slot > 0x1f || fn > 7)
		return false;
	*id = ESYNC_DEVID(seg, bus, PCI_DEVFN(slot, fn));
	return true;
}

/* ---- sysfs reading ---- */

static int read_file(const char *dir, const char *name, uint8_t *buf,
		     size_t len, size_t *got)
{
	char path[PATH_MAX];
	ssize_t r;
	size_t n = 0;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < len) {
		r = read(fd, buf + n, len - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*got = n;
	return 0;
}

static bool read_ulong(const char *dir, const char *name, int base,
		       unsigned long *val)
{
	char buf[32];
	size_t got;
	char *end;

	if (read_file(dir, name, (uint8_t *)buf, sizeof(buf) - 1, &got) || !got)
		return false;
	buf[got] = '\0';
	errno = 0;
	*val = strtoul(buf, &end, base);
	return !errno && end != buf;
}

static bool file_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return false;
	return stat(path, &st) == 0;
}

/*
 * PCIe capability from config space: sets *type, or returns false if the
 * readable part ends before the capability list does.
 */
static bool pcie_type_from_config(const uint8_t *cfg, size_t len, int *type)
{
	unsigned int pos, guard = 48;

	*type = PCIE_NO;
	if (len < 0x40)
		return false;
	if (!(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST))
		return true;
	pos = cfg[PCI_CAPABILITY_LIST] & ~3u;
	while (pos >= 0x40 && guard--) {
		if (pos + 3 >= len)
			return false;
		if (cfg[pos] == PCI_CAP_ID_EXP) {
			*type = (cfg[pos + 2] >> 4) & 0xf;
			return true;
		}
		pos = cfg[pos + 1] & ~3u;
	}
	return true;
}

static int read_pdev(const char *dir, struct pdev *d)
{
	uint8_t cfg[256];
	unsigned long v;
	size_t got = 0;
	bool known;

	if (read_ulong(dir, "vendor", 16, &v))
		d->vendor = (uint16_t)v;
	if (read_ulong(dir, "device", 16, &v))
		d->device = (uint16_t)v;
	if (read_ulong(dir, "subsystem_vendor", 16, &v))
		d->sub_vendor = (uint16_t)v;
	if (read_ulong(dir, "subsystem_device", 16, &v))
		d->sub_device = (uint16_t)v;
	if (read_ulong(dir, "class", 16, &v))
		d->class = (uint32_t)v;

	memset(cfg, 0, sizeof(cfg));
	if (read_file(dir, "config", cfg, sizeof(cfg), &got))
		got = 0;

	d->bridge = (d->class >> 8) == PCI_CLASS_BRIDGE_PCI ||
		    (d->class >> 8) == PCI_CLASS_BRIDGE_CARDBUS ||
		    (got > PCI_HEADER_TYPE && (cfg[PCI_HEADER_TYPE] & 0x7f) == 1);
	d->secondary = -1;
	if (d->bridge) {
		if (read_ulong(dir, "secondary_bus_number", 10, &v) && v <= 0xff)
			d->secondary = (int)v;
		else if (got > PCI_SECONDARY_BUS)
			d->secondary = cfg[PCI_SECONDARY_BUS];
	}

	known = pcie_type_from_config(cfg, got, &d->pcie_type);
	if (!known)
		d->pcie_type = file_exists(dir, "current_link_speed") ?
			       PCIE_UNKNOWN : PCIE_NO;
	return 0;
}

static int cmp_pdev(const void *a, const void *b)
{
	const struct pdev *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The parent bridge: the function whose sysfs directory contains d's. */
static void link_parents(struct pdev *devs, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		char *slash = strrchr(devs[i].path, '/');
		size_t plen;

		devs[i].parent = -1;
		if (!slash)
			continue;
		plen = (size_t)(slash - devs[i].path);
		for (unsigned int j = 0; j < nr; j++) {
			if (j != i && strlen(devs[j].path) == plen &&
			    strncmp(devs[j].path, devs[i].path, plen) == 0) {
				devs[i].parent = (int)j;
				break;
			}
		}
	}
}

/* A PCIe bridge of unreadable type: PCIe-to-PCI if its children are PCI. */
static void guess_unknown_types(struct pdev *devs, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		unsigned int kids = 0, pci_kids = 0;

		if (devs[i].pcie_type != PCIE_UNKNOWN || !devs[i].bridge)
			continue;
		for (unsigned int j = 0; j < nr; j++) {
			if (devs[j].parent != (int)i)
				continue;
			kids++;
			if (devs[j].pcie_type == PCIE_NO)
				pci_kids++;
		}
		devs[i].pcie_type = kids && kids == pci_kids ?
				    PCI_EXP_TYPE_PCI_BRIDGE :
				    PCI_EXP_TYPE_DOWNSTREAM;
	}
}

/* ---- IVRS ---- */

struct ivrs_alias {
	uint32_t dev;
	uint32_t alias;
};

struct ivrs {
	struct ivrs_alias *v;
	unsigned int nr, cap;
};

static int ivrs_add(struct ivrs *t, uint32_t dev, uint32_t alias)
{
	if (t->nr == t->cap) {
		unsigned int cap = t->cap ? 2 * t->cap : 64;
		struct ivrs_alias *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->nr++] = (struct ivrs_alias){ dev, alias };
	return 0;
}

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

#define IVRS_HEADER_LENGTH	48
#define IVHD_DEV_RANGE_END	0x04
#define IVHD_DEV_ALIAS		0x42
#define IVHD_DEV_ALIAS_RANGE	0x43
#define IVHD_DEV_ACPI_HID	0xf0

static unsigned int ivhd_header_size(uint8_t type)
{
	switch (type) {
	case 0x10:
		return 24;
	case 0x11:
	case 0x40:
		return 40;
	}
	return 0;
}

/* Parses the IVHD alias entries of an IVRS table image. */
static int ivrs_parse(const uint8_t *tab, size_t len, struct ivrs *out)
{
	size_t p = IVRS_HEADER_LENGTH;

	if (len < IVRS_HEADER_LENGTH || memcmp(tab, "IVRS", 4) != 0)
		return -EINVAL;
	while (p + 4 <= len) {
		uint8_t type = tab[p];
		size_t blen = le16(tab + p + 2);
		size_t hsz = ivhd_header_size(type), e, end;
		uint32_t seg, range_start = 0, range_to = 0;
		bool in_range = false;

		if (blen < 4 || p + blen > len)
			return -EINVAL;
		if (!hsz || hsz > blen) {
			p += blen;	/* IVMD or unknown block */
			continue;
		}
		seg = le16(tab + p + 16);
		end = p + blen;
		for (e = p + hsz; e + 4 <= end;) {
			uint8_t et = tab[e];
			uint16_t devid = le16(tab + e + 1);
			size_t elen;

			if (et < 0x80)
				elen = 4u << (et >> 6);
			else if (et == IVHD_DEV_ACPI_HID && e + 22 <= end)
				elen = 22u + tab[e + 21];
			else
				break;
			if (e + elen > end)
				break;
			if (et == IVHD_DEV_ALIAS) {
				if (ivrs_add(out, seg << 16 | devid,
					     seg << 16 | le16(tab + e + 5)))
					return -ENOMEM;
			} else if (et == IVHD_DEV_ALIAS_RANGE) {
				range_start = devid;
				range_to = le16(tab + e + 5);
				in_range = true;
			} else if (et == IVHD_DEV_RANGE_END && in_range) {
				for (uint32_t d = range_start; d <= devid; d++)
					if (ivrs_add(out, seg << 16 | d,
						     seg << 16 | range_to))
						return -ENOMEM;
				in_range = false;
			}
			e += elen;
		}
		p += blen;
	}
	return 0;
}

static void ivrs_load(const char *root, struct ivrs *out)
{
	char dir[PATH_MAX];
	uint8_t *buf;
	size_t got = 0;

	if (snprintf(dir, sizeof(dir), "%s/firmware/acpi/tables", root) >=
	    (int)sizeof(dir))
		return;
	buf = malloc(1 << 20);
	if (!buf)
		return;
	if (read_file(dir, "IVRS", buf, 1 << 20, &got) == 0)
		ivrs_parse(buf, got, out);	/* a bad table adds nothing */
	free(buf);
}

/* ---- alias sets ---- */

static void set_add(struct esync_alias_set *s, uint32_t id, unsigned int *dropped)
{
	if (id == s->dev)
		return;
	for (unsigned int i = 0; i < s->nr; i++)
		if (s->alias[i] == id)
			return;
	if (s->nr == ESYNC_MAX_ALIASES) {
		(*dropped)++;
		return;
	}
	s->alias[s->nr++] = id;
}

static void compute_set(const struct pdev *devs, const struct pdev *d,
			const struct ivrs *iv, struct esync_alias_set *s)
{
	uint32_t seg = ESYNC_DEVID_SEG(d->id);
	unsigned int dropped = 0;

	memset(s, 0, sizeof(*s));
	s->dev = d->id;

	for (unsigned int devfn = 0; devfn < 256; devfn++)
		if (mask_test(d, devfn))
			set_add(s, ESYNC_DEVID(seg, ESYNC_DEVID_BUS(d->id), devfn),
				&dropped);

	for (int p = d->parent; p >= 0; p = devs[p].parent) {
		const struct pdev *b = &devs[p];

		if (b->flags & FLAG_XLATE_ROOT)
			break;
		switch (b->pcie_type) {
		case PCI_EXP_TYPE_ROOT_PORT:
		case PCI_EXP_TYPE_UPSTREAM:
		case PCI_EXP_TYPE_DOWNSTREAM:
			break;
		case PCI_EXP_TYPE_PCI_BRIDGE:
			if (b->secondary >= 0)
				set_add(s, ESYNC_DEVID(seg, b->secondary, 0), &dropped);
			break;
		case PCI_EXP_TYPE_PCIE_BRIDGE:
			set_add(s, b->id, &dropped);
			break;
		case PCIE_NO:
			if ((b->flags & FLAG_PCIE_BRIDGE_ALIAS) && b->secondary >= 0)
				set_add(s, ESYNC_DEVID(seg, b->secondary, 0), &dropped);
			else
				set_add(s, b->id, &dropped);
			break;
		default:
			break;
		}
	}

	for (unsigned int i = 0; i < iv->nr; i++)
		if (iv->v[i].dev == d->id)
			set_add(s, iv->v[i].alias, &dropped);
	s->dropped = dropped;
}

static void free_pdevs(struct pdev *devs, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		free(devs[i].path);
	free(devs);
}

int esync_topology_from_sysfs(const char *sysfs_root, struct esync_topology *t)
{
	char dir[PATH_MAX], link[PATH_MAX], real[PATH_MAX];
	struct ivrs iv = { 0 };
	struct pdev *devs = NULL;
	unsigned int nr = 0, cap = 0;
	struct dirent *de;
	int ret = 0;
	DIR *dh;

	t->nr = 0;
	t->sets = NULL;
	if (!sysfs_root)
		sysfs_root = "/sys";
	if (snprintf(dir, sizeof(dir), "%s/bus/pci/devices", sysfs_root) >=
	    (int)sizeof(dir))
		return -ENAMETOOLONG;
	dh = opendir(dir);
	if (!dh)
		return -errno;

	while ((de = readdir(dh))) {
		uint32_t id;

		if (!parse_sysfs_name(de->d_name, &id))
			continue;
		if (snprintf(link, sizeof(link), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(link))
			continue;
		if (!realpath(link, real))
			continue;
		if (nr == cap) {
			unsigned int ncap = cap ? 2 * cap : 32;
			struct pdev *n = realloc(devs, ncap * sizeof(*n));

			if (!n) {
				ret = -ENOMEM;
				break;
			}
			devs = n;
			cap = ncap;
		}
		memset(&devs[nr], 0, sizeof(devs[nr]));
		devs[nr].id = id;
		devs[nr].path = strdup(real);
		if (!devs[nr].path) {
			ret = -ENOMEM;
			break;
		}
		read_pdev(real, &devs[nr]);
		nr++;
	}
	closedir(dh);
	if (ret)
		goto out;

	if (nr)
		qsort(devs, nr, sizeof(*devs), cmp_pdev);
	link_parents(devs, nr);
	guess_unknown_types(devs, nr);
	for (unsigned int i = 0; i < nr; i++)
		apply_quirks(devs, &devs[i]);
	ivrs_load(sysfs_root, &iv);

	if (nr) {
		t->sets = calloc(nr, sizeof(*t->sets));
		if (!t->sets) {
			ret = -ENOMEM;
			goto out;
		}
	}
	for (unsigned int i = 0; i < nr; i++)
		compute_set(devs, &devs[i], &iv, &t->sets[i]);
	t->nr = nr;
out:
	free(iv.v);
	free_pdevs(devs, nr);
	return ret;
}


/* The first set at or after dev (t->nr if none) */
static unsigned int lower_bound(const struct esync_topology *t, uint32_t dev)
{
	unsigned int lo = 0, hi = t->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->sets[mid].dev < dev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct esync_alias_set *esync_topology_find(const struct esync_topology *t,
						  uint32_t dev)
{
	unsigned int at = t ? lower_bound(t, dev) : 0;

	return t && at < t->nr && t->sets[at].dev == dev ? &t->sets[at] : NULL;
}

const struct esync_alias_set *esync_topology_find_devid(const struct esync_topology *t,
							 uint16_t devid, bool *ambiguous)
{
	const struct esync_alias_set *found = NULL;
	unsigned int i = 0;

	*ambiguous = false;
	if (!t || !t->nr)
		return NULL;
	/* One segment (sorted: the first set's and the last's): one lookup */
	if (t->sets[0].dev >> 16 == t->sets[t->nr - 1].dev >> 16)
		return esync_topology_find(t, (t->sets[0].dev & ~0xffffu) | devid);
	/* Segment by segment: a lookup in each (a host has a few) */
	while (i < t->nr) {
		uint32_t seg = t->sets[i].dev >> 16;
		unsigned int at = lower_bound(t, seg << 16 | devid);

		if (at < t->nr && t->sets[at].dev == (seg << 16 | devid)) {
			if (found) {
				*ambiguous = true;
				return NULL;
			}
			found = &t->sets[at];
		}
		if (seg == 0xffff)
			break;
		i = lower_bound(t, (seg + 1) << 16);
	}
	return found;
}

bool esync_alias_set_contains(const struct esync_alias_set *s, uint32_t id)
{
	if (s->dev == id)
		return true;
	for (unsigned int i = 0; i < s->nr; i++)
		if (s->alias[i] == id)
			return true;
	return false;
}

void esync_topology_free(struct esync_topology *t)
{
	if (!t)
		return;
	free(t->sets);
	t->sets = NULL;
	t->nr = 0;
}
