// zlib (Debian: zlib1g-dev; pkg-config: zlib). Used for gzip streams (inflate with windowBits 15+32).
// Not named CZlib: ZIPFoundation (Keras import) has a module of that name, and two would clash.
#include <zlib.h>
