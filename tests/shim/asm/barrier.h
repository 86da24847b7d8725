/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _ASM_BARRIER_H
#define _ASM_BARRIER_H

#include "../shim.h"

#define dma_wmb() shim_dma_wmb()

#endif
