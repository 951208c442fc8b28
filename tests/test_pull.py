"""`mxt pull` against a real PostgreSQL on 127.0.0.1, started here (and DuckDB files).

The server is Debian's `postgresql` (initdb + pg_ctl into a temporary folder, run as the
`postgres` user when the tests run as root: root cannot run postgres); `make test`
installs it. A table of ad rows with timestamps in Asia/Shanghai is pulled into daily
rows, and the file is compared whole.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import PULL_DIALECTS, main
from generator.pull import config
from generator.pull.output import number
from generator.pull.run import PullError, explain, pull

PASSWORD_VARIABLE = "MXT_TEST_PG_PASSWORD"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# 17:00 in Shanghai on 3 June: the day's pull cut (每日17:00前固定提取数据)
NOW = dt.datetime(2024, 6, 3, 17, 0, tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Postgres:
    port: int
    password: str

    def url(self, password: str = "${" + PASSWORD_VARIABLE + "}") -> str:
        return f"postgresql://mxt:{password}@127.0.0.1:{self.port}/postgres"

    @property
    def environ(self) -> dict[str, str]:
        return {PASSWORD_VARIABLE: self.password}


def _bin_dir() -> Path | None:
    """Debian's versioned folder (the newest), else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ROWS = """
CREATE TABLE ad_rows (ts timestamptz, campaign text, media text, region text,
                      spend numeric(12, 2), imps bigint, fans bigint, idx double precision,
                      online integer);
INSERT INTO ad_rows VALUES
  ('2024-05-30 10:00+08', 'launch', '抖音', '华东', 999, 9999, 1, 9.9, 9),
  ('2024-06-01 09:00+08', 'launch', '抖音', '华东', 100.50, 1000, 500, 1.5, 30),
  ('2024-06-01 21:00+08', 'launch', '抖音', '华东', 200.25, 2000, 520, 2.25, 80),
  ('2024-06-01 23:30+08', 'launch', '小红书', '华东', 50, 500, NULL, NULL, 12),
  ('2024-06-02 00:30+08', 'launch', '抖音', '华东', 10, 100, 530, 0.1, 5),
  ('2024-06-02 12:00+08', 'launch', '抖音', '华东', 20, 200, 525, 0.2, 7),
  ('2024-06-02 12:00+08', 'brand', '抖音', NULL, 7, 70, NULL, NULL, NULL),
  ('2024-06-02 18:00+08', 'brand', '抖音', NULL, NULL, NULL, 600, NULL, NULL),
  ('2024-06-02 18:00+08', 'brand', '抖音', NULL, NULL, NULL, 610, NULL, NULL),
  ('2024-06-03 10:00+08', 'launch', '抖音', '华东', 1, 1, 1, 1, 1);
