/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#define EXPORT_SYMBOL_GPL(sym) extern int shim_export_unused__
#define EXPORT_SYMBOL(sym) extern int shim_export_unused__

#endif
