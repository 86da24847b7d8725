/* SPDX-License-Identifier: GPL-2.0-only */
/* Nothing to define: the shim's TRACE_EVENT() already made the functions. */
