#include "curl_shim.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(CS_E_COULDNT_RESOLVE_HOST == CURLE_COULDNT_RESOLVE_HOST, "curl code");
_Static_assert(CS_E_COULDNT_CONNECT == CURLE_COULDNT_CONNECT, "curl code");
_Static_assert(CS_E_OPERATION_TIMEDOUT == CURLE_OPERATION_TIMEDOUT, "curl code");
_Static_assert(CS_E_GOT_NOTHING == CURLE_GOT_NOTHING, "curl code");
_Static_assert(CS_E_SEND_ERROR == CURLE_SEND_ERROR, "curl code");
_Static_assert(CS_E_RECV_ERROR == CURLE_RECV_ERROR, "curl code");
_Static_assert(CS_E_OUT_OF_MEMORY == CURLE_OUT_OF_MEMORY, "curl code");
_Static_assert(CS_E_FILESIZE_EXCEEDED == CURLE_FILESIZE_EXCEEDED, "curl code");

typedef struct {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    CURL *announcer; /* for the body: the handle whose Content-Length sizes the buffer at once */
    int borrowed;    /* the caller's memory (cs_easy_set_body_destination): never grown nor freed here */
} cs_buffer;

/* A buffer grown past this for one response is freed before the next, so that a container does
   not keep its largest download's memory for life. */
enum { RETAINED_CAPACITY = 1 << 20 };

struct cs_easy {
    CURL *curl;
    cs_buffer headers;
    cs_buffer body;
    cs_buffer destination;  /* the caller's memory for a successful body, when set */
    cs_buffer *body_target; /* where this response's body went: &body or &destination */
    char error[CURL_ERROR_SIZE];
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_status = CURLE_OK;

static void global_init_once(void) { global_status = curl_global_init(CURL_GLOBAL_ALL); }

int cs_global_init(void) {
    pthread_once(&global_once, global_init_once);
    return (int)global_status;
}

static int buffer_append(cs_buffer *buffer, const char *data, size_t length) {
    if (buffer->borrowed && length > buffer->capacity - buffer->length) return 0;
    if (buffer->length + length > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 4096;
        curl_off_t announced = -1;
        /* An announced length is allocated exactly, once, instead of doubling past it. */
        if (buffer->length == 0 && buffer->announcer &&
            curl_easy_getinfo(buffer->announcer, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced) == CURLE_OK &&
            announced > 0 && (uint64_t)announced >= length && (uint64_t)announced <= SIZE_MAX)
            capacity = (size_t)announced;
        while (capacity < buffer->length + length) capacity *= 2;
        uint8_t *grown = realloc(buffer->bytes, capacity);
        if (!grown) return 0;
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, data, length);
    buffer->length += length;
    return 1;
}

/* Returning less than the size handed in makes curl abort with CURLE_WRITE_ERROR. */
static size_t write_callback(char *data, size_t size, size_t count, void *context) {
    return buffer_append(context, data, size * count) ? size * count : 0;
}

/* The body goes to the caller's destination when one is set and the response is a success; an
   error's body (an S3 error document, say) always to the handle's own buffer. */
static size_t body_callback(char *data, size_t size, size_t count, void *context) {
    cs_easy *easy = context;
    if (easy->body.length == 0 && easy->destination.length == 0) {
        long status = 0;
        curl_easy_getinfo(easy->curl, CURLINFO_RESPONSE_CODE, &status);
        int success = status >= 200 && status < 300;
        easy->body_target = easy->destination.borrowed && success ? &easy->destination : &easy->body;
    }
    return write_callback(data, size, count, easy->body_target);
}

static void release_if_large(cs_buffer *buffer) {
    if (buffer->capacity <= RETAINED_CAPACITY) return;
    free(buffer->bytes);
    buffer->bytes = NULL;
    buffer->capacity = 0;
}

static void forget_response(cs_easy *easy) {
    release_if_large(&easy->headers);
    release_if_large(&easy->body);
    easy->headers.length = 0;
    easy->body.length = 0;
    easy->destination.length = 0;
    easy->body_target = &easy->body;
}

static void prepare(cs_easy *easy) {
    forget_response(easy);
    easy->body.announcer = easy->curl;
    easy->destination = (cs_buffer){0};
    easy->error[0] = '\0';
    curl_easy_setopt(easy->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy->curl, CURLOPT_ERRORBUFFER, easy->error);
    curl_easy_setopt(easy->curl, CURLOPT_WRITEFUNCTION, body_callback);
    curl_easy_setopt(easy->curl, CURLOPT_WRITEDATA, easy);
    curl_easy_setopt(easy->curl, CURLOPT_HEADERFUNCTION, write_callback);
    curl_easy_setopt(easy->curl, CURLOPT_HEADERDATA, &easy->headers);
}

cs_easy *cs_easy_create(void) {
    if (cs_global_init() != CURLE_OK) return NULL;
    cs_easy *easy = calloc(1, sizeof(cs_easy));
    if (!easy) return NULL;
    easy->curl = curl_easy_init();
    if (!easy->curl) {
        free(easy);
        return NULL;
    }
    prepare(easy);
    return easy;
}

void cs_easy_destroy(cs_easy *easy) {
    if (!easy) return;
    curl_easy_cleanup(easy->curl);
    free(easy->headers.bytes);
    free(easy->body.bytes);
    free(easy);
}

void cs_easy_reset(cs_easy *easy) {
    curl_easy_reset(easy->curl);
    prepare(easy);
}

int cs_easy_setopt_long(cs_easy *easy, cs_long_option option, long value) {
    switch (option) {
    case CS_OPT_TIMEOUT_MS: return curl_easy_setopt(easy->curl, CURLOPT_TIMEOUT_MS, value);
    case CS_OPT_HTTPGET: return curl_easy_setopt(easy->curl, CURLOPT_HTTPGET, value);
    case CS_OPT_NOBODY: return curl_easy_setopt(easy->curl, CURLOPT_NOBODY, value);
    case CS_OPT_PATH_AS_IS: return curl_easy_setopt(easy->curl, CURLOPT_PATH_AS_IS, value);
    case CS_OPT_MAXFILESIZE: return curl_easy_setopt(easy->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)value);
    }
    return CURLE_UNKNOWN_OPTION;
}

