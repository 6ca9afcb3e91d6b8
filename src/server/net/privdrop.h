/* ternd privilege drop: to an unprivileged user, no capability kept. */
#ifndef TERND_PRIVDROP_H
#define TERND_PRIVDROP_H

/*
 * Drop root: setgroups/setgid/setuid to user (and group, NULL = the
 * user's), keeping no capability. Open sockets keep working: call it
 * after ternd_io_open() and the other sockets are open.
 */
int ternd_drop_privileges(const char *user, const char *group);

#endif
