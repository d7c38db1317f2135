"""`planner notify` against a real SMTP server (aiosmtpd on 127.0.0.1), and its dry run."""

from __future__ import annotations

import email
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import EXAMPLE_SMALL, VALID_SMALL_SCHEDULE
from icalendar import Calendar
from typer.testing import CliRunner

from planner.cli import app
from planner.domain.change import compare, disruption
from planner.mission.load import load_mission
from planner.mission.schedule_file import read_schedule, write_schedule
from planner.views.calendar_files import write_calendars
from planner.views.mail import check_sender, password_for

USER, PASSWORD = "organiser", "s3cret-for-tests"
EMAILS = {"astrid": "astrid@palace.example", "csl": "contact@csl.example", "odoo": "mission@odoo.example"}
"""Given to three delegates of example-small; simonet, also affected below, has none."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201 - aiosmtpd's handler API
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:  # noqa: ANN001
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and \
        auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself


@pytest.fixture()
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture()
def replanned(tmp_path: Path) -> tuple[Path, Path]:
    """A mission with e-mail addresses and a folder as planner replan leaves it: visit-nasa moved an hour
    later, b2b-odoo dropped."""
    text = EXAMPLE_SMALL.read_text(encoding="utf-8")
    for delegate, address in EMAILS.items():
        text = text.replace(f"{{id: {delegate}, ", f"{{id: {delegate}, email: {address}, ", 1)
    mission_path = tmp_path / "mission.yaml"
    mission_path.write_text(text, encoding="utf-8")
    mission = load_mission(mission_path)
    assert {d.id for d in mission.delegates.values() if d.email} == set(EMAILS)
    baseline = read_schedule(VALID_SMALL_SCHEDULE)
    hour = timedelta(hours=1)
    new = replace(baseline, activities=[
        replace(a, start=a.start + hour, end=a.end + hour) if a.id == "visit-nasa" else a
        for a in baseline.activities if a.id != "b2b-odoo"])
    sizes = {d.id: d.size for d in mission.delegates.values()}
    new.extra.update(changes=compare(baseline, new).to_json(), disruption=disruption(baseline, new, sizes),
                     now="2025-10-06T12:00:00-07:00", mission_file={"path": str(mission_path)})
    out = tmp_path / "out"
    write_schedule(new, out / "schedule.json")
    write_calendars(mission, new, out)
    return mission_path, out


def notify(out: Path, port: int, *extra: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["notify", str(out), "--smtp", f"127.0.0.1:{port}",
                                    "--from", "Mission team <mission@planner.example>", *extra], env=env or {})


def test_one_message_per_affected_delegate_with_an_email(smtp_server, replanned) -> None:
    inbox, port = smtp_server
    _, out = replanned
    result = notify(out, port)
    assert result.exit_code == 0, result.output
    assert "sent 3 messages" in result.output
    assert "simonet" in result.output and "no email" in result.output  # affected, but nobody to write to
    assert sorted(rcpt for e in inbox.envelopes for rcpt in e.rcpt_tos) == sorted(EMAILS.values())
    by_recipient = {str(m["To"].addresses[0].addr_spec): m for m in inbox.messages()}
    astrid = by_recipient[EMAILS["astrid"]]
    assert "HRH Princess Astrid" in str(astrid["To"])
    plain = astrid.get_body(("plain",)).get_content()
    html = astrid.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "Visit to NASA Ames" in body and "14:00–15:30" in body and "15:00–16:30" in body
        assert "Odoo B2B" not in body  # not astrid's change
    odoo = by_recipient[EMAILS["odoo"]].get_body(("plain",)).get_content()
    assert "Odoo B2B meetings — cancelled: Mon 6 Oct 14:00–16:00, Fairmont San Francisco" in odoo
    attachments = list(astrid.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["text/calendar"]
    calendar = Calendar.from_ical(attachments[0].get_content())
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert events["visit-nasa"].decoded("dtstart").hour == 15


def test_the_attached_calendar_says_it_is_utf_8(smtp_server, replanned) -> None:
    inbox, port = smtp_server
    mission_path, out = replanned
    accented = mission_path.read_text(encoding="utf-8").replace("Fairmont San Francisco", "Fairmont — Café", 1)
    mission_path.write_text(accented, encoding="utf-8")
    write_calendars(load_mission(mission_path), read_schedule(out / "schedule.json"), out)
    assert notify(out, port).exit_code == 0
    attachment = next(next(iter(inbox.messages())).iter_attachments())
    assert attachment.get_content_charset() == "utf-8"
    assert "Fairmont — Café" in attachment.get_content()  # read back as a mail reader decodes it


def test_login_with_the_password_from_the_environment(smtp_server, replanned) -> None:
    inbox, port = smtp_server
    _, out = replanned
    result = notify(out, port, "--user", USER, env={"PLANNER_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert len(inbox.envelopes) == 3
    result = notify(out, port, "--user", USER, env={"PLANNER_SMTP_PASSWORD": "wrong"})
    assert result.exit_code == 1
    assert "refused the credentials" in result.output and "PLANNER_SMTP_PASSWORD" in result.output
    assert "Traceback" not in result.output and len(inbox.envelopes) == 3


def test_dry_run_writes_eml_files_and_sends_nothing(smtp_server, replanned) -> None:
    inbox, port = smtp_server
    _, out = replanned
    result = notify(out, port, "--dry-run")
    assert result.exit_code == 0, result.output
    assert inbox.envelopes == []
    files = sorted(p.name for p in (out / "mail").iterdir())
    assert files == ["astrid.eml", "csl.eml", "odoo.eml"]
    message = email.message_from_bytes((out / "mail" / "csl.eml").read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == EMAILS["csl"]
    assert "Visit to NASA Ames" in message.get_body(("plain",)).get_content()


def test_connection_refused_is_a_message(replanned) -> None:
    _, out = replanned
    result = notify(out, free_port())
    assert result.exit_code == 1
    assert "connection refused" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the test certificate")
def test_starttls_with_a_certificate_the_client_trusts(replanned, tmp_path: Path) -> None:
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate)
    controller.start()
    try:
        _, out = replanned
        # Without TLS the server refuses; with STARTTLS and a trusted certificate the messages go.
        assert notify(out, port, "--security", "none").exit_code == 1
        result = notify(out, port, "--security", "starttls", "--user", USER,
                        env={"PLANNER_SMTP_PASSWORD": PASSWORD, "SSL_CERT_FILE": str(certificate)})
        assert result.exit_code == 0, result.output
        assert len(inbox.envelopes) == 3
    finally:
        controller.stop()


def test_bad_options_are_input_errors(replanned) -> None:
    _, out = replanned
    for extra in (["--smtp", "no-port"], ["--from", "not an address"], ["--security", "tls13"]):
        arguments = {"--smtp": "127.0.0.1:25", "--from": "a@b.example", "--security": "auto"}
        arguments[extra[0]] = extra[1]
        result = CliRunner().invoke(app, ["notify", str(out), *[x for pair in arguments.items() for x in pair]])
        assert result.exit_code == 2, (extra, result.output)
        assert "Traceback" not in result.output


def test_a_folder_without_changes_is_an_input_error(tmp_path: Path) -> None:
    out = tmp_path / "solved"
    out.mkdir()
    shutil.copy(VALID_SMALL_SCHEDULE, out / "schedule.json")
    result = CliRunner().invoke(app, ["notify", str(out), "--smtp", "127.0.0.1:25", "--from", "a@b.example",
                                      "--mission", str(EXAMPLE_SMALL)])
    assert result.exit_code == 2 and "planner replan" in result.output
    # without --mission too: the folder is planner solve's, which --mission would not make one to notify
    result = CliRunner().invoke(app, ["notify", str(out), "--smtp", "127.0.0.1:25", "--from", "a@b.example"])
    assert result.exit_code == 2 and "has no \"changes\": write it with planner replan" in result.output
    assert "give it with --mission" not in result.output


def test_sender_with_a_line_break_is_refused() -> None:
    from planner.domain.errors import InputErrors

    with pytest.raises(InputErrors):
        check_sender("a@b.example\r\nBcc: everyone@example.org")
    assert check_sender("Mission team <mission@planner.example>")


def test_password_never_an_option_and_from_environment_else_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--password" not in CliRunner().invoke(app, ["notify", "--help"]).output
    monkeypatch.delenv("PLANNER_SMTP_PASSWORD", raising=False)
    assert password_for(USER, lambda question: "typed") == "typed"
    assert password_for(None, lambda question: "typed") is None
    monkeypatch.setenv("PLANNER_SMTP_PASSWORD", "from-env")
    assert password_for(USER, lambda question: "typed") == "from-env"


def test_a_password_on_the_command_line_is_refused_with_what_to_do(smtp_server, replanned) -> None:
    """Not click's "No such option": where the password goes instead, before anything is checked or sent."""
    inbox, port = smtp_server
    _, out = replanned
    for written in (["--password", "x"], ["--password=x"]):
        result = notify(out, port, "--user", USER, *written)
        assert result.exit_code == 2, result.output
        assert "secrets are never read from the command line" in result.output
        assert "shell's history and the process list" in result.output and "PLANNER_SMTP_PASSWORD" in result.output
        assert "No such option" not in result.output and "Traceback" not in result.output
    assert inbox.envelopes == []
    # Said first, even when a required option is missing too.
    alone = CliRunner().invoke(app, ["notify", str(out), "--password", "x"])
    assert alone.exit_code == 2 and "PLANNER_SMTP_PASSWORD" in alone.output


