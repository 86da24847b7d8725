/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TRACE_EVENT() becomes trace_<name>() that reports the event's name and
 * trace_<name>_enabled() that follows shim_trace_enabled.  The arguments
 * are still evaluated and type-checked against TP_PROTO.
 */
#ifndef _LINUX_TRACEPOINT_H
#define _LINUX_TRACEPOINT_H

#include "../shim.h"

#define PARAMS(args...) args
#define TP_PROTO(args...) args
#define TP_ARGS(args...) args

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	static inline bool trace_##name##_enabled(void)			\
	{								\
		return shim_trace_enabled;				\
	}								\
	static inline void trace_##name(proto)				\
	{								\
		if (shim_trace_enabled)					\
			shim_trace(#name);				\
	}

#endif
