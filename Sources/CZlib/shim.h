// zlib (Debian: zlib1g-dev; pkg-config: zlib). Used for gzip streams (inflate with windowBits 15+32).
#include <zlib.h>