"""


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A PostgreSQL server of its own: a temporary cluster, password login, 127.0.0.1 only."""
    bindir = _bin_dir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: `make test` installs it (postgresql)")
        pytest.skip("PostgreSQL is not installed (run `make test-deps`)")
    folder = Path(tempfile.mkdtemp(prefix="mxt-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        user = "postgres" if _user_exists("postgres") else "nobody"
        run_as = ["runuser", "-u", user, "--"]
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    password = "s3cret-" + os.urandom(6).hex()
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    if run_as:
        os.chown(pwfile, pwd.getpwnam(run_as[2]).pw_uid, -1)
    data, port = folder / "data", _free_port()

    def call(*args: str) -> None:
        done = subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr

    call(str(bindir / "initdb"), "-D", str(data), "-U", "mxt", "--auth=scram-sha-256",
         f"--pwfile={pwfile}", "-E", "UTF8", "--no-locale", "--no-sync")
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    call(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
         "-w", "-t", "30", "start")
    try:
        server = Postgres(port, password)
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="mxt", password=password,
                             dbname="postgres", autocommit=True) as con:
            con.execute(ROWS)
        yield server
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


PLAN = """\
title: {title}
owner: 王伟
period: {{start: 2024-05-01, end: 2024-06-30}}
goals:
  - {{id: g1, name: 投放成本, owner: 王伟, metric: cost, target: 1000}}
"""


def dictionary(url: str, **changes: str) -> str:
    source = {"url": url, "table": "public.ad_rows", "date": "ts", "plan": "campaign",
              "dimensions": "{channel: media, region: region}",
              "metrics": ("{cost: spend, impressions: imps, followers: fans, "
                          "brand_index: idx, peak: online}"),
              "since": "2024-05-31", "timezone": "Asia/Shanghai", **changes}
    lines = "".join(f"    {key}: {value}\n" for key, value in source.items() if value)
    return textwrap.dedent("""\
        dimensions: [plan, channel, region]
        metrics:
          cost: {name: 投放成本, aggregation: sum}
          impressions: {name: 曝光量, aggregation: sum}
          followers: {name: 粉丝数, aggregation: last}
          brand_index: {name: 品牌指数, aggregation: mean}
          peak: {name: 在线峰值, aggregation: max}
          cpm: {name: 千次曝光成本, formula: cost / impressions * 1000}
        sources:
          ads:
        """) + lines


def project(tmp_path: Path, url: str, **changes: str) -> Path:
    root = tmp_path / "team"
    (root / "plans").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "metrics.yaml").write_text(dictionary(url, **changes), "utf-8")
    for plan in ("launch", "brand"):
        (root / "plans" / f"{plan}.yaml").write_text(PLAN.format(title=plan), "utf-8")
    return root


EXPECTED = """\
date,plan,metric,value,channel,region,source
2024-06-01,launch,cost,50,小红书,华东,ads
2024-06-01,launch,impressions,500,小红书,华东,ads
2024-06-01,launch,peak,12,小红书,华东,ads
2024-06-01,launch,brand_index,3.75,抖音,华东,ads
2024-06-01,launch,cost,300.75,抖音,华东,ads
2024-06-01,launch,followers,520,抖音,华东,ads
2024-06-01,launch,impressions,3000,抖音,华东,ads
2024-06-01,launch,peak,80,抖音,华东,ads
2024-06-02,brand,cost,7,抖音,,ads
2024-06-02,brand,followers,610,抖音,,ads
2024-06-02,brand,impressions,70,抖音,,ads
2024-06-02,launch,brand_index,0.3,抖音,华东,ads
2024-06-02,launch,cost,30,抖音,华东,ads
2024-06-02,launch,followers,525,抖音,华东,ads
2024-06-02,launch,impressions,300,抖音,华东,ads
2024-06-02,launch,peak,7,抖音,华东,ads
"""


def pulled(root: Path) -> str:
    return (root / "data" / "pulled" / "ads.csv").read_text("utf-8")


def test_daily_rows_summed_last_of_day_since_and_cut_at_yesterday(tmp_path: Path,
                                                                   postgres: Postgres):
    root = project(tmp_path, postgres.url())
    (done,) = pull(root, NOW, environ=postgres.environ)
    # per day (Shanghai), plan and dimensions: sums (a `mean` metric is summed per day),
    # the max, the day's latest `followers` (ties: the larger); 30 May is before `since`,
    # 3 June is today; 00:30 on 2 June in Shanghai is 1 June in UTC, and counts on 2 June
    assert pulled(root) == EXPECTED
    assert (done.source, done.path, done.values, done.changed) == (
        "ads", "data/pulled/ads.csv", 16, True)
    assert (done.first, done.last) == (dt.date(2024, 6, 1), dt.date(2024, 6, 2))
    again = pull(root, NOW, environ=postgres.environ)  # the same bytes: nothing changed
    assert pulled(root) == EXPECTED and not again[0].changed


@pytest.mark.parametrize(("now", "last"), [
    (dt.datetime(2024, 6, 2, 15, 59, tzinfo=dt.UTC), "2024-06-01"),  # 23:59 in Shanghai
    (dt.datetime(2024, 6, 2, 16, 0, tzinfo=dt.UTC), "2024-06-02"),  # midnight in Shanghai
])
def test_a_pull_stops_at_yesterday_in_the_sources_time_zone(tmp_path: Path,
                                                            postgres: Postgres,
                                                            now: dt.datetime, last: str):
    root = project(tmp_path, postgres.url())
    pull(root, now, environ=postgres.environ)
    assert max(line[:10] for line in pulled(root).splitlines()[1:]) == last


