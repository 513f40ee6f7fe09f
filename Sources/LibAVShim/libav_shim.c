#include "libav_shim.h"
#include "shim_error.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { IO_BUFFER_SIZE = 64 * 1024 };

/* The caller's reader and the position libav has reached in its bytes, for the custom AVIOContext. */
typedef struct {
    lav_reader reader;
    int64_t position;
} reader_source;

struct lav_video {
    AVFormatContext *format;
    AVIOContext *io;         /* the input: the file, or source.reader's bytes */
    reader_source source;    /* reader.read == NULL for a file */
    uint64_t deadline;       /* lav_limits.deadline */
    int64_t max_pixels;      /* lav_limits.max_pixels */
    AVCodecContext *codec;
    AVStream *stream;
    int stream_index;
    AVPacket *packet;
    AVFrame *frame;
    int have_frame;
    int draining;            /* end of file: no more packets go in; the decoder returns what it holds */
    enum AVDiscard skipped;  /* the frames lav_set_frames_decoded says to skip */
    int64_t skip_unreferenced_before; /* stream time; AV_NOPTS_VALUE: off (lav_skip_unreferenced_before) */
    struct SwsContext *scalers[2];   /* one per output format: sample loops alternate between them */
    int rotation;
};


/* libav's last error message on this thread: a decoder says why it refused a picture (above
 * max_pixels, say) only through av_log. Nothing goes to stderr: failures come back as text. */
static _Thread_local char last_log_error[160];

static void keep_log_error(void *context, int level, const char *format, va_list arguments) {
    (void)context;
    if (level > AV_LOG_ERROR) return;
    vsnprintf(last_log_error, sizeof last_log_error, format, arguments);
    last_log_error[strcspn(last_log_error, "\n")] = 0;
}

static void route_log(void) {
    av_log_set_callback(keep_log_error);
}

static int deadline_passed(const lav_video *v) {
    if (v->deadline == UINT64_MAX) return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec >= v->deadline;
}

/* libav's interrupt callback: blocking reads and probing loops give up once it answers 1. */
static int interrupted(void *opaque) {
    return deadline_passed(opaque);
}

/* Every open but the input's own: HLS and DASH playlists, MOV data references, concat lists and
 * the like reach nothing, on either path. */
static int refuse_nested_open(AVFormatContext *s, AVIOContext **pb, const char *url, int flags, AVDictionary **options) {
    (void)s, (void)pb, (void)url, (void)flags, (void)options;
    return AVERROR(EPERM);
}

/* Hostile headers put any 64-bit value in a timestamp: sums saturate instead of overflowing. */
static int64_t saturating_add(int64_t a, int64_t b) {
    int64_t sum;
    if (!__builtin_add_overflow(a, b, &sum)) return sum;
    return b > 0 ? INT64_MAX : INT64_MIN;
}

static int64_t saturating_sub(int64_t a, int64_t b) {
    int64_t difference;
    if (!__builtin_sub_overflow(a, b, &difference)) return difference;
    return b < 0 ? INT64_MAX : INT64_MIN;
}

static int reader_read(void *opaque, uint8_t *buffer, int size) {
    lav_video *v = opaque;
    if (deadline_passed(v)) return AVERROR_EXIT;
    reader_source *r = &v->source;
    if (r->position >= r->reader.size) return AVERROR_EOF;
    int64_t left = r->reader.size - r->position;
    int wanted = (int64_t)size < left ? size : (int)left;
    int n = r->reader.read(r->reader.context, r->position, buffer, wanted);
    if (n < 0) return AVERROR(EIO);
    if (n == 0) return AVERROR_EOF;
    r->position += n;
    return n;
}

static int64_t reader_seek(void *opaque, int64_t offset, int whence) {
    reader_source *r = &((lav_video *)opaque)->source;
    int64_t base;
    switch (whence & ~AVSEEK_FORCE) {
    case AVSEEK_SIZE: return r->reader.size;
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = r->position; break;
    case SEEK_END: base = r->reader.size; break;
    default: return AVERROR(EINVAL);
    }
    int64_t target = saturating_add(base, offset);
    if (target < 0 || target > r->reader.size) return AVERROR(EINVAL);
    r->position = target;
    return target;
}