int cs_easy_setopt_string(cs_easy *easy, cs_string_option option, const char *value) {
    switch (option) {
    case CS_OPT_URL: return curl_easy_setopt(easy->curl, CURLOPT_URL, value);
    case CS_OPT_CUSTOMREQUEST: return curl_easy_setopt(easy->curl, CURLOPT_CUSTOMREQUEST, value);
    }
    return CURLE_UNKNOWN_OPTION;
}

int cs_easy_setopt_slist(cs_easy *easy, cs_slist_option option, const cs_slist *list) {
    switch (option) {
    case CS_OPT_HTTPHEADER: return curl_easy_setopt(easy->curl, CURLOPT_HTTPHEADER, (const struct curl_slist *)list);
    }
    return CURLE_UNKNOWN_OPTION;
}

int cs_easy_set_body(cs_easy *easy, const uint8_t *bytes, size_t length) {
    CURLcode code = curl_easy_setopt(easy->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)length);
    if (code != CURLE_OK) return code;
    /* COPYPOSTFIELDS needs a non-NULL pointer even for an empty body. */
    return curl_easy_setopt(easy->curl, CURLOPT_COPYPOSTFIELDS, length ? (const char *)bytes : "");
}

int cs_easy_perform(cs_easy *easy) {
    forget_response(easy);
    easy->error[0] = '\0';
    return curl_easy_perform(easy->curl);
}

const char *cs_easy_error_message(cs_easy *easy, int code) {
    return easy->error[0] ? easy->error : curl_easy_strerror((CURLcode)code);
}

long cs_easy_response_code(cs_easy *easy) {
    long status = 0;
    curl_easy_getinfo(easy->curl, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

const uint8_t *cs_easy_response_headers(cs_easy *easy, size_t *length) {
    *length = easy->headers.length;
    return easy->headers.bytes;
}

const uint8_t *cs_easy_response_body(cs_easy *easy, size_t *length) {
    *length = easy->body_target->length;
    return easy->body_target->bytes;
}

void cs_easy_set_body_destination(cs_easy *easy, uint8_t *bytes, size_t capacity) {
    easy->destination = (cs_buffer){.bytes = bytes, .capacity = capacity, .borrowed = 1};
}

uint8_t *cs_easy_take_response_body(cs_easy *easy, size_t *length) {
    *length = easy->body.length;
    uint8_t *bytes = easy->body.bytes;
    easy->body = (cs_buffer){.announcer = easy->curl};
    return bytes;
}

cs_slist *cs_slist_append(cs_slist *list, const char *line) {
    return (cs_slist *)curl_slist_append((struct curl_slist *)list, line);
}

void cs_slist_free(cs_slist *list) { curl_slist_free_all((struct curl_slist *)list); }