def test_include_today_and_a_utc_source(tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, postgres.url())
    pull(root, NOW, include_today=True, environ=postgres.environ)
    assert "2024-06-03,launch,cost,1,抖音,华东,ads\n" in pulled(root)
    utc = project(tmp_path / "utc", postgres.url(), timezone="UTC")
    pull(utc, NOW, environ=postgres.environ)  # 17:00 in Shanghai: 09:00 UTC on 3 June
    lines = pulled(utc).splitlines()
    # in UTC, 00:30 on 2 June in Shanghai (16:30 UTC) is the last moment of 1 June
    assert "2024-06-01,launch,cost,310.75,抖音,华东,ads" in lines
    assert "2024-06-01,launch,followers,530,抖音,华东,ads" in lines
    assert "2024-05-30" not in pulled(utc)  # since: the first day, in the source's zone


def test_the_pulled_file_validates_and_computes(tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, postgres.url())
    runner = CliRunner()
    done = runner.invoke(main, ["pull", "--project", str(root), "--lang", "en"],
                         env=postgres.environ)
    assert done.exit_code == 0, done.output
    # the clock of the machine: every day of the table is behind it
    assert "ads: 21 values, 2024-06-01 … 2024-06-03 → data/pulled/ads.csv" in done.output
    pull(root, NOW, environ=postgres.environ)  # as the 17:00 pull of 3 June
    checked = runner.invoke(main, ["validate", "--project", str(root), "--lang", "en",
                                   "--as-of", "2024-06-02"])
    assert checked.exit_code == 0, checked.output
    status = runner.invoke(main, ["status", "--json", "--project", str(root),
                                  "--as-of", "2024-06-02"])
    assert status.exit_code == 0, status.output
    import json

    plans = {p["id"]: p for p in json.loads(status.stdout)["plans"]}
    assert plans["launch"]["goals"][0]["actual"] == pytest.approx(380.75)  # 50 + 300.75 + 30
    assert plans["brand"]["goals"][0]["actual"] == pytest.approx(7)


@pytest.mark.slow
def test_the_sample_pulled_from_postgres_gives_the_status_of_its_csvs(tmp_path: Path,
                                                                     postgres: Postgres):
    """The sample portfolio's rows loaded into PostgreSQL (one column per stored metric,
    NULL where a row has no value of it), pulled, and computed without the CSVs: the
    same status.json as from the CSVs."""
    import json

    import psycopg
    import yaml

    from generator import build

    from .conftest import ROOT

    frame = build.check(ROOT).rows.frame()
    dictionary = yaml.safe_load((ROOT / "data" / "metrics.yaml").read_text("utf-8"))
    dims = [d for d in dictionary["dimensions"] if d != "plan"]
    stored = [m for m, d in dictionary["metrics"].items() if "formula" not in d]
    with psycopg.connect(host="127.0.0.1", port=postgres.port, user="mxt",
                         password=postgres.password, dbname="postgres", autocommit=True) as con:
        columns = ", ".join(f"{c} text" for c in ["plan", *dims])
        values = ", ".join(f"{m} double precision" for m in stored)
        con.execute(f"CREATE TABLE sample_rows (day date, {columns}, {values})")
        names = ["day", "plan", *dims, *stored]
        with con.cursor().copy(f"COPY sample_rows ({', '.join(names)}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False):
                fields = row._asdict()
                copy.write_row([fields["date"].date(), fields["plan"],
                                *(fields.get(d) if isinstance(fields.get(d), str) else None
                                  for d in dims),
                                *(fields["value"] if fields["metric"] == m else None
                                  for m in stored)])
    assert len(frame) > 1000

    pulled_root = tmp_path / "pulled"
    shutil.copytree(ROOT / "plans", pulled_root / "plans")
    (pulled_root / "data").mkdir()
    dictionary["sources"] = {"warehouse": {
        "url": postgres.url(), "table": "public.sample_rows", "date": "day", "plan": "plan",
        "dimensions": {d: d for d in dims}, "metrics": {m: m for m in stored}}}
    (pulled_root / "data" / "metrics.yaml").write_text(
        yaml.safe_dump(dictionary, allow_unicode=True, sort_keys=False), "utf-8")
    (done,) = pull(pulled_root, dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                   environ=postgres.environ)
    assert done.values == len(frame)  # one value a day, plan, dimensions and metric

    def status(root: Path) -> dict[str, object]:
        out = CliRunner().invoke(main, ["status", "--json", "--project", str(root)])
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)

    from_csv = tmp_path / "csv"
    for part in ("plans", "data"):
        shutil.copytree(ROOT / part, from_csv / part)
    assert status(pulled_root) == status(from_csv)


