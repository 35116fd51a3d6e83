#ifndef GOLDENGRAIN_CSNAPPY_SHIM_H
#define GOLDENGRAIN_CSNAPPY_SHIM_H
// Snappy's C API from Debian's libsnappy-dev: devp2p compresses every message after Hello with the
// block format (not the framing format), as go-ethereum's p2p package does with golang/snappy.
#include <snappy-c.h>
#endif
