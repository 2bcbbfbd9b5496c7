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
#define AED_JPEG_UNSUPPORTED 3     // a colour space this decoder refuses (CMYK, YCCK, unknown); see `message`
#define AED_JPEG_NO_MEMORY 4

/// A progressive JPEG may hold any number of scans, each a pass over the whole image: crafted files
/// with thousands take minutes to decode. Real encoders write about 10; djpeg's -maxscans and
/// TurboJPEG's TJFLAG_LIMITSCANS guard the same way, at 500.
#define AED_JPEG_MAX_SCANS 500

typedef struct {
    unsigned int width;
    unsigned int height;
    int channels;             // of `pixels`: the channels asked for
    unsigned char *pixels;    // height × width × channels bytes, row-major; release with aed_jpeg_free
    char message[JMSG_LENGTH_MAX + 64];
} AEDJPEGImage;

typedef struct {
    struct jpeg_decompress_struct cinfo;  // first, so a j_common_ptr is also a pointer to the context
    struct jpeg_error_mgr error;
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    AEDJPEGImage *out;
} AEDJPEGContext;

static void aed_jpeg_error_exit(j_common_ptr cinfo) {
    AEDJPEGContext *context = (AEDJPEGContext *)cinfo;
    (*cinfo->err->format_message)(cinfo, context->out->message);
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
        longjmp(context->jump, 1);
    }
}

/// Decodes the JPEG in `data` to 8-bit gray (`channels` 1) or RGB (`channels` 3); libjpeg converts
/// (colour to gray by Rec. 601 luma, which for YCbCr files is their Y channel; gray to colour by
/// copying). Refuses width × height > `pixel_limit` after reading the header, before allocating.
/// Returns an AED_JPEG_* code; on AED_JPEG_OK `out->pixels` must be released with aed_jpeg_free.
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
        jpeg_destroy_decompress(&context->cinfo);
        free(context);
        free(out->pixels);
        out->pixels = NULL;
        return AED_JPEG_ERROR;
    }
    jpeg_create_decompress(&context->cinfo);
    context->cinfo.progress = &context->progress;
    jpeg_mem_src(&context->cinfo, data, (unsigned long)size);
    jpeg_read_header(&context->cinfo, TRUE);
    out->width = context->cinfo.image_width;
    out->height = context->cinfo.image_height;
    out->channels = channels;
    int status = AED_JPEG_OK;
    switch (context->cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE: case JCS_YCbCr: case JCS_RGB:
        break;
    case JCS_CMYK: case JCS_YCCK:
        snprintf(out->message, sizeof out->message, "%s colour (4 channels); convert the image to RGB",
                 context->cinfo.jpeg_color_space == JCS_CMYK ? "CMYK" : "YCCK (Adobe CMYK)");
        status = AED_JPEG_UNSUPPORTED;
        break;
    default:
        snprintf(out->message, sizeof out->message, "%d colour components in an unknown colour space",
                 context->cinfo.num_components);
        status = AED_JPEG_UNSUPPORTED;
    }
    if (status == AED_JPEG_OK
        && (unsigned long long)out->width * (unsigned long long)out->height > pixel_limit) status = AED_JPEG_TOO_LARGE;
    if (status == AED_JPEG_OK) {
        context->cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
        jpeg_start_decompress(&context->cinfo);
        size_t stride = (size_t)out->width * (size_t)channels;
        out->pixels = (unsigned char *)malloc(stride * (size_t)out->height);
        if (out->pixels == NULL) {
            status = AED_JPEG_NO_MEMORY;
        } else {
            while (context->cinfo.output_scanline < context->cinfo.output_height) {
                JSAMPROW row = out->pixels + (size_t)context->cinfo.output_scanline * stride;
                jpeg_read_scanlines(&context->cinfo, &row, 1);
            }
            jpeg_finish_decompress(&context->cinfo);
        }
    }
    jpeg_destroy_decompress(&context->cinfo);
    free(context);
    return status;
}

static void aed_jpeg_free(AEDJPEGImage *image) {
    free(image->pixels);
    image->pixels = NULL;
}

#endif
