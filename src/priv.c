#include <err.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "opts.h"
#include "priv.h"

static const struct passwd *
find_user(const char *user)
{
	struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user)) == NULL)
		errx(2, "-Z: unknown user '%s'", shown(user));
	if (geteuid() != 0)
		errx(2, "-Z '%s': switching user needs root", shown(user));
	return pw;
}

static void
switch_user(const char *user, const struct passwd *pw)
{
	if (initgroups(pw->pw_name, pw->pw_gid) < 0)
		err(2, "-Z '%s': initgroups", shown(user));
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0)
		err(2, "-Z '%s': setresgid", shown(user));
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		err(2, "-Z '%s': setresuid", shown(user));
}

void
priv_drop(const char *user)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3];
	const struct passwd *pw = NULL;

	if (user != NULL)
		pw = find_user(user);
	/*
	 * Root regains every capability on execve unless told otherwise.
	 * The securebits and the bounding set need CAP_SETPCAP, which only
	 * root has here, and -Z's setresuid() would take it away: so
	 * before switching user.
	 */
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
	    SECBIT_NO_SETUID_FIXUP | SECBIT_NO_SETUID_FIXUP_LOCKED |
	    SECBIT_KEEP_CAPS_LOCKED, 0, 0, 0) == 0) {
		for (int cap = 0; cap <= 63; cap++)
			if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 &&
			    errno == EINVAL)
				break;	/* past the kernel's last capability */
	}
	if (pw != NULL)
		switch_user(user, pw);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		err(2, "prctl(PR_SET_NO_NEW_PRIVS)");
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	memset(none, 0, sizeof(none));
	if (syscall(SYS_capset, &hdr, none) < 0)
		err(2, "dropping capabilities");
}
