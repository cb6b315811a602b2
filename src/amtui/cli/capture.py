"""Quick capture from the shell: ``amtui add client|task|message|note|contact|deal|member``.

Each prints the new record's id and nothing else. Imports no Textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from amtui.cli import UsageError, workspace_option
from amtui.cli.common import (
    DATE_HELP,
    department_named,
    hours_option,
    member_named,
    money_option,
    open_workspace,
    parse_day,
    parse_moment,
    print_json,
)
from amtui.i18n import _
from amtui.services.rules import answer_hours
from amtui.text import one_line

if TYPE_CHECKING:
    from amtui.models import Record
    from amtui.storage import Workspace


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = commands.add_parser("add", help=_("quick capture: add a record, print its id"))
    kinds = add.add_subparsers(title=_("what to add"), metavar=_("KIND"), required=True)

    client = kinds.add_parser("client", help=_("a client (company or person)"))
    client.add_argument("name", metavar=_("NAME"))
    client.add_argument("--kind", metavar=_("KIND"), help=_("b2b (default) or b2c"))
    client.add_argument("--person", action="store_true", help=_("a person, not a company"))
    client.add_argument("--status", metavar=_("STATUS"),
                        help=_("lead, active (default), dormant or churned"))
    client.add_argument("--owner", metavar=_("MEMBER"), help=_("owning member: id, name or login"))
    client.add_argument("--stage", metavar=_("STAGE"),
                        help=_("tactical, operational, functional or strategic"))
    client.add_argument("--key-account", action="store_true", help=_("mark as a key account"))
    client.add_argument("--industry", metavar=_("INDUSTRY"))
    client.add_argument("--channel", metavar=_("CHANNEL"),
                        help=_("preferred channel: telegram, whatsapp, email, phone…"))
    client.add_argument("--timezone", metavar=_("ZONE"),
                        help=_("IANA zone, e.g. Asia/Yekaterinburg"))
    client.add_argument("--cadence", metavar=_("CADENCE"),
                        help=_("update cadence: daily, weekly, biweekly, monthly, none"))
    client.add_argument("--revenue", metavar=_("AMOUNT"), help=_("monthly revenue"))
    client.add_argument("--cost", metavar=_("AMOUNT"), help=_("monthly cost to serve"))
    client.add_argument("--tag", metavar=_("TAG"), action="append", default=[],
                        help=_("a tag (repeatable)"))
    client.add_argument("--json", action="store_true",
                        help=_('print {"id", "name", "duplicate_of"} instead of the id'))
    workspace_option(client, argparse.SUPPRESS)
    client.set_defaults(handler=add_client)

    task = kinds.add_parser("task", help=_("a task for a department"))
    task.add_argument("title", metavar=_("TITLE"))
    task.add_argument("--client", metavar=_("CLIENT"), help=_("client id or exact name"))
    task.add_argument("--due", metavar=_("DATE"), help=_(DATE_HELP))
    task.add_argument("--department", metavar=_("DEPARTMENT"),
                      help=_("copywriting, seo, context_ads, analytics, design, …"))
    task.add_argument("--assignee", metavar=_("ASSIGNEE"), help=_("who in the department does it"))
    task.add_argument("--column", metavar=_("COLUMN"), help=_("board column (default: the first)"))
    task.add_argument("--priority", metavar=_("PRIORITY"),
                      help=_("low, normal (default), high or urgent"))
    task.add_argument("--description", metavar=_("DESCRIPTION"))
    task.add_argument("--estimate", metavar=_("HOURS"))
    task.add_argument("--check", action="append", default=[], metavar=_("ITEM"),
                      help=_("a checklist item (repeatable)"))
    task.add_argument("--blocked-by-client", action="store_true",
                      help=_("waiting for something from the client"))
    workspace_option(task, argparse.SUPPRESS)
    task.set_defaults(handler=add_task)

    message = kinds.add_parser("message", help=_("a message from (or to) a client"))
    message.add_argument("text", metavar=_("TEXT"))
    message.add_argument("--client", required=True, metavar=_("CLIENT"))
    message.add_argument("--contact", metavar=_("CONTACT"), help=_("contact id or exact name"))
    message.add_argument("--channel", metavar=_("CHANNEL"),
                         help=_("telegram, whatsapp, email (default), phone, …"))
    message.add_argument("--kind", metavar=_("KIND"),
                         help=_("question (default), request, complaint, approval, …"))
    message.add_argument("--priority", metavar=_("PRIORITY"),
                         help=_("low, normal (default), high or urgent"))
    message.add_argument("--outgoing", action="store_true", help=_("we wrote to the client"))
    message.add_argument("--received", metavar=_("WHEN"), help=_("YYYY-MM-DD HH:MM (default: now)"))
    message.add_argument("--answer-by", metavar=_("WHEN"),
                         help=_("default: the workspace's answer time, in the client's hours"))
    workspace_option(message, argparse.SUPPRESS)
    message.set_defaults(handler=add_message)

    note = kinds.add_parser("note", help=_("a Markdown note"))
    note.add_argument("title", metavar=_("TITLE"))
    note.add_argument("--client", metavar=_("CLIENT"))
    body = note.add_mutually_exclusive_group()
    body.add_argument("--body", metavar=_("TEXT"))
    body.add_argument("--body-file", metavar=_("FILE"),
                      help=_("read the body from FILE (- for stdin)"))
    body.add_argument("--template", metavar=_("NAME"),
                      help=_("start from a note template: brief, spec, meeting, report, "
                             "anti-disaster, or one of the workspace's templates/notes/"))
    note.add_argument("--kind", metavar=_("KIND"),
                      help=_("meeting, brief, spec, knowledge (default), report, "
                                       "checklist"))
    note.add_argument("--tag", metavar=_("TAG"), action="append", default=[])
    note.add_argument("--pin", action="store_true")
    workspace_option(note, argparse.SUPPRESS)
    note.set_defaults(handler=add_note)

    contact = kinds.add_parser("contact", help=_("a person on the client's side"))
    contact.add_argument("name", metavar=_("NAME"))
    contact.add_argument("--client", required=True, metavar=_("CLIENT"))
    contact.add_argument("--role", metavar=_("ROLE"), help=_("job title"))
    contact.add_argument("--email", metavar=_("EMAIL"))
    contact.add_argument("--phone", metavar=_("PHONE"))
    contact.add_argument("--messenger", metavar=_("MESSENGER"))
    contact.add_argument("--influence", metavar=_("INFLUENCE"),
                         help=_("decision_maker, champion, blocker or stakeholder (default)"))
    workspace_option(contact, argparse.SUPPRESS)
    contact.set_defaults(handler=add_contact)

    deal = kinds.add_parser("deal", help=_("a deal or contract"))
    deal.add_argument("title", metavar=_("TITLE"))
    deal.add_argument("--client", required=True, metavar=_("CLIENT"))
    deal.add_argument("--amount", metavar=_("AMOUNT"), required=True)
    deal.add_argument("--currency", metavar=_("CURRENCY"),
                      help=_("ISO code (default: the workspace currency)"))
    deal.add_argument("--status", metavar=_("STATUS"),
                      help=_("proposal (default), negotiation, won or lost"))
    deal.add_argument("--signed", metavar=_("DATE"), help=_(DATE_HELP))
    deal.add_argument("--paid", metavar=_("DATE"), help=_(DATE_HELP))
    deal.add_argument("--owner", metavar=_("MEMBER"))
    workspace_option(deal, argparse.SUPPRESS)
    deal.set_defaults(handler=add_deal)

    member = kinds.add_parser("member", help=_("a member of the team"))
    member.add_argument("name", metavar=_("NAME"))
    member.add_argument("--role", metavar=_("ROLE"),
                        help=_("account_manager (default), kam, assistant or head"))
    member.add_argument("--login", metavar=_("LOGIN"), help=_("OS login on the shared host"))
    member.add_argument("--email", metavar=_("EMAIL"))
    workspace_option(member, argparse.SUPPRESS)
    member.set_defaults(handler=add_member)


def _given(**values: Any) -> dict[str, Any]:
    """Only the options the user gave, so the model's defaults apply to the rest."""
    return {key: value for key, value in values.items() if value not in (None, [], False)}