def test_a_query_source_runs_its_select_on_the_server(tmp_path: Path, postgres: Postgres):
    select = "SELECT * FROM ad_rows WHERE campaign = 'brand'"
    root = project(tmp_path, postgres.url(), table="", query=f'"{select}"')
    pull(root, NOW, environ=postgres.environ)
    assert pulled(root) == "".join(line + "\n" for line in EXPECTED.splitlines()
                                   if line.startswith(("date,", "2024-06-02,brand,")))
    (explained,) = explain(root, NOW, environ={})
    # the SELECT as it will run, inside the daily query (laid out by the SQL printer)
    assert select in " ".join(explained.sql.split()) and explained.dialect == "postgres"


def test_explain_prints_the_sql_of_each_dialect_without_connecting(tmp_path: Path):
    # nothing listens on the port and the password variable is not set: no connection
    root = project(tmp_path, f"postgresql://mxt:${{{PASSWORD_VARIABLE}}}@127.0.0.1:"
                             f"{_free_port()}/postgres")
    runner = CliRunner()
    done = runner.invoke(main, ["pull", "--explain", "--project", str(root)],
                         env={PASSWORD_VARIABLE: None})
    assert done.exit_code == 0, done.output
    sql = done.stdout
    assert sql.startswith("-- source ads (postgres) → data/pulled/ads.csv\n")
    assert "-- days 2024-05-31 … " in sql
    assert "DATE(TIMEZONE('Asia/Shanghai', " in sql
    assert 'FROM "public"."ad_rows"' in sql and "GROUP BY" in sql
    assert "SUM(" in sql and "MAX(" in sql and "OVER (" in sql  # sums, max, last of day
    other = runner.invoke(main, ["pull", "--explain", "--dialect", "snowflake",
                                 "--project", str(root)])
    assert other.exit_code == 0, other.output
    assert "-- source ads (snowflake)" in other.stdout
    assert "CONVERT_TIMEZONE('Asia/Shanghai', " in other.stdout
    assert not (root / "data" / "pulled").exists()
    bigquery = explain(root, NOW, dialect="bigquery", environ={})
    assert "DATETIME(`t1`.`ts`, 'Asia/Shanghai')" in bigquery[0].sql
    assert "`public`.`ad_rows`" in bigquery[0].sql


SNAPSHOTS = Path(__file__).parent / "golden" / "pull"


@pytest.mark.parametrize("dialect", ["bigquery", "snowflake", "clickhouse", "trino", "postgres"])
def test_the_compiled_query_of_each_warehouse_is_the_reviewed_one(tmp_path: Path, dialect: str):
    # Ibis compiles offline: the SQL each warehouse would run, compared whole with the
    # reviewed snapshot (`make golden` rewrites them after an intended change)
    root = project(tmp_path, "${MXT_ADS_URL}")
    (explained,) = explain(root, NOW, dialect=dialect, environ={})
    text = (f"-- source {explained.source} ({explained.dialect}), days "
            f"{explained.first} … {explained.end} (exclusive), {explained.timezone}\n"
            f"{explained.sql.rstrip()}\n")
    snapshot = SNAPSHOTS / f"{dialect}.sql"
    if os.environ.get("MXT_UPDATE_GOLDEN"):
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, "utf-8")
    assert text == snapshot.read_text("utf-8")