def test_after_a_real_replan_the_dry_run_writes_one_message_per_affected_delegate(tmp_path: Path) -> None:
    """planner replan then planner notify --dry-run, with the mission file the re-plan recorded."""
    from replanning import run, without_activity

    text = without_activity(EXAMPLE_SMALL.read_text(encoding="utf-8"), "demo-fn-lapd")
    for delegate, address in {"fn-herstal": "team@fn.example", "astrid": "astrid@palace.example"}.items():
        text = text.replace(f"{{id: {delegate}, ", f"{{id: {delegate}, email: {address}, ", 1)
    mission = tmp_path / "mission.yaml"
    mission.write_text(text, encoding="utf-8")
    result = run("replan", mission, "--baseline", VALID_SMALL_SCHEDULE, "--now", "2025-10-07 12:00",
                 "--out", tmp_path / "out", "--quiet", "--time-limit", "20")
    assert result.exit_code == 0, result.output
    result = run("notify", tmp_path / "out", "--smtp", "127.0.0.1:25", "--from", "mission@planner.example",
                 "--dry-run")
    assert result.exit_code == 0, result.output
    # fn-herstal and jeholet lose the demonstration; only fn-herstal has an address (astrid is unaffected).
    assert sorted(p.name for p in (tmp_path / "out" / "mail").iterdir()) == ["fn-herstal.eml"]
    assert "jeholet" in result.output and "no email" in result.output
    message = email.message_from_bytes((tmp_path / "out" / "mail" / "fn-herstal.eml").read_bytes(),
                                       policy=policy.default)
    assert "cancelled" in message.get_body(("plain",)).get_content()
    calendar = Calendar.from_ical(next(message.iter_attachments()).get_content())
    cancelled = [e for e in calendar.walk("VEVENT") if str(e["status"]) == "CANCELLED"]
    assert [str(e["uid"]).split("@")[0] for e in cancelled] == ["demo-fn-lapd"]


