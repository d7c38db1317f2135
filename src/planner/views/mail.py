"""Telling people what changed: one e-mail per affected delegate who has an `email`.

Each message has a plain-text body and an HTML alternative listing the delegate's changes (old and new
time and place, sorted by date) and carries their updated calendar (.ics) as an attachment. Messages are
built with the standard library's `email` package (which encodes headers and refuses line breaks in
them) and sent with `smtplib`; `dry_run` writes them as .eml files instead.

The SMTP password comes from `PLANNER_SMTP_PASSWORD` or a prompt, never from the command line (where `ps`
and the shell history would show it).
"""

from __future__ import annotations

import getpass
import os
import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import partial
from pathlib import Path
from typing import Any

from planner.domain import Mission, Source
from planner.domain.change import ChangeSet
from planner.domain.errors import InputError, InputErrors
from planner.mission.files import inside, slug, write_atomic
from planner.views.changes import ChangeReport, DelegateReport, build_report, change_label, delegate_text

PASSWORD_VARIABLE = "PLANNER_SMTP_PASSWORD"
SECURITY_MODES = ("auto", "starttls", "ssl", "none")
"""`auto`: none on localhost, SSL on port 465, STARTTLS elsewhere."""
TIMEOUT_SECONDS = 30
MAIL_FOLDER = "mail"


@dataclass(frozen=True, slots=True)
class Letter:
    """One message to one delegate, and where its .eml goes in a dry run."""

    delegate: str
    address: str
    message: EmailMessage


@dataclass
class Delivery:
    sent: list[str] = field(default_factory=list)
    """Delegate ids whose message the server accepted."""
    refused: dict[str, str] = field(default_factory=dict)
    """Delegate id → why the server refused their address."""


class MailFailure(Exception):
    """The SMTP session failed as a whole (connection, TLS, login); the message says why in one sentence."""


def subject(report: ChangeReport, delegate: DelegateReport) -> str:
    words, count = delegate.words, len(delegate.lines)
    return words.ngettext("%(mission)s: %(count)d change to your programme",
                          "%(mission)s: %(count)d changes to your programme", count) % {
        "mission": report.mission, "count": count}


def plain_body(report: ChangeReport, delegate: DelegateReport) -> str:
    """The message in the delegate's language; titles, names and places as written."""
    words = delegate.words
    lines = [
        words.gettext("Dear %(name)s,") % {"name": delegate.name},
        "",
        words.gettext("The programme of %(mission)s has changed. What changed for you:") % {
            "mission": report.mission},
        "",
        delegate_text(delegate),
        "",
        words.gettext("Your updated calendar is attached (.ics): opening it updates the events you imported "
                      "before; cancelled events are marked as cancelled. Times are local to each city."),
    ]
    return "\n".join(lines) + "\n"


def html_body(report: ChangeReport, delegate: DelegateReport) -> str:
    from planner.views.common import template_environment

    return template_environment(delegate.language).get_template("mail.html").render(
        report=report, delegate=delegate, words=delegate.words, label=partial(change_label, delegate.words))


def build_letter(report: ChangeReport, delegate: DelegateReport, sender: str, calendar: bytes,
                 calendar_name: str, sent_at: datetime | None = None) -> Letter:
    """The message to one delegate: plain text, HTML alternative, their calendar attached."""
    if not delegate.email:
        raise ValueError(f"delegate {delegate.id!r} has no email")
    message = EmailMessage()
    message["Subject"] = subject(report, delegate)
    message["From"] = sender
    message["To"] = Address(display_name=delegate.name, addr_spec=delegate.email)
    message["Date"] = format_datetime(sent_at or datetime.now(UTC))
    # The sender's domain, not this machine's name (looking that up can take seconds; it also leaks it).
    domain = sender.rpartition("@")[2].strip(" >") or "planner.invalid"
    message["Message-ID"] = make_msgid(idstring=slug(delegate.id), domain=domain)
    message.set_content(plain_body(report, delegate))
    message.add_alternative(html_body(report, delegate), subtype="html")
    # Without a charset a text/* part is US-ASCII to MIME readers (RFC 2046), whatever RFC 5545 says: the
    # em dash of a mission's name came out as three replacement characters.
    message.add_attachment(calendar, maintype="text", subtype="calendar", filename=calendar_name,
                           params={"method": "PUBLISH", "charset": "utf-8"})
    # RFC 3282: the language the message is written in (the delegate's own), for a mail client's spelling
    # checker, reader and translation offer. Set last: set_content and add_* drop every Content-* header.
    message["Content-Language"] = delegate.language
    return Letter(delegate.id, delegate.email, message)


def write_letters(letters: Sequence[Letter], out_dir: Path) -> list[Path]:
    """Dry run: each message as `out_dir/mail/<delegate>.eml`, written atomically."""
    folder = Path(out_dir) / MAIL_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in letters:
        path = inside(folder, letter.delegate, ".eml")
        write_atomic(path, letter.message.as_bytes())
        written.append(path)
    return written


def password_for(user: str | None, prompt: Callable[[str], str] = getpass.getpass) -> str | None:
    """The password from PLANNER_SMTP_PASSWORD, else asked for; none without a user (no login)."""
    if user is None:
        return None
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    return prompt(f"SMTP password for {user}: ")


def resolve_security(security: str, host: str, port: int) -> str:
    if security != "auto":
        return security
    if host in ("localhost", "127.0.0.1", "::1"):
        return "none"
    return "ssl" if port == 465 else "starttls"


