"""Who is working and where: the OS account (not the `$USER` variable anyone can set), the host."""

from __future__ import annotations

import functools
import os
import pwd


@functools.cache
def os_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid {os.getuid()}"


@functools.cache
def host_name() -> str:
    return os.uname().nodename
