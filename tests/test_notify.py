"""`mxt notify`: digests of what is new, delivered to real receivers on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import socket
import subprocess
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import notify as notify_module
from generator.cli import main
from generator.newproject import create

TODAY = dt.date(2026, 11, 30)
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]


def commit(root: Path, message: str, when: str = "2026-11-30T09:00:00+08:00") -> None:
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", message], cwd=root, check=True,
                   env={"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when,
                        "PATH": "/usr/bin:/bin"})


def add_rows(root: Path, lines: list[str], channel: str = "抖音") -> None:
    csv = root / "data" / "sample-launch.csv"
    last = dt.date.fromisoformat(csv.read_text("utf-8").strip().splitlines()[-1][:10])
    day = (last + dt.timedelta(days=1)).isoformat()
    with csv.open("a", encoding="utf-8") as f:
        for line in lines:
            f.write(f"{day},sample-launch,{line},{channel}\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project in git with two commits: the second adds a day of rows whose spend pushes
    the ROI goal (G2) from at risk to off track."""
    root = tmp_path / "team"
    create(root, "zh", today=TODAY)
    (root / "people.yaml").write_text(
        "people:\n"
        "  - {id: li, name: 李专员, aliases: [投放组（李专员）], "
        "contacts: {mail: li@example.com, hook: '${LI_HOOK}'}}\n"
        "  - {id: wang, name: 王经理, aliases: [市场部（王经理）]}\n", "utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    commit(root, "plan and six weeks of rows", "2026-11-29T18:00:00+08:00")
    add_rows(root, ["cost,90000", "impressions,60000", "clicks,500"])
    commit(root, "rows of 11-29")
    return root


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every JSON body posted to it."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                posts.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Any]]]:
    from aiosmtpd.controller import Controller

    got: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            got.append((envelope.rcpt_tos, message_from_bytes(envelope.content,
                                                              policy=policy.default)))
            return "250 OK"

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, got
    controller.stop()


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(main, ["notify", *args, "--project", str(root)], env=env,
                              catch_exceptions=False)


def test_sends_exactly_the_new_alerts_then_nothing(repo: Path, receiver: Receiver):
    result = run(repo, "--since", "HEAD~1", "--to", receiver.url)
    assert result.exit_code == 0, result.output
    (post,) = receiver.posts
    assert post["title"] == "营销执行预警：1 条新预警"
    assert "G2" in post["message"] and "落后" in post["message"]
    assert "投放组（李专员）" in post["message"]
    # exactly the new ones: computed at both revisions
    change = notify_module.changes(repo, "HEAD~1", TODAY)
    assert [(r.alert.code, r.alert.subject) for r in change.new] == [("goal_off_track", "G2")]
    assert ("goal_at_risk", "G2") in [(r.alert.code, r.alert.subject) for r in change.cleared]
    # nothing new: quiet, nothing sent
    quiet = run(repo, "--since", "HEAD", "--to", receiver.url)
    assert quiet.exit_code == 0 and len(receiver.posts) == 1
    assert "没有新的预警" in quiet.output


def test_routes_per_owner_and_mails_text_and_html(repo: Path, receiver: Receiver,
                                                  smtp: tuple[int, list[Any]]):
    port, mails = smtp
    (repo / "mxt.yaml").write_text(
        "notify:\n"
        "  site_url: https://team.example.com/status/\n"
        "  cleared: true\n"
        "  channels:\n"
        "    mail:\n"
        f"      url: mailto://127.0.0.1:{port}?from=mxt@example.com&mode=insecure\n"
        "      team: false\n"
        "    hook:\n"
        "      url: ${TEAM_HOOK}\n", "utf-8")
    env = {"TEAM_HOOK": receiver.url, "LI_HOOK": receiver.url + "li"}
    result = run(repo, env=env)
    assert result.exit_code == 0, result.output
    # the owner's mail, as text and HTML, with the link to the plan page
    ((to, mail),) = mails
    assert to == ["li@example.com"]
    assert mail["Subject"] == "李专员：你负责的事项有 1 条新预警"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "G2" in text and "<strong>" in html
    assert "https://team.example.com/status/plans/sample-launch/" in html
    # the owner has their own hook too: one post there, none for the team (nothing left)
    assert [p["title"] for p in receiver.posts] == ["李专员：你负责的事项有 1 条新预警"]
    assert "已解除" in receiver.posts[0]["message"]


def test_a_failing_channel_does_not_stop_the_others(repo: Path, receiver: Receiver):
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()  # nobody listens there
    (repo / "mxt.yaml").write_text(
        "notify:\n  channels:\n"
        f"    broken:\n      url: json://127.0.0.1:{port}/?secret=SHOULD-NOT-PRINT\n"
        "      owners: false\n"
        "    good:\n      url: ${GOOD}\n      owners: false\n", "utf-8")
    result = run(repo, env={"GOOD": receiver.url})
    assert result.exit_code == 1
    assert "broken" in result.output and "SHOULD-NOT-PRINT" not in result.output
    assert len(receiver.posts) == 1  # the good channel got its message


def test_missing_secret_and_bad_settings_are_located(repo: Path):
    (repo / "mxt.yaml").write_text("notify:\n  channels:\n    hook:\n      url: ${NOPE}\n",
                                   "utf-8")
    missing = run(repo, env={"NOPE": ""})  # that channel fails, named with the variable
    assert missing.exit_code == 1 and "hook (NOPE: not set)" in missing.output
    (repo / "mxt.yaml").write_text("notify:\n  chanels: {}\n", "utf-8")
    bad = run(repo)
    assert bad.exit_code == 1 and "mxt.yaml:2" in bad.output and "Traceback" not in bad.output


def test_dry_run_prints_what_would_be_sent_in_english(repo: Path, receiver: Receiver):
    (repo / "mxt.yaml").write_text("notify:\n  language: en\n", "utf-8")
    result = run(repo, "--dry-run", "--to", receiver.url)
    assert result.exit_code == 0, result.output
    assert "Marketing execution: 1 new alert\n" in result.output  # (one: singular)
    assert "Would send 1 message (--dry-run: nothing sent)." in result.output
    assert "Goal “" in result.output and "Owner:" in result.output and "--dry-run" in result.output
    assert receiver.posts == []


def test_with_no_channel_it_says_so_rather_than_nothing_new(repo: Path, receiver: Receiver):
    """A new project's mxt.yaml has no channel: there is something new, and nowhere to
    send it (the message must not say there is nothing new)."""
    (repo / "mxt.yaml").write_text("notify:\n  language: en\n  channels: {}\n", "utf-8")
    for kind in ("new", "daily"):
        result = run(repo, "--dry-run", "--kind", kind, "--since", "HEAD~1")
        assert result.exit_code == 0, result.output
        assert ("No channel to send to: add one under notify.channels in mxt.yaml, or give "
                "--to URL. Nothing sent.") in result.output
        assert "No new alert" not in result.output
    # the same with a --to URL: the new alert is there to send
    sent = run(repo, "--dry-run", "--since", "HEAD~1", "--to", receiver.url)
    assert "1 new alert" in sent.output and "No channel" not in sent.output


def test_since_takes_dates_and_spans(repo: Path):
    head = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()
    assert notify_module.base_revision(repo, "2026-11-29", TODAY) == head
    assert notify_module.base_revision(repo, "1d", TODAY) == head
    with pytest.raises(notify_module.GitError):
        notify_module.base_revision(repo, "30d", TODAY)


def test_weekly_and_daily_digests(repo: Path, receiver: Receiver):
    weekly = run(repo, "--kind", "weekly", "--since", "HEAD~1", "--to", receiver.url)
    assert weekly.exit_code == 0, weekly.output
    (post,) = receiver.posts
    assert post["title"].startswith("本周进展")
    assert "G2" in post["message"]
    daily = run(repo, "--kind", "daily", "--to", receiver.url)
    assert daily.exit_code == 0, daily.output
    assert receiver.posts[-1]["title"].startswith("每日提醒")


@pytest.mark.parametrize("url", ["feishu://TOKEN", "lark://TOKEN", "dingtalk://TOKEN",
                                 "wecombot://KEY", "slack://T1/B1/C1",
                                 "workflows://host.example.com:443/wf/sig"])
def test_chat_services_are_understood_without_sending(url: str):
    assert notify_module.accepted(url), url


def test_mentions_per_service():
    assert notify_module.mention("feishu://t", "ou_1") == '<at user_id="ou_1"></at>'
    assert notify_module.mention("slack://a/b/c", "U123") == "<@U123>"
    assert notify_module.mention("dingtalk://t", "13800000000") == "@13800000000"


def _ack(root: Path, until: str) -> None:
    plan = root / "plans" / "sample-launch.yaml"
    plan.write_text(plan.read_text("utf-8") + (
        "\nacks:\n  - {alert: goal_off_track, subject: G2, until: " + until
        + ", by: 投放组（李专员）, reason: 素材替换后复核}\n"), "utf-8")


def test_an_acknowledged_alert_is_muted_until_its_day_then_comes_back(
        repo: Path, receiver: Receiver):
    _ack(repo, "2026-12-05")
    commit(repo, "acknowledge G2")
    muted = notify_module.notify(repo, since="HEAD~2", to=[receiver.url], today=TODAY)
    assert muted.messages == [] and receiver.posts == []  # new, but acknowledged
    late = notify_module.notify(repo, since="HEAD~2", to=[receiver.url],
                                today=dt.date(2026, 12, 6))
    assert len(late.messages) == 1
    assert "确认已于 2026-12-05 到期" in receiver.posts[0]["message"]
    # the site shows it muted, status.json says until when
    status = CliRunner().invoke(main, ["status", "--json", "--project", str(repo)])
    (p,) = json.loads(status.stdout)["plans"]
    acked = [a for a in p["alerts"] if a["ack"]]
    assert [(a["code"], a["subject"], a["ack"]["until"]) for a in acked] == [
        ("goal_off_track", "G2", "2026-12-05")]


def test_an_expired_acknowledgement_is_worth_a_line_once(repo: Path, receiver: Receiver):
    _ack(repo, "2026-11-30")
    commit(repo, "acknowledged G2 until 11-30", "2026-12-01T09:00:00+08:00")
    sent = notify_module.notify(repo, since="HEAD~1", to=[receiver.url],
                                today=dt.date(2026, 12, 1))
    assert len(sent.messages) == 1  # not new since HEAD~1, but its ack ran out
    assert "确认已于 2026-11-30 到期（投放组（李专员））" in receiver.posts[0]["message"]
    (repo / "README.md").write_text("next\n", "utf-8")
    commit(repo, "a later push", "2026-12-02T09:00:00+08:00")
    again = notify_module.notify(repo, since="HEAD~1", to=[receiver.url],
                                 today=dt.date(2026, 12, 2))
    assert again.messages == []  # said once


def test_the_site_has_this_weeks_page_with_the_weekly_digests_content(repo: Path):
    from generator.weekly import this_week

    week = this_week(repo)
    assert week is not None and (week.start, week.end) == (dt.date(2026, 11, 23), TODAY)
    built = CliRunner().invoke(main, ["build", "--no-pdf", "--project", str(repo)])
    assert built.exit_code == 0, built.output
    page = (repo / "site" / "weekly" / "index.html").read_text("utf-8")
    assert "本周进展（2026-11-23 ~ 2026-11-30）" in page
    assert "G2 投入产出比1:3" in page and "落后" in page
    nav = (repo / "site" / "index.html").read_text("utf-8")
    assert 'href="weekly/"' in nav


def test_validate_checks_the_settings_like_plans(repo: Path):
    (repo / "mxt.yaml").write_text("notify:\n  channels:\n    feishu: {ur: x}\n", "utf-8")
    result = CliRunner().invoke(main, ["validate", "--lang", "en", "--project", str(repo)])
    assert result.exit_code == 1
    assert "mxt.yaml:3" in result.output and "notify.channels.feishu" in result.output