/* Clockwise degrees the stored pixels must turn to stand upright, from the display matrix. */
static int display_rotation(AVStream *stream) {
    size_t size = 0;
    const uint8_t *matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t)) return 0;
    double counter_clockwise = av_display_rotation_get((const int32_t *)matrix);
    if (isnan(counter_clockwise)) return 0;
    int clockwise = (int)lround(-counter_clockwise);
    clockwise = ((clockwise % 360) + 360) % 360;
    return ((clockwise + 45) / 90 % 4) * 90;
}

/* A file cut short still opens when its index comes first (MP4 with the moov atom at the
 * start), and its first frames still decode: compare where the index says the last packet
 * ends with the bytes that are really there. */
static int check_complete(lav_video *v, char *error, size_t error_size) {
    int64_t available = avio_size(v->format->pb);
    if (available <= 0) return LAV_OK;
    int64_t indexed_end = 0;
    for (unsigned i = 0; i < v->format->nb_streams; i++) {
        AVStream *stream = v->format->streams[i];
        int entries = avformat_index_get_entries_count(stream);
        for (int k = entries - 1; k >= 0 && k >= entries - 8; k--) {
            const AVIndexEntry *entry = avformat_index_get_entry(stream, k);
            int64_t end = entry ? saturating_add(entry->pos, entry->size) : 0;
            if (end > indexed_end) indexed_end = end;
        }
    }
    if (indexed_end > available) {
        char what[160];
        snprintf(what, sizeof what, "the file is truncated: its index runs to byte %lld but it has %lld bytes",
                 (long long)indexed_end, (long long)available);
        return shim_fail(LAV_ERR_DECODE, error, error_size, what, 0);
    }
    return LAV_OK;
}

/* Probes the streams by decoding their first frames, with the decoders held to max_pixels. */
static int find_stream_info(lav_video *v) {
    unsigned streams = v->format->nb_streams;
    AVDictionary **options = av_calloc(streams ? streams : 1, sizeof *options);
    if (!options) return AVERROR(ENOMEM);
    for (unsigned i = 0; i < streams; i++) av_dict_set_int(&options[i], "max_pixels", v->max_pixels, 0);
    int status = avformat_find_stream_info(v->format, options);
    for (unsigned i = 0; i < streams; i++) av_dict_free(&options[i]);
    av_free(options);
    return status;
}

