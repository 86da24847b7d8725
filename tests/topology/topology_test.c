// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DMA-alias model on the fake sysfs trees of tests/data/sysfs-*: every
 * device's exact alias set, in the order pci_for_each_dma_alias() visits
 * them (quirk aliases, then the bridges upwards, then IVRS).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "topology.h"

#define DATA "tests/data/"

struct want {
	const char *dev;
	const char *aliases;	/* space separated, in visit order; "" none */
};

static uint32_t id_of(const char *s)
{
	uint32_t id = 0;

	if (esync_devid_parse(s, &id))
		ASSERT_FAIL("bad id '%s' in the test table", s);
	return id;
}

static void aliases_str(const struct esync_alias_set *s, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < s->nr && pos + 14 < len; i++) {
		char id[16];

		esync_devid_str(s->alias[i], id, sizeof(id));
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? " " : "", id);
	}
}

/* Loads the tree, checks it holds exactly the listed devices and sets. */
static void check_tree(const char *tree, const struct want *w, size_t n)
{
	struct esync_topology t;
	char got[1024];
	int ret;

	ret = esync_topology_from_sysfs(tree, &t);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(n, t.nr);
	for (size_t i = 0; i < n; i++) {
		const struct esync_alias_set *s = esync_topology_find(&t, id_of(w[i].dev));

		if (!s) {
			EXPECT_FAIL("%s: device %s missing", tree, w[i].dev);
			continue;
		}
		aliases_str(s, got, sizeof(got));
		if (strcmp(got, w[i].aliases) != 0)
			EXPECT_FAIL("%s: %s aliases '%s', expected '%s'", tree,
				    w[i].dev, got, w[i].aliases);
		EXPECT_EQ(0, s->dropped);
		EXPECT_TRUE(esync_alias_set_contains(s, s->dev));
	}
	for (unsigned int i = 1; i < t.nr; i++)
		EXPECT_TRUE(t.sets[i - 1].dev < t.sets[i].dev);
	esync_topology_free(&t);
	EXPECT_EQ(0, t.nr);
	EXPECT_TRUE(t.sets == NULL);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* FACTS.md 6: virtio-net 02:01.0 behind pcie-pci-bridge 01:00.0. */
static void qemu_amd_virtio_behind_pcie_pci_bridge(void)
{
	static const struct want w[] = {
		{ "0000:00:00.0", "" },
		{ "0000:00:01.0", "" },
		{ "0000:00:02.0", "" },
		{ "0000:00:03.0", "" },
		{ "0000:00:1f.0", "" },
		{ "0000:00:1f.2", "" },
		{ "0000:00:1f.3", "" },
		{ "0000:01:00.0", "" },
		{ "0000:02:01.0", "0000:02:00.0" },
	};

	check_tree(DATA "sysfs-qemu-amd", w, N(w));
}

/* Without root: 64 bytes of config; the port types are guessed. */
static void qemu_amd_unprivileged_guess(void)
{
	static const struct want w[] = {
		{ "0000:00:00.0", "" },
		{ "0000:00:01.0", "" },
		{ "0000:00:02.0", "" },
		{ "0000:00:03.0", "" },
		{ "0000:00:1f.0", "" },
		{ "0000:00:1f.2", "" },
		{ "0000:00:1f.3", "" },
		{ "0000:01:00.0", "" },
		{ "0000:02:01.0", "0000:02:00.0" },
	};

	check_tree(DATA "sysfs-qemu-amd-short", w, N(w));
}

static void pcie_to_pci_bridge(void)
{
	static const struct want w[] = {
		{ "0000:00:00.0", "" },
		{ "0000:00:1c.0", "" },
		{ "0000:01:00.0", "" },
		{ "0000:02:01.0", "0000:02:00.0" },
		{ "0000:02:02.0", "0000:02:00.0" },
	};

	check_tree(DATA "sysfs-pcie-to-pci", w, N(w));
}

static void nested_bridges_and_switch(void)
{
	static const struct want w[] = {
		{ "0000:00:1c.0", "" },
		{ "0000:01:00.0", "" },
		{ "0000:02:03.0", "0000:02:00.0" },
		{ "0000:03:04.0", "0000:02:03.0 0000:02:00.0" },
		{ "0000:03:04.1", "0000:02:03.0 0000:02:00.0" },
		{ "0000:00:1d.0", "" },
		{ "0000:04:00.0", "" },
		{ "0000:05:01.0", "" },
		{ "0000:06:00.0", "" },
		{ "0000:06:00.1", "" },
	};

	check_tree(DATA "sysfs-nested-bridges", w, N(w));
}

static void conventional_pci_bridges(void)
{
	static const struct want w[] = {
		{ "0000:00:1e.0", "" },
		{ "0000:05:02.0", "0000:00:1e.0" },
		{ "0000:00:1c.0", "" },
		/* ASM1083: PCIE_BRIDGE_ALIAS, so its secondary bus 00.0 */
		{ "0000:01:00.0", "" },
		{ "0000:02:05.0", "0000:02:00.0" },
		/* PCI-X-to-PCIe bridge: own RID, then the PCI bridge above */
		{ "0000:05:03.0", "0000:00:1e.0" },
		{ "0000:07:00.0", "0000:05:03.0 0000:00:1e.0" },
	};

	check_tree(DATA "sysfs-pci-bridge", w, N(w));
}

static void quirk_devices(void)
{
	static const struct want w[] = {
		{ "0000:00:1c.0", "" },
		{ "0000:03:00.0", "0000:03:00.1" },		/* Marvell: func 1 */
		{ "0000:00:1c.1", "" },
		{ "0000:04:00.3", "0000:04:00.0" },		/* Ricoh: func 0 */
		{ "0000:00:1c.2", "" },
		{ "0000:05:0e.0", "0000:05:01.0" },		/* Adaptec 3405 */
		{ "0000:05:0f.0", "" },				/* other subsystem */
		{ "0000:00:1c.3", "" },
		{ "0000:06:00.0", "0000:06:10.0 0000:06:11.0 0000:06:12.3" },
		{ "0000:00:1c.4", "" },
		{ "0000:00:1b.0", "" },
		/* 82801 on the root bus: not flagged, own RID */
		{ "0000:0b:00.0", "0000:00:1b.0" },
		/* ThunderX2 bridge is XLATE_ROOT: the walk stops there */
		{ "0000:0c:00.0", "" },
	};
	struct esync_topology t;
	const struct esync_alias_set *s;

	/* The PLX NTB (08:00.0) aliases all 256 devfns: checked below. */
	ASSERT_EQ(0, esync_topology_from_sysfs(DATA "sysfs-quirks", &t));
	s = esync_topology_find(&t, id_of("08:00.0"));
	ASSERT_TRUE(s != NULL);
	EXPECT_EQ(32, s->nr);
	EXPECT_EQ(256 - 1 - 32, s->dropped);
	EXPECT_EQ(id_of("08:00.1"), s->alias[0]);
	EXPECT_EQ(id_of("08:04.0"), s->alias[31]);
	EXPECT_EQ(N(w) + 1, t.nr);
	for (size_t i = 0; i < N(w); i++) {
		char got[256];

		s = esync_topology_find(&t, id_of(w[i].dev));
		if (!s) {
			EXPECT_FAIL("device %s missing", w[i].dev);
			continue;
		}
		aliases_str(s, got, sizeof(got));
		if (strcmp(got, w[i].aliases) != 0)
			EXPECT_FAIL("%s aliases '%s', expected '%s'", w[i].dev,
				    got, w[i].aliases);
	}
	esync_topology_free(&t);
}

static void root_complex_devices(void)
{
	static const struct want w[] = {
		{ "0000:00:00.0", "" },
		{ "0000:00:02.0", "" },
		{ "0000:00:1f.0", "" },
		{ "0000:00:1f.3", "" },
	};

	check_tree(DATA "sysfs-rc-device", w, N(w));
}

static void ivrs_aliases(void)
{
	static const struct want w[] = {
		{ "0000:00:00.2", "" },
		{ "0000:00:14.0", "0000:00:14.3" },		/* IVHD_DEV_ALIAS */
		{ "0000:00:14.3", "" },
		{ "0000:00:1c.0", "" },
		{ "0000:03:00.0", "0000:02:00.0" },		/* alias range */
		{ "0000:00:1c.1", "" },
		{ "0000:04:00.0", "" },				/* outside it */
	};

	check_tree(DATA "sysfs-ivrs", w, N(w));
}

static void missing_tree_is_an_error(void)
{
	struct esync_topology t = { 7, NULL };

	EXPECT_EQ(-ENOENT, esync_topology_from_sysfs(DATA "no-such-tree", &t));
	EXPECT_EQ(0, t.nr);
	EXPECT_TRUE(esync_topology_find(&t, 0) == NULL);
}

static void devid_text_round_trip(void)
{
	static const struct {
		const char *in;
		int ret;
		uint32_t id;
		const char *out;
	} c[] = {
		{ "0000:02:01.0", 0, 0x00000208, "0000:02:01.0" },
		{ "02:01.0", 0, 0x00000208, "0000:02:01.0" },
		{ "0001:ff:1f.7", 0, 0x0001ffff, "0001:ff:1f.7" },
		{ "00:20.0", -EINVAL, 0, NULL },
		{ "00:1f.8", -EINVAL, 0, NULL },
		{ "10000:00:00.0", -EINVAL, 0, NULL },
		{ "0000:02:01.0x", -EINVAL, 0, NULL },
		{ "", -EINVAL, 0, NULL },
	};

	for (size_t i = 0; i < N(c); i++) {
		uint32_t id = 0xdead;
		char buf[16];
		int ret = esync_devid_parse(c[i].in, &id);

		if (ret != c[i].ret) {
			EXPECT_FAIL("parse '%s' returned %d, expected %d", c[i].in,
				    ret, c[i].ret);
			continue;
		}
		if (ret)
			continue;
		EXPECT_EQ(c[i].id, id);
		esync_devid_str(id, buf, sizeof(buf));
		EXPECT_STREQ(c[i].out, buf);
	}
}

TAP_MAIN(TAP_CASE(qemu_amd_virtio_behind_pcie_pci_bridge),
	 TAP_CASE(qemu_amd_unprivileged_guess),
	 TAP_CASE(pcie_to_pci_bridge),
	 TAP_CASE(nested_bridges_and_switch),
	 TAP_CASE(conventional_pci_bridges),
	 TAP_CASE(quirk_devices),
	 TAP_CASE(root_complex_devices),
	 TAP_CASE(ivrs_aliases),
	 TAP_CASE(missing_tree_is_an_error),
	 TAP_CASE(devid_text_round_trip))