def test_a_workbook_mission_is_told_to_fill_in_the_email_cell(smtp_server, replanned, tmp_path: Path) -> None:
    """The warning for an affected delegate without an email speaks the mission's format: a workbook has
    an `email` cell on the delegate's row (and the warning stands at that row), not an `email:` key."""
    from planner.mission.convert import convert

    inbox, port = smtp_server
    mission_path, out = replanned
    workbook = tmp_path / "mission.xlsx"
    convert(mission_path, workbook)
    result = notify(out, port, "--dry-run", "--mission", str(workbook))
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "simonet" in line and "no email" in line)
    assert f"{workbook}:Delegates!" in warning and "fill in their `email` cell" in warning, warning
    assert "`email:`" not in warning


def test_each_message_says_the_language_it_is_written_in(smtp_server, replanned) -> None:
    inbox, port = smtp_server
    mission_path, out = replanned
    text = mission_path.read_text(encoding="utf-8")
    mission_path.write_text(text.replace("{id: csl, ", "{id: csl, language: fr, ", 1), encoding="utf-8")
    mission = load_mission(mission_path)
    assert mission.language_of("csl") == "fr"
    assert notify(out, port).exit_code == 0
    by_delegate = {delegate.id: delegate for delegate in mission.delegates.values()}
    languages = {str(message["To"].addresses[0].addr_spec): str(message["Content-Language"])
                 for message in inbox.messages()}
    assert languages == {address: mission.language_of(by_delegate[delegate].id)
                         for delegate, address in EMAILS.items()}


def test_affected_delegates_without_an_email_are_one_warning(smtp_server, replanned,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A line each buried the output under a dozen alike: one warning names them (the first few, and a
    count of the others)."""
    from planner.cli import replan

    _, port = smtp_server
    _, out = replanned
    # The mission without any address: every affected delegate (4) is unreachable.
    result = notify(out, port, "--dry-run", "--mission", str(EXAMPLE_SMALL))
    warnings = [line for line in result.output.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1, result.output
    assert "4 delegates have changes but no email" in warnings[0], warnings
    assert all(f"({delegate})" in warnings[0] for delegate in (*EMAILS, "simonet")), warnings
    monkeypatch.setattr(replan, "UNREACHABLE_NAMED", 2)
    result = notify(out, port, "--dry-run", "--mission", str(EXAMPLE_SMALL))
    warnings = [line for line in result.output.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "and 2 more): add `email:`" in warnings[0], warnings