static int open_decoder(lav_video *v, char *error, size_t error_size) {
    int status;
    /* No avformat_find_stream_info: it decodes frames to probe, and MP4/MOV/MKV headers already
     * carry what the decoder needs. Probe only when the header leaves the size unknown. */
    v->stream_index = av_find_best_stream(v->format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (v->stream_index >= 0 && v->format->streams[v->stream_index]->codecpar->width <= 0) {
        last_log_error[0] = 0;
        if ((status = find_stream_info(v)) < 0)
            return shim_fail(LAV_ERR_OPEN, error, error_size, "cannot read the stream parameters", status);
        v->stream_index = av_find_best_stream(v->format, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
        if (v->stream_index >= 0 && v->format->streams[v->stream_index]->codecpar->width <= 0) {
            char what[320];
            snprintf(what, sizeof what, "the picture size cannot be read: the picture is damaged, or has more than "
                     "the %lld pixels allowed (libav: %s)", (long long)v->max_pixels,
                     last_log_error[0] ? last_log_error : "no reason given");
            return shim_fail(LAV_ERR_TOO_LARGE, error, error_size, what, 0);
        }
    }
    if (v->stream_index < 0)
        return shim_fail(LAV_ERR_NO_VIDEO, error, error_size, "no video stream", 0);
    v->stream = v->format->streams[v->stream_index];
    int64_t pixels = (int64_t)v->stream->codecpar->width * v->stream->codecpar->height;
    if (pixels > v->max_pixels) {
        char what[160];
        snprintf(what, sizeof what, "the picture is %dx%d, %lld pixels: more than the %lld allowed",
                 v->stream->codecpar->width, v->stream->codecpar->height, (long long)pixels, (long long)v->max_pixels);
        return shim_fail(LAV_ERR_TOO_LARGE, error, error_size, what, 0);
    }
    const AVCodec *decoder = avcodec_find_decoder(v->stream->codecpar->codec_id);
    if (!decoder)
        return shim_fail(LAV_ERR_NO_VIDEO, error, error_size, "no decoder for the video codec", 0);
    v->codec = avcodec_alloc_context3(decoder);
    if (!v->codec) return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    if ((status = avcodec_parameters_to_context(v->codec, v->stream->codecpar)) < 0)
        return shim_fail(LAV_ERR_NO_VIDEO, error, error_size, "bad codec parameters", status);
    v->codec->thread_count = 1; /* frame threads delay the first frame; callers parallelise videos */
    v->codec->max_pixels = v->max_pixels;
    v->codec->pkt_timebase = v->stream->time_base;
    if ((status = avcodec_open2(v->codec, decoder, NULL)) < 0)
        return shim_fail(LAV_ERR_NO_VIDEO, error, error_size, "cannot open the video decoder", status);
    for (unsigned i = 0; i < v->format->nb_streams; i++)
        if ((int)i != v->stream_index) v->format->streams[i]->discard = AVDISCARD_ALL;
    v->packet = av_packet_alloc();
    v->frame = av_frame_alloc();
    if (!v->packet || !v->frame) return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    v->rotation = display_rotation(v->stream);
    return check_complete(v, error, error_size);
}

static lav_video *new_video(const lav_limits *limits) {
    static pthread_once_t log_routed = PTHREAD_ONCE_INIT;
    pthread_once(&log_routed, route_log);
    lav_video *v = av_mallocz(sizeof *v);
    if (v) {
        v->stream_index = -1;
        v->skip_unreferenced_before = AV_NOPTS_VALUE;
        v->deadline = limits->deadline;
        v->max_pixels = limits->max_pixels;
    }
    return v;
}

/* Recognises the container of v->io from its bytes alone (no file name, so no extension-matched
 * demuxer such as image2) and opens it when it is one of `containers`. */
static int open_container(lav_video *v, const char *containers, char *error, size_t error_size) {
    const AVInputFormat *container = NULL;
    int status = av_probe_input_buffer2(v->io, &container, NULL, NULL, 0, 0);
    if (status < 0) return shim_fail(LAV_ERR_OPEN, error, error_size, "not a video libavformat can open", status);
    if (av_match_list(container->name, containers, ',') <= 0) {
        char what[256];
        snprintf(what, sizeof what, "a %s file (%s), not one of the containers read here (%s)",
                 container->name, container->long_name ? container->long_name : "?", containers);
        return shim_fail(LAV_ERR_CONTAINER, error, error_size, what, 0);
    }
    v->format = avformat_alloc_context();
    if (!v->format) return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    v->format->pb = v->io;
    v->format->flags |= AVFMT_FLAG_CUSTOM_IO;
    v->format->io_open = refuse_nested_open;
    v->format->interrupt_callback = (AVIOInterruptCB){interrupted, v};
    /* Also for inputs a demuxer would open past io_open: an empty protocol list allows none. */
    AVDictionary *options = NULL;
    av_dict_set(&options, "format_whitelist", containers, 0);
    av_dict_set(&options, "protocol_whitelist", "", 0);
    status = avformat_open_input(&v->format, NULL, container, &options);
    av_dict_free(&options);
    if (status < 0) return shim_fail(LAV_ERR_OPEN, error, error_size, "not a video libavformat can open", status);
    return LAV_OK;
}

/* Opens the container on v->io and its decoder; on failure frees the half-made handle. */
static int open_input(lav_video *v, const lav_limits *limits, lav_video **out, char *error, size_t error_size) {
    int status = open_container(v, limits->containers, error, error_size);
    if (status == LAV_OK) status = open_decoder(v, error, error_size);
    if (status != LAV_OK && deadline_passed(v))
        status = shim_fail(LAV_ERR_DEADLINE, error, error_size, "the deadline passed while opening the video", 0);
    if (status != LAV_OK) {
        lav_close(v);
        return status;
    }
    *out = v;
    return LAV_OK;
}

int lav_open_file(const char *path, const lav_limits *limits, lav_video **out, char *error, size_t error_size) {
    if (!path || !limits || !limits->containers || !out) return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "null argument", 0);
    *out = NULL;
    lav_video *v = new_video(limits);
    if (!v) return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    AVDictionary *options = NULL;
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    int status = avio_open2(&v->io, path, AVIO_FLAG_READ, &(AVIOInterruptCB){interrupted, v}, &options);
    av_dict_free(&options);
    if (status < 0) {
        lav_close(v);
        return shim_fail(LAV_ERR_OPEN, error, error_size, "cannot open the file", status);
    }
    return open_input(v, limits, out, error, error_size);
}

int lav_open_reader(const lav_reader *reader, const lav_limits *limits, lav_video **out, char *error, size_t error_size) {
    if (!reader || !reader->read || reader->size < 0 || !limits || !limits->containers || !out)
        return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "null argument", 0);
    *out = NULL;
    if (reader->size == 0) return shim_fail(LAV_ERR_OPEN, error, error_size, "the video is empty (0 bytes)", 0);
    lav_video *v = new_video(limits);
    uint8_t *buffer = av_malloc(IO_BUFFER_SIZE);
    if (!v || !buffer) {
        av_free(buffer);
        lav_close(v);
        return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    }
    v->source = (reader_source){*reader, 0};
    v->io = avio_alloc_context(buffer, IO_BUFFER_SIZE, 0, v, reader_read, NULL, reader_seek);
    if (!v->io) {
        av_free(buffer);
        lav_close(v);
        return shim_fail(LAV_ERR_MEMORY, error, error_size, "out of memory", 0);
    }
    return open_input(v, limits, out, error, error_size);
}