def _store(workspace: Workspace, record: Record) -> int:
    sys.stdout.write(_added(workspace, record).id + "\n")
    return 0


def _added(workspace: Workspace, record: Record) -> Record:
    """Store the new record, undoable by `amtui undo` (and ``u`` in the app)."""
    # lazy: pydantic, not loaded for --help
    from amtui.services import journal, undo

    stored, change = undo.add(workspace, record, _("«{name}» added").format(
        name=one_line(record.label(), 40)))
    journal.record(workspace, change, journal.FROM_COMMAND)
    return stored


def _client_id(workspace: Workspace, name_or_id: str | None) -> str | None:
    if name_or_id is None:
        return None
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client

    clients = workspace.repo(Client)
    return name_or_id if clients.exists(name_or_id) else clients.resolve(name_or_id).id


def _member_id(workspace: Workspace, name_or_id: str | None) -> str | None:
    if name_or_id is None:
        return None
    # lazy: the store, not loaded for --help
    from amtui.storage import RecordNotFound

    try:
        return member_named(workspace, name_or_id)
    except RecordNotFound:
        raise UsageError(
            _("no member {name!r}: add one with `amtui add member NAME --login LOGIN`")
            .format(name=name_or_id)
        ) from None


def add_client(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client
    from amtui.models.base import MONTHLY_PLACES

    workspace = open_workspace(args, create=True)
    record = Client(**_given(
        name=args.name, kind=args.kind, status=args.status, stage=args.stage,
        legal_form="person" if args.person else None, key_account=args.key_account,
        owner_id=_member_id(workspace, args.owner), industry=args.industry,
        preferred_channel=args.channel, timezone=args.timezone, cadence=args.cadence,
        monthly_revenue=(money_option(args.revenue, "--revenue", workspace.settings.currency,
                                      places=MONTHLY_PLACES) if args.revenue else None),
        cost_to_serve=(money_option(args.cost, "--cost", workspace.settings.currency,
                                    places=MONTHLY_PLACES) if args.cost else None),
        tags=args.tag,
    ))
    # lazy: pydantic, not loaded for --help
    from amtui.services.clients import duplicates_of

    duplicates = duplicates_of(workspace, record.name)
    if duplicates:
        named = ", ".join(f"{name!r} ({client_id})" for client_id, name in duplicates[:3])
        more = (_(" and {count} more").format(count=len(duplicates) - 3)
                if len(duplicates) > 3 else "")
        sys.stderr.write(one_line(_("amtui: warning: a client of the same name exists already: "
                                    "{named}{more}; the new one is added too").format(
                                        named=named, more=more)) + "\n")
    if not args.json:
        return _store(workspace, record)

    stored = _added(workspace, record)
    print_json({"id": stored.id, "name": stored.name,
                "duplicate_of": [{"id": client_id, "name": name}
                                 for client_id, name in duplicates]})
    return 0


def add_task(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import ChecklistItem, Task

    workspace = open_workspace(args, create=True)
    department = (department_named(workspace, args.department)
                  if args.department is not None else None)
    column = args.column or workspace.settings.columns[0]
    if column not in workspace.settings.columns:
        known = ", ".join(workspace.settings.columns)
        raise UsageError(_("--column: unknown column {column!r} (columns: {known})").format(
            column=column, known=known))
    record = Task(**_given(
        title=args.title, client_id=_client_id(workspace, args.client),
        due=parse_day(args.due, "--due", workspace),
        department=department, assignee=args.assignee, column=column, priority=args.priority,
        description=args.description,
        estimate_hours=hours_option(args.estimate, "--estimate") if args.estimate else None,
        checklist=[ChecklistItem(text=item) for item in args.check],
        blocked_by_client=args.blocked_by_client,
        blocked_since=workspace.clock() if args.blocked_by_client else None,
    ))
    return _store(workspace, record)


def add_message(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Client, Contact, Message
    from amtui.services.hours import WorkingDays, add_working_hours

    workspace = open_workspace(args, create=True)
    client = workspace.repo(Client).resolve(args.client)
    zone = client.timezone
    received = (parse_moment(args.received, "--received", zone) if args.received
                else workspace.clock())
    outgoing = args.outgoing
    if args.answer_by:
        answer_by = parse_moment(args.answer_by, "--answer-by", zone)
        if answer_by < received:
            raise UsageError(_("--answer-by: the answer cannot be due before the message came"))
    elif outgoing:
        answer_by = None
    else:
        answer_by = add_working_hours(received, answer_hours(
            {"text": args.text, "priority": args.priority}, workspace.settings),
            client.working_hours, zone, WorkingDays.of(workspace.settings))
    contact_id = None
    if args.contact:
        contact = workspace.repo(Contact).resolve(args.contact)
        if contact.client_id != client.id:
            raise UsageError(_("--contact: {name!r} is not a contact of {name2!r}").format(
                name=contact.name, name2=client.name))
        contact_id = contact.id
    record = Message(**_given(
        text=args.text, client_id=client.id, contact_id=contact_id, channel=args.channel,
        kind=args.kind or ("update" if outgoing else None), priority=args.priority,
        direction="outgoing" if outgoing else None,
        status="done" if outgoing else None, received_at=received, answer_by=answer_by,
        assignee_id=client.owner_id,
    ))
    return _store(workspace, record)


def add_note(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Note

    body = args.body
    if args.body_file:
        body = _read_body(args.body_file)
    workspace = open_workspace(args, create=True)
    client_id = _client_id(workspace, args.client)
    kind = args.kind
    if args.template:
        body, template_kind = _from_template(workspace, args.template, client_id)
        kind = kind or template_kind
    record = Note(**_given(
        title=args.title, body=body, client_id=client_id, kind=kind, tags=args.tag,
        pinned=args.pin,
    ))
    return _store(workspace, record)


def _from_template(workspace: Workspace, key: str, client_id: str | None) -> tuple[str, str]:
    """The body and kind a note template gives, filled in for the client."""
    # lazy: pydantic, not loaded for --help
    from amtui.services.templates import author, load_templates

    templates = {template.key: template for template in load_templates(workspace)[0]}
    if key not in templates:
        raise UsageError(_("--template: no template {key!r} (templates: {templates})").format(
            key=key, templates=", ".join(sorted(templates))))
    client = workspace.file("clients").get(client_id) if client_id else None
    _title, body = templates[key].fill(str(client.get("name", "")) if client else "",
                                       workspace.clock().date(), author(workspace))
    return body, templates[key].kind


def _read_body(name: str) -> str:
    """The text of FILE (``-``: stdin), read no further than a note's body may be long."""
    # lazy: pydantic, not loaded for --help
    from amtui.models.work import MAX_NOTE_BODY

    try:
        if name == "-":
            body = sys.stdin.read(MAX_NOTE_BODY + 1)
        else:
            with open(name, encoding="utf-8") as handle:
                body = handle.read(MAX_NOTE_BODY + 1)
    except FileNotFoundError:
        raise UsageError(_("--body-file: {name} does not exist").format(name=name)) from None
    except UnicodeDecodeError:
        raise UsageError(_("--body-file: {name} is not UTF-8 text").format(name=name)) from None
    except OSError as error:
        raise UsageError(_("--body-file: cannot read {name}: {strerror}").format(
            name=name, strerror=error.strerror)) from None
    if len(body) > MAX_NOTE_BODY:
        raise UsageError(_("--body-file: {name} is longer than a note may be ({most} "
                           "characters)").format(name="stdin" if name == "-" else name,
                                                 most=f"{MAX_NOTE_BODY:,}".replace(",", " ")))
    return body


def add_contact(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Contact

    workspace = open_workspace(args, create=True)
    record = Contact(**_given(
        name=args.name, client_id=_client_id(workspace, args.client), role=args.role,
        email=args.email, phone=args.phone, messenger=args.messenger, influence=args.influence,
    ))
    return _store(workspace, record)


def add_deal(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    from amtui.models import Deal, Money

    workspace = open_workspace(args, create=True)
    currency = (args.currency or workspace.settings.currency).upper()
    amount = Money(amount=money_option(args.amount, "--amount", currency), currency=currency)
    record = Deal(**_given(
        title=args.title, client_id=_client_id(workspace, args.client), amount=amount,
        status=args.status, signed_on=parse_day(args.signed, "--signed", workspace),
        paid_on=parse_day(args.paid, "--paid", workspace),
        owner_id=_member_id(workspace, args.owner),
    ))
    return _store(workspace, record)


def add_member(args: argparse.Namespace) -> int:
    # lazy: pydantic, not loaded for --help
    # lazy: kept out of `amtui --help`
    from amtui.models import Member
    from amtui.services.members import LoginTaken, check_login_free, login_problem

    workspace = open_workspace(args, create=True)
    record = Member(**_given(name=args.name, role=args.role, login=args.login, email=args.email))
    if args.login is not None and (problem := login_problem(args.login)):
        raise UsageError(_("--login: {login!r}: {problem}").format(
            login=args.login, problem=problem))

    try:
        check_login_free(workspace, record.login or "")
    except LoginTaken as error:
        raise UsageError(_("--login: {error}").format(error=error)) from None
    return _store(workspace, record)
