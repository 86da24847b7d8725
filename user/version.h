/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * esync's version: 'git describe --always --dirty' at build time after the
 * release of the Makefile (ESYNC_BASE_VERSION), e.g. "0.1.0+g7636ebb-dirty";
 * the release alone when built outside git (a Debian source package).
 */
#ifndef ESYNC_VERSION_H
#define ESYNC_VERSION_H

/* A static string, never NULL. */
const char *esync_version(void);

#endif /* ESYNC_VERSION_H */
