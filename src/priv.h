#ifndef RAWSOCK_PRIV_H
#define RAWSOCK_PRIV_H
/*
 * Giving up privileges once the sockets are open and before any frame or
 * input is read: optionally switch to USER (-Z, tcpdump's convention), then
 * set no_new_privs and drop every capability, so neither this process nor
 * anything it runs can regain them.
 */

/* user may be NULL. Exits 2 with one line if anything fails. */
void	priv_drop(const char *user);

#endif
