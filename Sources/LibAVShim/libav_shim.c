#include "libav_shim.h"
#include <libavformat/avformat.h>
int lav_placeholder(void) { return 0; }
