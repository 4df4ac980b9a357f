#ifndef CANVASS_CSYSTEM_H
#define CANVASS_CSYSTEM_H
// Linux calls that Swift's Glibc module does not expose: epoll, eventfd, accept4 and getrandom.
#include <sys/epoll.h>

struct sockaddr;
int canvass_accept4(int fd, struct sockaddr *address, unsigned int *length, int flags);

/// Asks glibc to keep freed heap memory (up to `trim` bytes, with `pad` bytes of headroom) instead of
/// returning it to the kernel at once: each return is an madvise with a TLB shootdown across cores.
void canvass_keep_freed_memory(long trim, long pad);

static const unsigned int CANVASS_EPOLLIN = EPOLLIN;
static const unsigned int CANVASS_EPOLLOUT = EPOLLOUT;
static const unsigned int CANVASS_EPOLLRDHUP = EPOLLRDHUP;
static const unsigned int CANVASS_EPOLLONESHOT = EPOLLONESHOT;
static const unsigned int CANVASS_EPOLLET = EPOLLET;
static const unsigned int CANVASS_EPOLLEXCLUSIVE = EPOLLEXCLUSIVE;
static const unsigned int CANVASS_EPOLLERR = EPOLLERR;
static const unsigned int CANVASS_EPOLLHUP = EPOLLHUP;

/// A non-blocking, close-on-exec eventfd (for waking an epoll loop from another thread).
int canvass_eventfd(void);
/// Adds one to an eventfd's counter (wakes whoever waits on it).
int canvass_eventfd_signal(int fd);
/// Resets an eventfd's counter to zero.
void canvass_eventfd_drain(int fd);
/// Fills `length` bytes at `buffer` from the kernel's random generator (getrandom(2), retried on
/// EINTR and short reads). Returns 0, or -1 with errno.
int canvass_random_bytes(void *buffer, unsigned long length);
/// Sets the calling thread's nice value (0–19; higher yields the CPU to others). Returns 0, or -1 with errno.
int canvass_lower_thread_priority(int nice_value);

/// Puts the calling thread in Linux's SCHED_IDLE class: it runs only on CPU no other task
/// wants. Returns 0, or -1 with errno.
int canvass_idle_thread_priority(void);

/// 1 if the calling thread is in the SCHED_IDLE class, else 0.
int canvass_thread_runs_idle(void);

/// The calling thread's nice value.
int canvass_thread_nice(void);
#endif
