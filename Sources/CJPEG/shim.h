// libjpeg-turbo's libjpeg API (Debian: libjpeg62-turbo-dev; pkg-config: libjpeg), and one decoder on top.
//
// libjpeg reports a fatal error by calling error_exit, which by default prints and calls exit(). Swift
// cannot catch a longjmp, so the whole decode happens in aed_jpeg_decode below: its error manager
// longjmps back into that function, which frees what it holds and returns an error code and message.
// Nothing of libjpeg's is left on the stack of a Swift caller when it jumps.
// SwiftPM does not notice edits to this header: touch Sources/DataIO/JPEGImage.swift after one, or
// DataIO keeps the old code.
#ifndef AEDETECT_CJPEG_SHIM_H
#define AEDETECT_CJPEG_SHIM_H

#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>  // jpeglib.h uses FILE without including it
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

#define AED_JPEG_OK 0
#define AED_JPEG_ERROR 1           // libjpeg's message, or the scan limit's, is in `message`
#define AED_JPEG_TOO_LARGE 2       // width × height exceeds the pixel limit; nothing was allocated
#define AED_JPEG_UNSUPPORTED 3     // what this decoder refuses (12-bit samples, an unknown colour space); see `message`
#define AED_JPEG_NO_MEMORY 4

/// A progressive JPEG may hold any number of scans, each a pass over the whole image: crafted files
/// with thousands take minutes to decode. Real encoders write about 10; djpeg's -maxscans and
/// TurboJPEG's TJFLAG_LIMITSCANS guard the same way, at 500.
#define AED_JPEG_MAX_SCANS 500

typedef struct {
    unsigned int width;
    unsigned int height;
    int channels;             // of `pixels`: 1 for a gray file decoded for 1 channel, else 3 (RGB)
    unsigned char *pixels;    // height × width × channels bytes, row-major; release with aed_jpeg_free
    unsigned char *exif;      // the first APP1 Exif payload after "Exif\0\0" (a TIFF structure), or NULL
    size_t exif_length;
    char message[JMSG_LENGTH_MAX + 64];
} AEDJPEGImage;

typedef struct {
    struct jpeg_decompress_struct cinfo;  // first, so a j_common_ptr is also a pointer to the context
    struct jpeg_error_mgr error;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    AEDJPEGImage *out;
    unsigned char *row;       // one CMYK scanline, for the conversion to RGB
    int jump_status;          // the AED_JPEG_* code to return after a longjmp
} AEDJPEGContext;

static void aed_jpeg_refuse_precision(AEDJPEGImage *out, int precision) {
    snprintf(out->message, sizeof out->message,
             "%d-bit samples (data precision %d); only 8-bit JPEGs are supported", precision, precision);
}

/// libjpeg-turbo 2.x stops at the frame header of a 12-bit file (JERR_BAD_PRECISION): that is a refusal
/// with its own status, not damage.
static void aed_jpeg_error_exit(j_common_ptr cinfo) {
    AEDJPEGContext *context = (AEDJPEGContext *)cinfo;
    if (cinfo->err->msg_code == JERR_BAD_PRECISION && context->cinfo.data_precision != 8) {
        aed_jpeg_refuse_precision(context->out, context->cinfo.data_precision);
        context->jump_status = AED_JPEG_UNSUPPORTED;
        longjmp(context->jump, 1);
    }
    (*cinfo->err->format_message)(cinfo, context->out->message);
    context->jump_status = AED_JPEG_ERROR;
    longjmp(context->jump, 1);
}

/// Warnings (level −1) that mean the pixels are damaged are errors here: by default libjpeg only warns
/// about a truncated file and fills the rest with gray, and a half-gray image would be scored as an
/// anomaly rather than reported as unreadable. Harmless warnings (extraneous bytes between markers, an
/// unknown JFIF revision or Adobe transform, a bad ICC marker, odd
/// but decodable scan parameters) are ignored; trace messages too.
static void aed_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    switch (cinfo->err->msg_code) {
    case JWRN_JPEG_EOF: case JWRN_HIT_MARKER: case JWRN_HUFF_BAD_CODE: case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
        aed_jpeg_error_exit(cinfo);
    default:
        cinfo->err->num_warnings++;
    }
}

