#include "curl_shim.h"
#include <curl/curl.h>
int cs_placeholder(void) { return CURLE_OK; }
