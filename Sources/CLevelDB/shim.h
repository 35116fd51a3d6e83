#ifndef GOLDENGRAIN_CLEVELDB_SHIM_H
#define GOLDENGRAIN_CLEVELDB_SHIM_H
// LevelDB's C API from Debian's libleveldb-dev (1.23). LevelDB ships no pkg-config file,
// so the module map links "leveldb" directly and the header lives in /usr/include.
#include <leveldb/c.h>
#endif