static void aed_jpeg_progress(j_common_ptr cinfo) {
    AEDJPEGContext *context = (AEDJPEGContext *)cinfo;
    if (context->cinfo.input_scan_number > AED_JPEG_MAX_SCANS) {
        snprintf(context->out->message, sizeof context->out->message,
                 "more than %d scans (a progressive JPEG crafted to take minutes to decode?)", AED_JPEG_MAX_SCANS);
        context->jump_status = AED_JPEG_ERROR;
        longjmp(context->jump, 1);
    }
}

/// MULDIV255 of Pillow's Convert.c: a × b / 255, rounded.
static inline int aed_muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

/// CMYK to RGB as Pillow converts: R = (255 − K) − C·(255 − K)/255, and so on. Adobe's applications
/// store CMYK inverted (0 = full ink) and mark their files with an Adobe APP14 marker; Pillow takes
/// the marker as the sign of inversion, and so does this. libjpeg has already turned YCCK into CMYK.
static void aed_jpeg_cmyk_to_rgb(const unsigned char *cmyk, unsigned char *rgb, unsigned int width, int inverted) {
    for (unsigned int x = 0; x < width; x++) {
        const unsigned char *s = cmyk + 4 * (size_t)x;
        int c = s[0], m = s[1], y = s[2], k = s[3];
        if (inverted) { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k; }
        int nk = 255 - k;
        rgb[3 * (size_t)x] = (unsigned char)(nk - aed_muldiv255(c, nk));
        rgb[3 * (size_t)x + 1] = (unsigned char)(nk - aed_muldiv255(m, nk));
        rgb[3 * (size_t)x + 2] = (unsigned char)(nk - aed_muldiv255(y, nk));
    }
}

/// Copies the first APP1 marker that holds Exif data ("Exif\0\0", then a TIFF structure) into `out`.
static void aed_jpeg_keep_exif(struct jpeg_decompress_struct *cinfo, AEDJPEGImage *out) {
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length <= 6 || memcmp(m->data, "Exif\0\0", 6) != 0) continue;
        out->exif = (unsigned char *)malloc(m->data_length - 6);
        if (out->exif == NULL) return;
        memcpy(out->exif, m->data + 6, m->data_length - 6);
        out->exif_length = m->data_length - 6;
        return;
    }
}

/// Picks what libjpeg should output; AED_JPEG_UNSUPPORTED (with `message`) for a colour space it cannot.
static int aed_jpeg_choose_output(struct jpeg_decompress_struct *cinfo, int channels, AEDJPEGImage *out) {
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
        out->channels = channels;
        return AED_JPEG_OK;
    case JCS_YCbCr: case JCS_RGB:
        cinfo->out_color_space = JCS_RGB;  // to gray by the caller, from RGB, as a PNG
        out->channels = 3;
        return AED_JPEG_OK;
    case JCS_CMYK: case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;  // then to RGB by aed_jpeg_cmyk_to_rgb
        out->channels = 3;
        return AED_JPEG_OK;
    default:
        snprintf(out->message, sizeof out->message, "%d colour components in an unknown colour space",
                 cinfo->num_components);
        return AED_JPEG_UNSUPPORTED;
    }
}

