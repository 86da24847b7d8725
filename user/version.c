// SPDX-License-Identifier: GPL-2.0-only
/* The version string the build wrote to $(O)/gen/esync-version.h. */
#include "version.h"

#if defined(__has_include)
#if __has_include("esync-version.h")
#include "esync-version.h"
#endif
#endif

#ifndef ESYNC_VERSION
#define ESYNC_VERSION "unknown"
#endif

const char *esync_version(void)
{
	return ESYNC_VERSION;
}
