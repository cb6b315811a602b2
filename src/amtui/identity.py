"""Who is working and where: the OS account (not the `$USER` variable anyone can set), the host."""

from __future__ import annotations

import functools
import os
import pwd


@functools.cache
def os_user() -> str:
    """The login name of the user amtui runs as (what the audit log records)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid {os.getuid()}"


@functools.cache
def host_name() -> str:
    return os.uname().nodename


def os_user_full_name() -> str:
    """The OS account's full name (the first part of its GECOS field), or ""."""
    try:
        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except KeyError:
        return ""
    return gecos.split(",", 1)[0].strip()


ZONEINFO_FOLDERS = ("/usr/share/zoneinfo/", "/usr/lib/zoneinfo/", "/usr/share/lib/zoneinfo/")


def machine_timezone(default: str = "Europe/Moscow") -> str:
    """The IANA name of this machine's time zone (``$TZ``, else what ``/etc/localtime`` points
    to, else ``/etc/timezone``), or ``default`` when none of them names a known zone."""
    for zone in (os.environ.get("TZ", "").removeprefix(":"), _localtime_zone(), _etc_timezone()):
        if zone and _known_zone(zone):
            return zone
    return default


def _localtime_zone() -> str:
    target = os.path.realpath("/etc/localtime")
    for folder in ZONEINFO_FOLDERS:
        if target.startswith(folder):
            return target.removeprefix(folder).removeprefix("posix/").removeprefix("right/")
    return ""


def _etc_timezone() -> str:
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            return handle.read(100).strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _known_zone(name: str) -> bool:
    # lazy: zoneinfo, loaded when a time zone is needed
    from zoneinfo import ZoneInfo

    if name.startswith("/") or ".." in name:
        return False  # a path, not a zone name
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True