void lav_close(lav_video *v) {
    if (!v) return;
    sws_freeContext(v->scalers[0]);
    sws_freeContext(v->scalers[1]);
    av_frame_free(&v->frame);
    av_packet_free(&v->packet);
    avcodec_free_context(&v->codec);
    avformat_close_input(&v->format); /* with custom IO it leaves v->io to us */
    if (v->io && v->source.reader.read) {
        av_freep(&v->io->buffer);
        avio_context_free(&v->io);
    } else {
        avio_closep(&v->io);
    }
    av_free(v);
}

void lav_get_info(const lav_video *v, lav_info *info) {
    if (!v || !info) return;
    memset(info, 0, sizeof *info);
    info->width = v->codec->width;
    info->height = v->codec->height;
    info->rotation = v->rotation;
    if (v->stream->duration != AV_NOPTS_VALUE && v->stream->duration > 0)
        info->duration_seconds = v->stream->duration * av_q2d(v->stream->time_base);
    else if (v->format->duration != AV_NOPTS_VALUE && v->format->duration > 0)
        info->duration_seconds = v->format->duration / (double)AV_TIME_BASE;
    else
        info->duration_seconds = -1;
    AVRational rate = v->stream->avg_frame_rate.num ? v->stream->avg_frame_rate : v->stream->r_frame_rate;
    info->frame_rate = rate.den ? av_q2d(rate) : 0;
    info->container_name = v->format->iformat->name;
}

void lav_set_frames_decoded(lav_video *v, int which) {
    if (!v) return;
    v->skipped = which == LAV_DECODE_KEYFRAMES ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
}

static int64_t stream_start(const lav_video *v) {
    return v->stream->start_time == AV_NOPTS_VALUE ? 0 : v->stream->start_time;
}

/* Clamped to the int64 range: a time that far out is past every frame either way. */
static int64_t to_stream_time(const lav_video *v, double seconds) {
    double units = seconds / av_q2d(v->stream->time_base);
    if (!(units > -9e18)) units = -9e18;
    if (units > 9e18) units = 9e18;
    return saturating_add(stream_start(v), llround(units));
}

static double to_seconds(const lav_video *v, int64_t stream_time) {
    return ((double)stream_time - (double)stream_start(v)) * av_q2d(v->stream->time_base);
}

/* Index entries carry decoding times (DTS); with B-frames these run a few frames ahead of the
 * presentation times (PTS) that frames, seeking and callers use. The shift between the two is the
 * gap between the stream's first PTS and its first indexed DTS. */
static int64_t index_to_pts_shift(const lav_video *v) {
    const AVIndexEntry *first = avformat_index_get_entry(v->stream, 0);
    int64_t shift = first ? saturating_sub(stream_start(v), first->timestamp) : 0;
    return shift > 0 ? shift : 0;
}

double lav_keyframe_before(const lav_video *v, double seconds) {
    if (!v) return -1;
    int64_t shift = index_to_pts_shift(v);
    int index = av_index_search_timestamp(v->stream, saturating_sub(to_stream_time(v, seconds), shift), AVSEEK_FLAG_BACKWARD);
    if (index < 0) return -1;
    const AVIndexEntry *entry = avformat_index_get_entry(v->stream, index);
    if (!entry) return -1;
    return to_seconds(v, saturating_add(entry->timestamp, shift));
}

