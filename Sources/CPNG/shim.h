// libpng 1.6 (Debian: libpng-dev; pkg-config: libpng). The simplified png_image_* API is used.
#include <png.h>