/// Reads every scanline into `out->pixels` (allocated here), through a CMYK row when the file is CMYK/YCCK.
static int aed_jpeg_read_pixels(AEDJPEGContext *context) {
    struct jpeg_decompress_struct *cinfo = &context->cinfo;
    AEDJPEGImage *out = context->out;
    int cmyk = cinfo->out_color_space == JCS_CMYK;
    jpeg_start_decompress(cinfo);
    size_t stride = (size_t)out->width * (size_t)out->channels;
    out->pixels = (unsigned char *)malloc(stride * (size_t)out->height);
    if (cmyk) context->row = (unsigned char *)malloc(4 * (size_t)out->width);
    if (out->pixels == NULL || (cmyk && context->row == NULL)) return AED_JPEG_NO_MEMORY;
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW target = out->pixels + (size_t)cinfo->output_scanline * stride;
        JSAMPROW row = cmyk ? context->row : target;
        jpeg_read_scanlines(cinfo, &row, 1);
        if (cmyk) aed_jpeg_cmyk_to_rgb(row, target, out->width, cinfo->saw_Adobe_marker);
    }
    jpeg_finish_decompress(cinfo);
    return AED_JPEG_OK;
}

/// Decodes the 8-bit JPEG in `data`: gray files to gray when `channels` is 1, to RGB by copying when it is 3;
/// YCbCr and RGB files to RGB; CMYK and YCCK files to RGB as Pillow converts them (`out->channels` says which).
/// Refuses 12-bit files, and width × height > `pixel_limit` after reading the header, before allocating.
/// Keeps the Exif payload, if any, in `out->exif`; orientation is the caller's to apply.
/// Returns an AED_JPEG_* code; `out` must be released with aed_jpeg_free whatever the code.
/// Never inlined into Swift: the setjmp must stay in a frame of its own.
__attribute__((noinline))
static int aed_jpeg_decode(const unsigned char *data, size_t size, int channels,
                           unsigned long long pixel_limit, AEDJPEGImage *out) {
    memset(out, 0, sizeof *out);
    if (channels != 1 && channels != 3) {
        snprintf(out->message, sizeof out->message, "%d channels requested; 1 or 3 are supported", channels);
        return AED_JPEG_ERROR;
    }
    if (size == 0) {
        snprintf(out->message, sizeof out->message, "no data");
        return AED_JPEG_ERROR;
    }
    AEDJPEGContext *context = (AEDJPEGContext *)calloc(1, sizeof(AEDJPEGContext));
    if (context == NULL) return AED_JPEG_NO_MEMORY;
    context->out = out;
    context->cinfo.err = jpeg_std_error(&context->error);
    context->error.error_exit = aed_jpeg_error_exit;
    context->error.emit_message = aed_jpeg_emit_message;
    context->progress.progress_monitor = aed_jpeg_progress;
    if (setjmp(context->jump)) {  // every later libjpeg error lands here, `context` and `out` in memory
        int jump_status = context->jump_status;
        jpeg_destroy_decompress(&context->cinfo);
        free(context->row);
        free(context);
        free(out->pixels);
        out->pixels = NULL;
        return jump_status;
    }
    jpeg_create_decompress(&context->cinfo);
    context->cinfo.progress = &context->progress;
    jpeg_save_markers(&context->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_mem_src(&context->cinfo, data, (unsigned long)size);
    jpeg_read_header(&context->cinfo, TRUE);
    out->width = context->cinfo.image_width;
    out->height = context->cinfo.image_height;
    int status = AED_JPEG_OK;
    if (context->cinfo.data_precision != 8) {  // libjpeg-turbo 3 reads 12-bit headers, then wants jpeg12_ calls
        aed_jpeg_refuse_precision(out, context->cinfo.data_precision);
        status = AED_JPEG_UNSUPPORTED;
    }
    if (status == AED_JPEG_OK) status = aed_jpeg_choose_output(&context->cinfo, channels, out);
    if (status == AED_JPEG_OK
        && (unsigned long long)out->width * (unsigned long long)out->height > pixel_limit) status = AED_JPEG_TOO_LARGE;
    if (status == AED_JPEG_OK) aed_jpeg_keep_exif(&context->cinfo, out);
    if (status == AED_JPEG_OK) status = aed_jpeg_read_pixels(context);
    jpeg_destroy_decompress(&context->cinfo);
    free(context->row);
    free(context);
    return status;
}

static void aed_jpeg_free(AEDJPEGImage *image) {
    free(image->pixels);
    image->pixels = NULL;
    free(image->exif);
    image->exif = NULL;
}

#endif