def send_letters(letters: Sequence[Letter], host: str, port: int, *, security: str = "auto",
                 user: str | None = None, password: str | None = None,
                 context: ssl.SSLContext | None = None) -> Delivery:
    """Send every letter in one SMTP session; a refused address is recorded, the others still go."""
    mode = resolve_security(security, host, port)
    context = context or ssl.create_default_context()
    delivery = Delivery()
    try:
        if mode == "ssl":
            session: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            session = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with session:
            if mode == "starttls":
                session.starttls(context=context)
            if user is not None:
                session.login(user, password or "")
            for letter in letters:
                try:
                    refused = session.send_message(letter.message)
                except smtplib.SMTPRecipientsRefused as failure:
                    refused = {address: reply for address, reply in failure.recipients.items()}
                if refused:
                    code, text = next(iter(refused.values()))
                    reason = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
                    delivery.refused[letter.delegate] = f"{code} {reason}".strip()
                else:
                    delivery.sent.append(letter.delegate)
    except smtplib.SMTPAuthenticationError:
        raise MailFailure(f"the SMTP server at {host}:{port} refused the credentials of user {user!r}: "
                          f"check --user and {PASSWORD_VARIABLE}") from None
    except smtplib.SMTPNotSupportedError as failure:
        raise MailFailure(f"the SMTP server at {host}:{port} does not offer this ({failure}): "
                          "try --security none, ssl or starttls") from None
    except ssl.SSLError as failure:
        raise MailFailure(f"TLS with the SMTP server at {host}:{port} failed ({failure.reason or failure}): "
                          "check --security and the port") from None
    except (smtplib.SMTPException, OSError) as failure:
        reason = str(failure).strip() or type(failure).__name__
        if isinstance(failure, ConnectionRefusedError):
            reason = "connection refused (is it running? is the port right?)"
        raise MailFailure(f"cannot send through the SMTP server at {host}:{port}: {reason}"
                          + (f"; {len(delivery.sent)} message(s) were sent before the failure"
                             if delivery.sent else "")) from None
    return delivery


# --- from a re-plan's output folder -------------------------------------------------------------------


NO_CHANGES = ("this schedule.json has no \"changes\": write it with planner replan (planner diff compares "
              "any two schedules)")
"""A folder that planner solve wrote, not planner replan: nothing to notify."""


def report_of_folder(mission: Mission, out_dir: Path) -> ChangeReport:
    """The change report of the re-plan written into `out_dir` (its schedule.json's `changes`)."""
    from planner.mission.schedule_file import read_schedule

    path = Path(out_dir) / "schedule.json"
    schedule = read_schedule(path)
    entries = schedule.extra.get("changes")
    if not isinstance(entries, list):
        raise InputErrors([InputError(Source(str(path), 1, 1),
                                      NO_CHANGES)])
    try:
        changes = ChangeSet.from_json(entries, schedule)
    except (KeyError, TypeError, ValueError) as error:
        raise InputErrors([InputError(Source(str(path), 1, 1),
                                      f"an entry of \"changes\" is malformed ({error}): write it with "
                                      "planner replan")]) from None
    now = schedule.extra.get("now")
    return build_report(changes, int(schedule.extra.get("disruption") or 0), mission,
                        now=datetime.fromisoformat(now) if isinstance(now, str) else None)


def calendar_of(mission: Mission, out_dir: Path, delegate_id: str) -> tuple[str, bytes]:
    """The file name and bytes of the delegate's calendar written beside the schedule."""
    from planner.views.calendars import FOLDER, calendar_plans

    plan = next(p for p in calendar_plans(mission) if p.kind == "delegate" and p.id == delegate_id)
    path = Path(out_dir) / FOLDER / plan.relative_path
    try:
        return path.name, path.read_bytes()
    except OSError as error:
        raise InputErrors([InputError(Source(str(path), 1, 1),
                                      f"cannot read the delegate's calendar ({error.strerror}): run planner "
                                      "replan (or planner calendars) into this folder first")]) from None


def letters_for(mission: Mission, report: ChangeReport, out_dir: Path, sender: str,
                sent_at: datetime | None = None) -> tuple[list[Letter], list[DelegateReport]]:
    """One letter per affected delegate with an e-mail address; and the affected delegates without one."""
    letters, unreachable = [], []
    for delegate in report.delegates:
        if not delegate.email or delegate.id not in mission.delegates:
            unreachable.append(delegate)
            continue
        name, calendar = calendar_of(mission, out_dir, delegate.id)
        letters.append(build_letter(report, delegate, sender, calendar, name, sent_at))
    return letters, unreachable


def check_sender(sender: str) -> str:
    """`--from` as a valid address ('Name <a@b>' or 'a@b'); otherwise an input error."""
    from email.headerregistry import HeaderRegistry

    problem = None
    if any(ord(character) < 32 or ord(character) == 127 for character in sender):
        problem = "it holds a control character"
    else:
        try:
            header = HeaderRegistry()("from", sender)
            addresses: tuple[Any, ...] = getattr(header, "addresses", ())
            if len(addresses) != 1 or not addresses[0].domain or header.defects:
                problem = "it is not one address with a domain"
        except (ValueError, IndexError) as error:
            problem = str(error)
    if problem:
        raise InputErrors([InputError(Source.command_line("--from"),
                                      f"{sender!r} is not a sender address ({problem}): write e.g. "
                                      "'Mission team <mission@example.org>'")])
    return sender
