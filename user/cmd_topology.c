// SPDX-License-Identifier: GPL-2.0-only
/*
 * esync topology: the PCI functions of a sysfs tree and the DMA alias sets
 * esync computes for them (what A1 expects to see invalidated).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "finding.h"
#include "topology.h"

static void topology_usage(FILE *out)
{
	fprintf(out,
		"Usage: esync topology [--sysfs DIR] [--json] [--aliased] [DEVICE...]\n"
		"\n"
		"Lists PCI functions and their DMA alias sets: the requester IDs that\n"
		"pci_for_each_dma_alias() visits (own RID, quirk aliases, bridge\n"
		"aliases) plus AMD IVRS aliases.  An IRTE or DTE change for a device\n"
		"must be followed by an invalidation for each of them.\n"
		"\n"
		"Options:\n"
		"  --sysfs DIR   read DIR/bus/pci/devices instead of /sys\n"
		"  --json        one JSON object instead of the table\n"
		"  -a, --aliased only devices that have aliases\n"
		"  -h, --help    this text\n"
		"DEVICE is 0000:02:01.0 or 02:01.0; without any, all devices.\n"
		"\n"
		"EXAMPLES:\n"
		"  esync topology                      # this machine\n"
		"  esync topology -a                   # only devices with aliases\n"
		"  esync topology 02:01.0              # one device\n"
		"  esync topology --sysfs tests/data/sysfs-qemu-amd --json\n"
		"\n"
		"Run as root: without it the PCIe port types beyond the first 64\n"
		"bytes of config space and the IVRS table cannot be read, and esync\n"
		"guesses port types from the devices below each bridge.\n");
}

static void print_set_text(const struct esync_alias_set *s)
{
	char id[16];

	esync_devid_str(s->dev, id, sizeof(id));
	printf("%-14s", id);
	if (!s->nr)
		printf("-");
	for (unsigned int i = 0; i < s->nr; i++) {
		esync_devid_str(s->alias[i], id, sizeof(id));
		printf("%s%s", i ? " " : "", id);
	}
	if (s->dropped)
		printf(" (+%u not kept)", s->dropped);
	printf("\n");
}

static void print_json_str(const char *s)
{
	putchar('"');
	esync_json_escape(stdout, s);
	putchar('"');
}

static void print_set_json(const struct esync_alias_set *s, bool first)
{
	char id[16];

	esync_devid_str(s->dev, id, sizeof(id));
	printf("%s\n    {\"device\": \"%s\", \"aliases\": [", first ? "" : ",", id);
	for (unsigned int i = 0; i < s->nr; i++) {
		esync_devid_str(s->alias[i], id, sizeof(id));
		printf("%s\"%s\"", i ? ", " : "", id);
	}
	printf("], \"dropped\": %u}", s->dropped);
}

static int topology_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysfs", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "aliased", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *root = "/sys";
	bool json = false, aliased = false, first = true;
	struct esync_topology t;
	unsigned int shown = 0;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			root = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'a':
			aliased = true;
			break;
		case 'h':
			topology_usage(stdout);
			return ESYNC_EXIT_CLEAN;
		default:
			topology_usage(stderr);
			return ESYNC_EXIT_INCOMPLETE;
		}
	}
	for (int i = optind; i < argc; i++) {
		uint32_t id;

		if (esync_devid_parse(argv[i], &id)) {
			esync_err("topology: '%s' is not a PCI device id (0000:02:01.0)",
				  argv[i]);
			return ESYNC_EXIT_INCOMPLETE;
		}
	}

	ret = esync_topology_from_sysfs(root, &t);
	if (ret) {
		esync_err("topology: cannot read %s/bus/pci/devices: %s", root,
			  strerror(-ret));
		return ESYNC_EXIT_INCOMPLETE;
	}

	if (json) {
		printf("{\"sysfs\": ");
		print_json_str(root);
		printf(", \"devices\": [");
	} else {
		printf("%-14s%s\n", "DEVICE", "DMA ALIASES");
	}

	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			const struct esync_alias_set *s;
			uint32_t id;

			esync_devid_parse(argv[i], &id);
			s = esync_topology_find(&t, id);
			if (!s) {
				esync_err("topology: %s: no such device", argv[i]);
				ret = ESYNC_EXIT_INCOMPLETE;
				continue;
			}
			json ? print_set_json(s, first) : print_set_text(s);
			first = false;
			shown++;
		}
	} else {
		for (unsigned int i = 0; i < t.nr; i++) {
			if (aliased && !t.sets[i].nr)
				continue;
			json ? print_set_json(&t.sets[i], first) :
			       print_set_text(&t.sets[i]);
			first = false;
			shown++;
		}
	}
	if (json)
		printf("%s]}\n", shown ? "\n  " : "");
	esync_topology_free(&t);
	return ret;
}

const struct esync_cmd cmd_topology = {
	.name = "topology",
	.summary = "PCI devices and the DMA alias sets esync expects invalidated",
	.run = topology_run,
	.usage = topology_usage,
};
