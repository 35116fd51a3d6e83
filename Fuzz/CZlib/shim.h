// zlib (the system's libz), the second gzip reader of the anvilstate fuzz target.
#include <zlib.h>