def test_explain_of_a_hidden_url_needs_its_variable_or_a_dialect(tmp_path: Path):
    root = project(tmp_path, "${MXT_ADS_URL}")
    runner = CliRunner()
    hidden = runner.invoke(main, ["pull", "--explain", "--project", str(root), "--lang", "en"],
                           env={"MXT_ADS_URL": None})
    assert hidden.exit_code == 1 and "--dialect" in hidden.output
    told = runner.invoke(main, ["pull", "--explain", "--project", str(root)],
                         env={"MXT_ADS_URL": "clickhouse://u:p@h:9000/db"})
    assert told.exit_code == 0 and "toTimeZone(" in told.stdout


PREVIOUS = "date,plan,metric,value,source\n2024-05-01,launch,cost,1,ads\n"


def _with_previous(root: Path) -> Path:
    target = root / "data" / "pulled" / "ads.csv"
    target.parent.mkdir(parents=True)
    target.write_text(PREVIOUS, "utf-8")
    return target


def test_a_missing_column_names_source_and_column_and_keeps_the_previous_file(
        tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, postgres.url(),
                   metrics="{cost: spendd, impressions: imps}", dimensions="{channel: medium}")
    target = _with_previous(root)
    done = CliRunner().invoke(main, ["pull", "--project", str(root), "--lang", "en"],
                              env=postgres.environ)
    assert done.exit_code == 1
    assert ("data/metrics.yaml:16:21: sources.ads.metrics.cost: source 'ads': column 'spendd' "
            "does not exist in public.ad_rows (did you mean 'spend'?)") in done.output
    assert "sources.ads.dimensions.channel: source 'ads': column 'medium'" in done.output
    assert ("2 errors: nothing was pulled (the pulled files are left as they were)"
            in done.output) and "Traceback" not in done.output
    assert target.read_text("utf-8") == PREVIOUS


def test_a_column_of_the_wrong_type_is_named(tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, postgres.url(), metrics="{cost: media}")
    with pytest.raises(PullError) as wrong:
        pull(root, NOW, environ=postgres.environ)
    assert ("sources.ads.metrics.cost: source 'ads': column 'media' is of type string; "
            "expected numbers") in str(wrong.value)


def test_an_unreachable_source_is_named_keeps_the_file_and_shows_no_secret(
        tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, f"postgresql://mxt:${{{PASSWORD_VARIABLE}}}@127.0.0.1:"
                             f"{_free_port()}/postgres?connect_timeout=5")
    target = _with_previous(root)
    done = CliRunner().invoke(main, ["pull", "--project", str(root), "--lang", "en"],
                              env=postgres.environ)
    assert done.exit_code == 1, done.output
    assert "sources.ads.url: source 'ads' cannot be reached: " in done.output
    assert postgres.password not in done.output and "Traceback" not in done.output
    assert target.read_text("utf-8") == PREVIOUS
    with pytest.raises(PullError) as wrong:  # a wrong password: reached, but refused
        pull(project(tmp_path / "w", postgres.url()), NOW,
             environ={PASSWORD_VARIABLE: "not-the-password"})
    assert "cannot be reached" in str(wrong.value) and "not-the-password" not in str(wrong.value)


def test_all_sources_or_nothing(tmp_path: Path, postgres: Postgres):
    root = project(tmp_path, postgres.url())
    text = (root / "data" / "metrics.yaml").read_text("utf-8")
    broken = text.replace("  ads:\n", "  broken:\n    url: ${NOT_SET_ANYWHERE}\n"
                                       "    table: t\n    date: d\n    metrics: {cost: c}\n"
                                       "  ads:\n")
    (root / "data" / "metrics.yaml").write_text(broken, "utf-8")
    target = _with_previous(root)
    with pytest.raises(PullError) as failed:
        pull(root, NOW, environ=postgres.environ)
    assert "sources.broken.url: the environment variable NOT_SET_ANYWHERE is not set" in str(
        failed.value)
    assert target.read_text("utf-8") == PREVIOUS  # ads could be read, but nothing is written
    (done,) = pull(root, NOW, only=("ads",), environ=postgres.environ)
    assert done.source == "ads" and pulled(root) == EXPECTED


