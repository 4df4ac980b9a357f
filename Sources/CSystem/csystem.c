#define _GNU_SOURCE
#include <errno.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <malloc.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "csystem.h"

int canvass_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags) {
    return accept4(fd, address, (socklen_t *)length, flags);
}

void canvass_keep_freed_memory(long trim, long pad) {
    mallopt(M_TRIM_THRESHOLD, (int)trim);
    mallopt(M_TOP_PAD, (int)pad);
}

int canvass_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

int canvass_eventfd_signal(int fd) {
    uint64_t one = 1;
    return (int)write(fd, &one, sizeof one);
}

void canvass_eventfd_drain(int fd) {
    uint64_t value;
    while (read(fd, &value, sizeof value) == (ssize_t)sizeof value) {}
}

#include <sys/resource.h>
#include <sys/syscall.h>

int canvass_lower_thread_priority(int nice_value) {
    // On Linux a thread is a task of its own: PRIO_PROCESS with its thread id sets its nice value alone.
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_value);
}

#include <sched.h>

int canvass_idle_thread_priority(void) {
    // SCHED_IDLE: the thread runs only on CPU no other task wants (its weight is a fifth of
    // nice 19's). Pid 0 is the calling thread.
    struct sched_param parameter = { .sched_priority = 0 };
    return sched_setscheduler(0, SCHED_IDLE, &parameter);
}

int canvass_thread_runs_idle(void) {
    return sched_getscheduler(0) == SCHED_IDLE;
}

int canvass_thread_nice(void) {
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}

int canvass_random_bytes(void *buffer, unsigned long length) {
    unsigned char *bytes = buffer;
    while (length > 0) {
        ssize_t got = getrandom(bytes, length, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += got;
        length -= (unsigned long)got;
    }
    return 0;
}
