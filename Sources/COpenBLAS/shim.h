// OpenBLAS's CBLAS interface (Debian: libopenblas-dev; pkg-config: openblas).
#include <cblas.h>
// Thread control is an OpenBLAS extension, declared in cblas.h of OpenBLAS.
