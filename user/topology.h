/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI DMA-alias model: for every PCI function, the requester IDs its DMA
 * (and MSI writes) may carry when they reach the IOMMU, computed by the rules
 * of the kernel's pci_for_each_dma_alias() from a sysfs PCI tree, plus the
 * kernel's DMA-alias quirk table and, when readable, AMD IVRS aliases.
 *
 * Device ids are segment << 16 | bus << 8 | devfn.
 */
#ifndef ESYNC_TOPOLOGY_H
#define ESYNC_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESYNC_MAX_ALIASES 32

struct esync_alias_set {
	uint32_t dev;
	unsigned int nr;
	uint32_t alias[ESYNC_MAX_ALIASES];	/* excludes dev itself */
	unsigned int dropped;	/* aliases that did not fit in alias[] */
};

struct esync_topology {
	unsigned int nr;
	struct esync_alias_set *sets;	/* sorted by dev */
};

#define ESYNC_DEVID(seg, bus, devfn) \
	((uint32_t)(seg) << 16 | (uint32_t)(bus) << 8 | (uint32_t)(devfn))
#define ESYNC_DEVID_SEG(id)	((id) >> 16)
#define ESYNC_DEVID_BUS(id)	(((id) >> 8) & 0xff)
#define ESYNC_DEVID_DEVFN(id)	((id) & 0xff)

/*
 * Reads sysfs_root/bus/pci/devices (sysfs_root is "/sys" or a fake tree) and
 * fills t.  Returns 0 or -errno; on error t is left empty.
 */
int esync_topology_from_sysfs(const char *sysfs_root, struct esync_topology *t);

/* The set for dev, or NULL if dev is not in the topology. */
const struct esync_alias_set *esync_topology_find(const struct esync_topology *t,
						  uint32_t dev);

/* True if 'id' is dev itself or one of its aliases. */
bool esync_alias_set_contains(const struct esync_alias_set *s, uint32_t id);

/*
 * The set of the device whose 16-bit DeviceID (an AMD IOMMU's requester
 * ID, which does not say its PCI segment) is devid, on whichever segment
 * has it.  NULL when none has it, or when several do (*ambiguous then).
 */
const struct esync_alias_set *esync_topology_find_devid(const struct esync_topology *t,
							 uint16_t devid, bool *ambiguous);

void esync_topology_free(struct esync_topology *t);

/* "0000:02:01.0" into buf (at least 13 bytes). */
void esync_devid_str(uint32_t id, char *buf, size_t len);

/* Parses "0000:02:01.0" or "02:01.0"; 0 or -EINVAL. */
int esync_devid_parse(const char *s, uint32_t *id);

#endif /* ESYNC_TOPOLOGY_H */
