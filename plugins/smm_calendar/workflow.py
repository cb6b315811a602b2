"""Changing posts: statuses along the allowed transitions, the approval trail, comments,
moving to another day, duplicating, making and editing.

Each change reads the post as stored now, checks it, and saves it; a change that is not allowed
raises :class:`Refused` (nothing is saved). Every function returns what it saved and an
:class:`~amtui.api.Undo` that reverts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from amtui.api import Client, ConflictError, TrashBin, Undo, os_user

from .i18n import _
from .model import (
    NOT_APPROVED,
    TRANSITIONS,
    Post,
    PostStatus,
    Refused,
    TrailEntry,
    TrailKind,
    settings_of,
)
from .times import local, moment_at

if TYPE_CHECKING:
    from amtui.api import Workspace

S = PostStatus


@dataclass(frozen=True)
class Saved:
    post: Post
    undo: Undo


def client_zone(workspace: Workspace, client_id: str) -> str:
    """The client's time zone (the workspace's if the client has none)."""
    client = workspace.repo(Client).stored(client_id) or {}
    return str(client.get("timezone") or workspace.settings.timezone)


def _entry(workspace: Workspace, kind: TrailKind, by: str | None, *, text: str = "",
           from_status: PostStatus | None = None,
           to_status: PostStatus | None = None) -> TrailEntry:
    return TrailEntry(at=workspace.clock(), by=by or os_user(), kind=kind, text=text.strip(),
                      from_status=from_status, to_status=to_status)


def _content(post: Post) -> dict[str, Any]:
    return post.model_dump(exclude={"rev", "updated_at"})


def _update(workspace: Workspace, before: Post, after: Post, description: str) -> Saved:
    """Save ``after`` over ``before`` (as read); undo puts ``before`` back unless the post was
    changed again since."""
    posts = workspace.repo(Post)
    saved = posts.update(after)

    def revert() -> Post:
        current = posts.get(saved.id)
        if _content(current) != _content(saved):
            raise ConflictError(_("post {title!r} was changed again since; it was not "
                                  "undone").format(title=current.title), current)
        return posts.update(before.model_copy(update={"rev": current.rev}))

    return Saved(saved, Undo(description, revert))


def _add(workspace: Workspace, post: Post, description: str) -> Saved:
    posts = workspace.repo(Post)
    saved = posts.add(post)
    return Saved(saved, Undo(description, lambda: posts.discard(saved.id)))


def _get(workspace: Workspace, post_id: str) -> Post:
    return workspace.repo(Post).get(post_id)


# statuses ----------------------------------------------------------------------------------

def allowed(status: PostStatus) -> tuple[PostStatus, ...]:
    return TRANSITIONS[status]


def next_status(status: PostStatus) -> PostStatus | None:
    """The next step on the way to published (None after published or rejected)."""
    if status in (S.PUBLISHED, S.REJECTED):
        return None
    return TRANSITIONS[status][0]


def check_transition(post: Post, to: PostStatus, comment: str = "") -> None:
    """Refused (saying why) if ``post`` may not go to ``to`` now."""
    if to == post.status:
        raise Refused(_("the post is already {status}").format(status=to.label))
    if to not in TRANSITIONS[post.status]:
        options = ", ".join(status.label for status in TRANSITIONS[post.status]) or _("none")
        raise Refused(_("a post cannot go from {status} to {target} (from {status}: "
                        "{options})").format(status=post.status.label, target=to.label,
                                             options=options))
    if to is S.CLIENT_APPROVAL and not post.text.strip():
        raise Refused(_("the post has no text yet: write it before sending it to the client"))
    if post.status is S.CLIENT_APPROVAL and to is S.DRAFT and not comment.strip():
        raise Refused(_("say what the client asked to change: the comment goes with the post "
                      "back to draft"))


def change_status(workspace: Workspace, post_id: str, to: PostStatus | str, comment: str = "",
                  by: str | None = None) -> Saved:
    """Move the post to another status along the allowed transitions, with an optional
    comment; both go into the trail."""
    try:
        target = PostStatus(to)
    except ValueError:
        known = ", ".join(status.value for status in PostStatus)
        raise Refused(_("unknown status {to!r}: use one of {known}").format(
            to=to, known=known)) from None
    post = _get(workspace, post_id)
    check_transition(post, target, comment)
    changes_requested = target is S.DRAFT and post.status in (S.CLIENT_APPROVAL, S.APPROVED)
    kind = TrailKind.CHANGES_REQUESTED if changes_requested and comment.strip() \
        else TrailKind.STATUS
    entry = _entry(workspace, kind, by, text=comment, from_status=post.status, to_status=target)
    update: dict[str, Any] = {"status": target, "trail": [*post.trail, entry]}
    if target is S.CLIENT_APPROVAL:
        update["sent_for_approval_at"] = entry.at
    changed = post.model_copy(update=update)
    return _update(workspace, post, changed,
                   _("post {title!r}: {status} → {target}").format(
                       title=post.title, status=post.status.label, target=target.label))


def advance(workspace: Workspace, post_id: str, by: str | None = None) -> Saved:
    """The next step on the way to published, from the status stored now."""
    post = _get(workspace, post_id)
    following = next_status(post.status)
    if following is None:
        raise Refused(_("the post is {status}: no step comes after").format(
            status=post.status.label))
    return change_status(workspace, post_id, following, by=by)


def request_changes(workspace: Workspace, post_id: str, comment: str,
                    by: str | None = None) -> Saved:
    """The client asked for changes: the post goes back to draft with their comment."""
    post = _get(workspace, post_id)
    if post.status not in (S.CLIENT_APPROVAL, S.APPROVED):
        raise Refused(_("the post is {status}: the client asks for changes to a post sent for "
                        "approval (or approved)").format(status=post.status.label))
    if not comment.strip():
        raise Refused(_("say what the client asked to change"))
    return change_status(workspace, post_id, S.DRAFT, comment, by)


def add_comment(workspace: Workspace, post_id: str, text: str, by: str | None = None) -> Saved:
    if not text.strip():
        raise Refused(_("the comment is empty"))
    post = _get(workspace, post_id)
    entry = _entry(workspace, TrailKind.COMMENT, by, text=text)
    changed = post.model_copy(update={"trail": [*post.trail, entry]})
    return _update(workspace, post, changed, _("comment on post {title!r}").format(
        title=post.title))


# days --------------------------------------------------------------------------------------

def move_post(workspace: Workspace, post_id: str, day: date, by: str | None = None) -> Saved:
    """Put the post on another day at the same local time (in the client's time zone)."""
    post = _get(workspace, post_id)
    if post.status is S.PUBLISHED:
        raise Refused(_("the post is published: it stays on the day it went out"))
    zone_name = client_zone(workspace, post.client_id)
    was = local(post.publish_at, zone_name)
    if was.date() == day:
        raise Refused(_("the post is on {day} already").format(day=day))
    entry = _entry(workspace, TrailKind.MOVED, by, text=f"from {was:%Y-%m-%d} to {day}")
    changed = post.model_copy(update={
        "publish_at": moment_at(day, was.time(), zone_name), "trail": [*post.trail, entry]})
    return _update(workspace, post, changed, _("post {title!r} moved to {day}").format(
        title=post.title, day=day))


def duplicate_post(workspace: Workspace, post_id: str, day: date | None = None,
                   by: str | None = None) -> Saved:
    """A copy of the post (same client, channel, time and content) on ``day`` (its own day if
    not given), back at the start of the approval loop."""
    post = _get(workspace, post_id)
    zone_name = client_zone(workspace, post.client_id)
    was = local(post.publish_at, zone_name)
    status = S.DRAFT if post.text.strip() else S.IDEA
    entry = _entry(workspace, TrailKind.CREATED, by, to_status=status,
                   text=f"copy of {post.title!r} ({was:%Y-%m-%d})")
    copy = Post(client_id=post.client_id, channel=post.channel, title=post.title,
                text=post.text, media_notes=post.media_notes, hashtags=post.hashtags,
                assignee_id=post.assignee_id, tags=post.tags, status=status, trail=[entry],
                publish_at=moment_at(day or was.date(), was.time(), zone_name))
    return _add(workspace, copy, _("copy of post {title!r}").format(title=post.title))


def delete_post(workspace: Workspace, post_id: str) -> Undo:
    entry = workspace.repo(Post).delete(post_id)
    return Undo(_("post {title!r} deleted").format(
        title=entry.title), lambda: TrashBin(workspace).restore(entry.id))


# making and editing ------------------------------------------------------------------------

@dataclass(frozen=True)
class PostFields:
    """What a person types for a post: its day and time are the client's local ones."""

    client_id: str
    channel: str
    day: date
    at: time
    title: str
    text: str = ""
    media_notes: str = ""
    hashtags: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    assignee_id: str | None = None


def _checked_fields(workspace: Workspace, fields: PostFields) -> dict[str, Any]:
    if not workspace.repo(Client).exists(fields.client_id):
        raise Refused(_("client: no client with id {client_id!r}").format(
            client_id=fields.client_id))
    channel = settings_of(workspace).check_channel(fields.channel)
    zone_name = client_zone(workspace, fields.client_id)
    return {"client_id": fields.client_id, "channel": channel,
            "publish_at": moment_at(fields.day, fields.at, zone_name), "title": fields.title,
            "text": fields.text, "media_notes": fields.media_notes,
            "hashtags": list(fields.hashtags), "tags": list(fields.tags),
            "assignee_id": fields.assignee_id or None}


def build_post(workspace: Workspace, fields: PostFields, status: PostStatus = S.IDEA,
               by: str | None = None) -> Post:
    """A new post (not saved) from what was typed; Refused or a ValidationError if wrong."""
    values = _checked_fields(workspace, fields)
    entry = _entry(workspace, TrailKind.CREATED, by, to_status=status)
    return Post(**values, status=status, trail=[entry])


def add_post(workspace: Workspace, post: Post) -> Saved:
    return _add(workspace, post, _("post {title!r} added").format(title=post.title))


def edit_post(workspace: Workspace, post_id: str, fields: PostFields,
              rev: int | None = None) -> Saved:
    """Save what was typed over the post (its status and trail stay); ``rev``: the revision
    the form was opened on (a conflict if someone saved since)."""
    post = _get(workspace, post_id)
    values = _checked_fields(workspace, fields)
    if post.status is S.PUBLISHED and values["publish_at"] != post.publish_at:
        raise Refused(_("the post is published: its day and time stay as they were"))
    changed = Post.model_validate({**post.model_dump(), **values,
                                   "rev": post.rev if rev is None else rev})
    return _update(workspace, post, changed, _("post {title!r} edited").format(title=post.title))


def set_text(workspace: Workspace, post_id: str, text: str, rev: int | None = None) -> Saved:
    """The post's text, written in the editor."""
    post = _get(workspace, post_id)
    changed = Post.model_validate({**post.model_dump(), "text": text,
                                   "rev": post.rev if rev is None else rev})
    return _update(workspace, post, changed, _("text of post {title!r}").format(title=post.title))


def waiting_since(post: Post) -> datetime | None:
    """When a post waiting for the client's approval was sent to them."""
    return post.sent_for_approval_at if post.status is S.CLIENT_APPROVAL else None


def is_not_approved(status: str) -> bool:
    return status in NOT_APPROVED