@pytest.mark.parametrize("url", [
    "postgresql://mxt:hunter2@127.0.0.1:5432/postgres",
    "snowflake://mxt@acct/db/schema?password=hunter2",
])
def test_a_password_written_in_the_url_is_refused(tmp_path: Path, url: str):
    root = project(tmp_path, url)
    runner = CliRunner()
    done = runner.invoke(main, ["pull", "--project", str(root), "--lang", "en"])
    assert done.exit_code == 1
    assert "sources.ads.url:" in done.output and "${NAME}" in done.output
    assert not (root / "data" / "pulled").exists()
    checked = runner.invoke(main, ["validate", "--project", str(root), "--lang", "zh"])
    assert checked.exit_code == 1 and "sources.ads.url" in checked.output
    assert "凭据" in checked.output or "密钥" in checked.output


def test_source_shape_problems_are_validation_problems(tmp_path: Path):
    root = project(tmp_path, "${MXT_ADS_URL}", metrics="{cost: spend, cpm: x, nope: y}",
                   dimensions="{product: sku}", timezone="Asia/Shangai",
                   output="../elsewhere.csv", query="SELECT 1")
    done = CliRunner().invoke(main, ["validate", "--project", str(root), "--lang", "en"])
    assert done.exit_code == 1
    out = done.output
    assert "sources.ads: a source needs either 'table' or 'query'" in out
    assert "sources.ads.metrics.cpm: 'cpm' is a derived metric" in out
    assert "sources.ads.metrics.nope: no metric in data/metrics.yaml has the id 'nope'" in out
    assert "sources.ads.dimensions.product: 'product' is not a declared dimension" in out
    assert "sources.ads.timezone: 'Asia/Shangai' is not a time zone" in out
    assert "sources.ads.output: the output '../elsewhere.csv' must be a .csv file" in out


@pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")  # Ibis 12
def test_a_duckdb_file_with_a_date_column_and_a_fixed_plan(tmp_path: Path):
    import duckdb

    root = project(tmp_path, "duckdb://warehouse.duckdb", table="daily", date="day",
                   plan="{value: launch}", dimensions="{channel: media}",
                   metrics="{cost: spend, followers: fans}", since="", timezone="")
    with duckdb.connect(str(root / "warehouse.duckdb")) as con:
        con.execute("CREATE TABLE daily (day DATE, media VARCHAR, spend DECIMAL(10, 2), "
                    "fans INTEGER)")
        con.execute("INSERT INTO daily VALUES ('2024-06-01', 'a', 1.10, 5), "
                    "('2024-06-01', 'a', 2.20, 7), ('2024-06-02', 'b', NULL, 3), "
                    "('2024-06-03', 'a', 9, 9)")
    pull(root, dt.datetime(2024, 6, 3, 1, tzinfo=dt.UTC), environ={})
    assert pulled(root) == textwrap.dedent("""\
        date,plan,metric,value,channel,source
        2024-06-01,launch,cost,3.3,a,ads
        2024-06-01,launch,followers,7,a,ads
        2024-06-02,launch,followers,3,b,ads
        """)  # a date column's day has no order: `last` takes the largest


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")  # Ibis 12
def test_twenty_million_events_come_back_as_daily_rows(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    """The aggregation runs where the data is: of 20M events, only one row a day, plan and
    channel leaves the engine, and its sums are the engine's own."""
    import duckdb
    import ibis.expr.types as ir

    events, plans, days, channels = 20_000_000, 40, 90, 4
    root = project(tmp_path, "duckdb://events.duckdb", table="events",
                   dimensions="{channel: media}", metrics="{cost: spend, impressions: imps}",
                   since="2026-01-01")
    with duckdb.connect(str(root / "events.duckdb")) as con:
        con.execute(f"""
            CREATE TABLE events AS SELECT
              TIMESTAMPTZ '2026-01-01 00:00:00+08' + to_seconds((i * 7919) % {days * 86400})
                AS ts,
              'p' || ((i // 3) % {plans}) AS campaign,
              ['抖音', '小红书', '微信', '百度'][(i % {channels}) + 1] AS media,
              ((i % 100) / 100)::DECIMAL(10, 2) AS spend,
              1 AS imps
            FROM range({events}) AS r(i)""")
        groups, spend = con.execute(f"""
            SELECT count(DISTINCT (CAST(timezone('Asia/Shanghai', ts) AS DATE), campaign, media)),
                   sum(spend)
            FROM events WHERE ts < TIMESTAMPTZ '2026-01-01 00:00:00+08' + INTERVAL {days} DAY
            """).fetchone()
    came_back: list[int] = []
    to_pyarrow = ir.Table.to_pyarrow

    def counted(self: ir.Table, *args: object, **kwargs: object) -> object:
        table = to_pyarrow(self, *args, **kwargs)
        came_back.append(table.num_rows)
        return table

    monkeypatch.setattr(ir.Table, "to_pyarrow", counted)
    (done,) = pull(root, dt.datetime(2026, 4, 2, tzinfo=SHANGHAI), environ={})
    assert came_back == [groups] and plans * days < groups <= plans * days * channels
    assert done.values == 2 * groups  # cost and impressions of each daily row
    lines = pulled(root).splitlines()[1:]
    assert sum(float(line.split(",")[3]) for line in lines if ",cost," in line) == \
        pytest.approx(float(spend))
    assert sum(int(line.split(",")[3]) for line in lines if ",impressions," in line) == events


@pytest.mark.parametrize(("value", "text"), [
    (3, "3"), (3.0, "3"), (0.1 + 0.2, "0.3"), (-0.0, "0"), (1e15, "1000000000000000"),
    (2.5e-7, "0.00000025"), (float("nan"), None), (None, None)])
def test_numbers_are_written_one_way(value: float | None, text: str | None):
    from decimal import Decimal

    assert number(value) == text
    assert number(Decimal("300.750")) == "300.75" and number(Decimal("8000.00")) == "8000"


def test_the_dialects_of_the_command_line_are_the_engines_mxt_knows():
    assert set(PULL_DIALECTS) == set(config.BACKENDS)


def test_a_project_without_sources_has_nothing_to_pull(tmp_path: Path):
    root = project(tmp_path, "x")
    (root / "data" / "metrics.yaml").write_text("metrics:\n  cost: {name: c}\n", "utf-8")
    for flags in ([], ["--explain"]):  # --explain says so too, rather than nothing
        done = CliRunner().invoke(main, ["pull", *flags, "--project", str(root),
                                         "--lang", "en"])
        assert done.exit_code == 0 and "no sources in data/metrics.yaml" in done.output


@pytest.mark.parametrize("command", [["validate"], ["pull"]])
def test_a_missing_or_outside_dictionary_is_said_once_by_validate_and_pull(
        tmp_path: Path, command: list[str]):
    """Both read the dictionary with one reader: missing, it is named; a link to a file out
    of the project is refused, and not also called missing."""
    root = project(tmp_path, "postgresql://127.0.0.1:1/none")
    outside = tmp_path / "elsewhere.yaml"
    (root / "data" / "metrics.yaml").rename(outside)
    done = CliRunner().invoke(main, [*command, "--project", str(root), "--lang", "en"])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "data/metrics.yaml: the metric dictionary is missing" in done.output
    (root / "data" / "metrics.yaml").symlink_to(outside)
    done = CliRunner().invoke(main, [*command, "--project", str(root), "--lang", "en"])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "data/metrics.yaml" in done.output and "outside" in done.output
    assert "the metric dictionary is missing" not in done.output
