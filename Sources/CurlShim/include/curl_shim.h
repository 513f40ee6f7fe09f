#ifndef CURL_SHIM_H
#define CURL_SHIM_H
/* Placeholder: the typed libcurl wrapper lands with the AWS-access work. */
int cs_placeholder(void);
#endif
