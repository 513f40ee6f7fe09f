#ifndef CURL_SHIM_H
#define CURL_SHIM_H
/*
 * A thin, typed wrapper over libcurl's easy interface. Swift cannot call the variadic
 * curl_easy_setopt, so each option kind gets its own setter. Only curl_shim.c sees <curl/curl.h>:
 * this header exposes an opaque handle, prefixed functions and plain integer status codes
 * (0 = success, otherwise the CURLcode value).
 */
#include <stddef.h>
#include <stdint.h>

typedef struct cs_easy cs_easy;   /* one curl easy handle plus its response buffers */
typedef struct cs_slist cs_slist; /* a curl_slist (request header lines) */

/* CURLcode values the Swift side classifies (checked against curl.h in curl_shim.c). */
enum {
    CS_E_OK = 0,
    CS_E_COULDNT_RESOLVE_HOST = 6,
    CS_E_COULDNT_CONNECT = 7,
    CS_E_OPERATION_TIMEDOUT = 28,
    CS_E_GOT_NOTHING = 52,
    CS_E_SEND_ERROR = 55,
    CS_E_RECV_ERROR = 56,
    CS_E_OUT_OF_MEMORY = 27,
    CS_E_FILESIZE_EXCEEDED = 63,
};

typedef enum {
    CS_OPT_TIMEOUT_MS,        /* whole transfer; 0 = no limit */
    CS_OPT_HTTPGET,           /* 1 = plain GET */
    CS_OPT_NOBODY,            /* 1 = HEAD */
    CS_OPT_PATH_AS_IS,        /* 1 = send the path unchanged (no dot-segment squashing) */
    CS_OPT_MAXFILESIZE,       /* refuse a response body larger than this many bytes; 0 = no limit */
} cs_long_option;

typedef enum {
    CS_OPT_URL,
    CS_OPT_CUSTOMREQUEST, /* the method verb, e.g. "PUT" */
} cs_string_option;

typedef enum {
    CS_OPT_HTTPHEADER,
} cs_slist_option;

/* curl_global_init, done once per process whatever the number of callers or threads. */
int cs_global_init(void);

/* NULL when curl cannot allocate a handle. */
cs_easy *cs_easy_create(void);
void cs_easy_destroy(cs_easy *easy);
/* Forgets every option and the last response but keeps open connections for reuse.
   NOSIGNAL and the response callbacks are set again. */
void cs_easy_reset(cs_easy *easy);

int cs_easy_setopt_long(cs_easy *easy, cs_long_option option, long value);
int cs_easy_setopt_string(cs_easy *easy, cs_string_option option, const char *value);
/* The list must stay alive until cs_easy_perform returns. */
int cs_easy_setopt_slist(cs_easy *easy, cs_slist_option option, const cs_slist *list);
/* Copies the bytes as the request body (any method) and sends Content-Length, even for 0 bytes. */
int cs_easy_set_body(cs_easy *easy, const uint8_t *bytes, size_t length);

int cs_easy_perform(cs_easy *easy);
/* The detailed message of the last failure, or curl's text for the code. Never NULL. */
const char *cs_easy_error_message(cs_easy *easy, int code);

long cs_easy_response_code(cs_easy *easy);
/* The raw header bytes received (all header blocks, status lines included) and the body. */
const uint8_t *cs_easy_response_headers(cs_easy *easy, size_t *length);
const uint8_t *cs_easy_response_body(cs_easy *easy, size_t *length);
/* Until the next reset, a successful (2xx) response's body is written into the caller's `bytes` (at
   most `capacity`: more fails the transfer with a write error) rather than a buffer the handle
   allocates, so that a caller reading many ranges reuses its own memory. Error bodies still go to
   the handle's buffer. */
void cs_easy_set_body_destination(cs_easy *easy, uint8_t *bytes, size_t capacity);
/* Hands the body's buffer over to the caller, who frees it with free(); the handle starts its
   next response with a new one. NULL when the body is empty. */
uint8_t *cs_easy_take_response_body(cs_easy *easy, size_t *length);

/* Returns the new head of the list, or NULL on allocation failure (the old list is kept). */
cs_slist *cs_slist_append(cs_slist *list, const char *line);
void cs_slist_free(cs_slist *list);

#endif
