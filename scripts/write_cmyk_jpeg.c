// Writes raw 4-channel samples as a CMYK or YCCK JPEG with libjpeg, for fixtures/jpeg/ (Pillow writes
// CMYK JPEGs only with an Adobe marker and never YCCK). Built and run by scripts/make_jpeg_fixtures.py.
//   write_cmyk_jpeg cmyk|cmyk-no-adobe|ycck WIDTH HEIGHT RAW OUT.jpg
// RAW holds WIDTH × HEIGHT × 4 bytes, written as they are (the caller inverts them for Adobe files).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s cmyk|cmyk-no-adobe|ycck W H RAW OUT\n", argv[0]); return 2; }
    int width = atoi(argv[2]), height = atoi(argv[3]);
    size_t size = (size_t)width * height * 4;
    unsigned char *raw = malloc(size);
    FILE *in = fopen(argv[4], "rb");
    if (!raw || !in || fread(raw, 1, size, in) != size) { fprintf(stderr, "cannot read %s\n", argv[4]); return 1; }
    fclose(in);
    FILE *out = fopen(argv[5], "wb");
    if (!out) { fprintf(stderr, "cannot write %s\n", argv[5]); return 1; }
    struct jpeg_compress_struct cinfo;
    struct jpeg_error_mgr jerr;
    cinfo.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, out);
    cinfo.image_width = width;
    cinfo.image_height = height;
    cinfo.input_components = 4;
    cinfo.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&cinfo);
    jpeg_set_colorspace(&cinfo, strcmp(argv[1], "ycck") == 0 ? JCS_YCCK : JCS_CMYK);
    if (strcmp(argv[1], "cmyk-no-adobe") == 0) cinfo.write_Adobe_marker = FALSE;
    jpeg_set_quality(&cinfo, 95, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = raw + (size_t)cinfo.next_scanline * width * 4;
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    fclose(out);
    free(raw);
    return 0;
}