int lav_seek(lav_video *v, double seconds, char *error, size_t error_size) {
    if (!v) return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "null argument", 0);
    int status = av_seek_frame(v->format, v->stream_index, to_stream_time(v, seconds), AVSEEK_FLAG_BACKWARD);
    if (status < 0 && deadline_passed(v))
        return shim_fail(LAV_ERR_DEADLINE, error, error_size, "the deadline passed while seeking in the video", 0);
    if (status < 0) return shim_fail(LAV_ERR_DECODE, error, error_size, "cannot seek", status);
    avcodec_flush_buffers(v->codec);
    v->have_frame = 0;
    v->draining = 0;
    return LAV_OK;
}

void lav_skip_unreferenced_before(lav_video *v, double seconds) {
    if (!v) return;
    v->skip_unreferenced_before = seconds < 0 ? AV_NOPTS_VALUE : to_stream_time(v, seconds);
}

/* What the decoder may skip of the packet about to go in: the caller's setting, and unreferenced
 * frames too while the packet's time is before skip_unreferenced_before (decoders read skip_frame
 * as they decode each packet). */
static enum AVDiscard skip_for(const lav_video *v, int64_t pts) {
    int early = v->skip_unreferenced_before != AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE && pts < v->skip_unreferenced_before;
    return early && v->skipped < AVDISCARD_NONREF ? AVDISCARD_NONREF : v->skipped;
}

int lav_decode_next(lav_video *v, double *seconds, char *error, size_t error_size) {
    if (!v || !seconds) return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "null argument", 0);
    for (;;) {
        if (deadline_passed(v))
            return shim_fail(LAV_ERR_DEADLINE, error, error_size, "the deadline passed while decoding the video", 0);
        int status = avcodec_receive_frame(v->codec, v->frame);
        if (status == 0) {
            int64_t pts = v->frame->best_effort_timestamp;
            if (pts == AV_NOPTS_VALUE) pts = v->frame->pts;
            *seconds = pts == AV_NOPTS_VALUE ? 0 : to_seconds(v, pts);
            v->have_frame = 1;
            return LAV_OK;
        }
        if (status == AVERROR_EOF) {
            v->have_frame = 0;
            return LAV_END;
        }
        if (status != AVERROR(EAGAIN))
            return shim_fail(LAV_ERR_DECODE, error, error_size, "the video stream cannot be decoded", status);
        if (v->draining)
            return shim_fail(LAV_ERR_DECODE, error, error_size, "the decoder stalled", 0);
        status = av_read_frame(v->format, v->packet);
        if (status == AVERROR_EOF) {
            v->draining = 1;
            avcodec_send_packet(v->codec, NULL);
            continue;
        }
        if (status < 0 && deadline_passed(v))
            return shim_fail(LAV_ERR_DEADLINE, error, error_size, "the deadline passed while reading the video", 0);
        if (status < 0)
            return shim_fail(LAV_ERR_DECODE, error, error_size, "the container is corrupt or truncated", status);
        if (v->packet->stream_index == v->stream_index) {
            v->codec->skip_frame = skip_for(v, v->packet->pts);
            status = avcodec_send_packet(v->codec, v->packet);
            av_packet_unref(v->packet);
            if (status < 0 && status != AVERROR(EAGAIN) && status != AVERROR_INVALIDDATA)
                return shim_fail(LAV_ERR_DECODE, error, error_size, "the video stream cannot be decoded", status);
        } else {
            av_packet_unref(v->packet);
        }
    }
}

int lav_current_frame(lav_video *v, int format, uint8_t *pixels, int width, int height, int stride,
                      char *error, size_t error_size) {
    int gray = format == LAV_PIXELS_GRAY8;
    if (!v || !pixels || width <= 0 || height <= 0 || stride < width * (gray ? 1 : 3))
        return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "invalid output image", 0);
    if (!v->have_frame) return shim_fail(LAV_ERR_ARGUMENT, error, error_size, "no current frame", 0);
    struct SwsContext **scaler = &v->scalers[gray];
    *scaler = sws_getCachedContext(*scaler, v->frame->width, v->frame->height, v->frame->format, width, height,
                                   gray ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_RGB24, SWS_BILINEAR, NULL, NULL, NULL);
    if (!*scaler) return shim_fail(LAV_ERR_DECODE, error, error_size, "unsupported pixel format", 0);
    uint8_t *planes[4] = {pixels, NULL, NULL, NULL};
    int strides[4] = {stride, 0, 0, 0};
    int rows = sws_scale(*scaler, (const uint8_t *const *)v->frame->data, v->frame->linesize, 0,
                         v->frame->height, planes, strides);
    if (rows != height) return shim_fail(LAV_ERR_DECODE, error, error_size, "scaling failed", 0);
    return LAV_OK;
}
