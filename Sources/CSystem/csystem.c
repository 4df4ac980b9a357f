#define _GNU_SOURCE
#include <sys/socket.h>
#include <malloc.h>
#include "csystem.h"

int canvass_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, (socklen_t *)length, flags);
}

void canvass_keep_freed_memory(long trim, long pad) {
    mallopt(M_TRIM_THRESHOLD, (int)trim);
    mallopt(M_TOP_PAD, (int)pad);
}
