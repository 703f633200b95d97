"""`millimetric bi-access`: every generated statement is one statement that ClickHouse parses
(chDB's parser, `EXPLAIN AST`), and hostile user names and project ids come out as exactly
the names and values they are, never as SQL.

chDB has no access control, so the statements cannot be run here; what they mean is checked by
evaluating their quoted pieces in chDB: an identifier reads back as the user name, the IN list
as exactly the projects.
"""

from __future__ import annotations

import re

import pytest

from orchestration.cli import main
from orchestration.runtime import warehouse
from orchestration.serve import bi_access
from orchestration.serve.bi_access import identifier, statements_for, string_literal

HOSTILE = [
    "plain_name",
    "o'brien",
    "back`tick",
    "back\\slash",
    "x'; DROP TABLE marts.sessions; --",
    "x`; DROP TABLE marts.sessions; --",
    "\\'; DROP TABLE marts.sessions; --",
    "new\nline; DROP TABLE marts.sessions",
    "tab\tand\rreturn",
    "nul\x00byte",
    "ünïcødé ✓",
    "-- comment",
    "/* open comment",
]
TABLES = ["sessions", "web_daily", "odd`table"]


@pytest.fixture
def parse(chdb_path):
    """A chDB warehouse with a canary mart; returns a function that checks one statement."""
    with warehouse.connect() as client:
        client.command("create database if not exists marts")
        client.command(
            "create table marts.sessions (project_id String, n UInt8) engine = MergeTree "
            "order by project_id"
        )
        client.command("insert into marts.sessions values ('p1', 1), ('p2', 2)")

    def check(statement: str) -> str:
        with warehouse.connect() as client:
            # bound as a parameter first: parsing it cannot run anything, and a second
            # statement smuggled in would fail here ("Multi-statements are not allowed")
            [(formatted,)] = client.query(
                "select formatQuery({s:String})", parameters={"s": statement}
            ).result_rows
            ast = client.query(f"EXPLAIN AST {statement}").result_rows
        assert ast, statement
        return formatted

    yield check
    with warehouse.connect() as client:
        assert client.query("select count() from marts.sessions").result_rows == [(2,)]


def evaluate(expression: str):
    with warehouse.connect() as client:
        return client.query(f"select {expression}").result_rows[0][0]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_quoting_reads_back_exactly(parse, value):
    assert evaluate(string_literal(value)) == value
    with warehouse.connect() as client:
        assert client.query(f"select 1 as {identifier(value)}").column_names == (value,)


@pytest.mark.parametrize("cluster", [None, "prod`cluster"], ids=["server", "cluster"])
@pytest.mark.parametrize("user", HOSTILE, ids=range(len(HOSTILE)))
def test_every_statement_parses_as_one_statement(parse, user, cluster):
    projects = [HOSTILE[(HOSTILE.index(user) + 1) % len(HOSTILE)], "proj_01", "it's"]
    grant = statements_for(user, projects, TABLES, cluster=cluster)
    for statement in grant.statements:
        parse(statement)
    starts = [s.split(" ON CLUSTER ")[0].split(" `")[0] for s in grant.statements]
    assert starts.count("CREATE ROLE IF NOT EXISTS") == 1
    assert starts.count("CREATE USER IF NOT EXISTS") == 1
    assert starts.count("CREATE ROW POLICY OR REPLACE") == 2 * len(TABLES)
    assert sum(" SELECT ON marts." in s for s in grant.statements) == len(TABLES)
    for statement in grant.statements:
        if " USING project_id IN (" in statement:
            # the IN list is exactly the projects, and the policy is the user's
            in_list = statement.split(" USING project_id IN (", 1)[1].rsplit(") TO ", 1)[0]
            assert evaluate(f"[{in_list}]") == projects
            assert statement.endswith(f" TO {identifier(user)}")
        if cluster:
            assert f"ON CLUSTER {identifier(cluster)}" in statement


def test_catch_all_policy_comes_first_and_spares_everyone_else(parse):
    """On every table the unrestricted policy (all users except BI readers) is created before
    the BI user's own, so dbt, forget verification and admins never lose rows."""
    grant = statements_for("bi", ["p1"], TABLES)
    for table in TABLES:
        on_table = [s for s in grant.statements if f" ON marts.{identifier(table)} " in s]
        policies = [s for s in on_table if s.startswith("CREATE ROW POLICY")]
        assert len(policies) == 2
        assert "USING 1 TO ALL EXCEPT `millimetric_bi_reader`" in policies[0]
        assert "USING project_id IN ('p1') TO `bi`" in policies[1]
    # the password is only sent as a salted hash
    assert grant.password not in "\n".join(grant.statements)
    assert grant.password in grant.render()


def test_the_command_prints_statements_that_parse(parse, capsys):
    """Only the marts that have a project_id column are granted, and unknown projects are
    refused."""
    with warehouse.connect() as client:
        client.command("create table marts.no_project (x UInt8) engine = Memory")
    user = "x'; DROP TABLE marts.sessions; --"
    assert main(["bi-access", "--user", user, "--project", "p1", "--project", "p2"]) == 0
    out = capsys.readouterr().out
    statements = [line[:-1] for line in out.splitlines() if not line.startswith("--")]
    assert all(line.endswith(";") for line in out.splitlines() if not line.startswith("--"))
    for statement in statements:
        parse(statement)
    granted = re.findall(r"GRANT SELECT ON marts\.`(\w+)`", out)
    assert granted == ["sessions"]

    assert main(["bi-access", "--user", "u", "--project", "p9"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "millimetric bi-access: unknown project(s) 'p9'; projects in marts: p1, p2"


def test_apply_on_chdb_says_there_is_no_access_control(parse, capsys):
    assert main(["bi-access", "--user", "u", "--project", "p1", "--apply"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("millimetric bi-access: the local target is embedded chDB")
    assert "millimetric export" in err and "\n" not in err


@pytest.mark.parametrize(
    ("user", "projects", "message"),
    [("", ["p1"], "--user must not be empty"), ("u", [""], "--project must not be empty")],
)
def test_empty_names_are_refused(user, projects, message):
    with pytest.raises(bi_access.BiAccessError, match=message):
        statements_for(user, projects, TABLES)


@pytest.mark.parametrize("user", ["default", "admin", "root"])
def test_admin_and_shared_user_names_are_refused(parse, capsys, user):
    """`default` is ClickHouse's built-in administrator; as a BI reader it would see only these
    projects, and the BI tool would hold an admin's login. Refused before any SQL is made."""
    assert main(["bi-access", "--user", user, "--project", "p1"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"millimetric bi-access: user '{user}' is refused: by convention it is an administrator "
        "or a shared account (default, admin, root), and the BI role would limit the rows it "
        "sees; give the BI tool a user of its own, like superset_acme\n"
    )
    with pytest.raises(bi_access.BiAccessError, match="is refused"):
        statements_for(user, ["p1"], TABLES)


@pytest.mark.parametrize("user", ["Default", "ADMIN", "default_bi", "root2"])
def test_names_are_compared_exactly_as_clickhouse_does(user):
    # ClickHouse user names are case-sensitive: `Default` is not `default`
    assert statements_for(user, ["p1"], TABLES).user == user


def test_the_user_the_warehouse_connects_as_is_refused(parse, monkeypatch):
    """On a server, the user dbt and forget verification run as must never become a BI reader:
    the catch-all row policy excludes BI readers, so they would see only these projects' rows.
    (The client is chDB, opened first; only the target's settings say `server`.)"""
    with warehouse.connect() as client:
        monkeypatch.setenv("MILLIMETRIC_TARGET", "server")
        monkeypatch.setenv("CLICKHOUSE_USER", "millimetric_dbt")
        with pytest.raises(bi_access.BiAccessError) as refused:
            bi_access.bi_access(client, "millimetric_dbt", ["p1"])
        assert str(refused.value) == (
            "user 'millimetric_dbt' is refused: it is the user this warehouse connects as "
            "(CLICKHOUSE_USER), which builds and forget verification run as; give the BI tool a "
            "user of its own"
        )
        assert bi_access.bi_access(client, "superset_acme", ["p1"]).user == "superset_acme"
        # on the local target CLICKHOUSE_USER connects nothing, so it names no one
        monkeypatch.setenv("MILLIMETRIC_TARGET", "local")
        assert bi_access.bi_access(client, "millimetric_dbt", ["p1"]).user == "millimetric_dbt"


def test_the_existing_user_query_parses_and_names_real_columns(parse):
    """`--apply` first asks the server what the user holds besides the BI role. chDB refuses to
    read system.grants (no access control), but it parses the query (EXPLAIN AST) and resolves
    it against its own system.grants and system.role_grants (EXPLAIN QUERY TREE: every column
    exists, with the types used), the hostile name bound as a constant, never as SQL."""
    user = "x'; DROP USER admin; --"
    parameters = {"user": user, "role": bi_access.READER_ROLE}
    with warehouse.connect() as client:
        ast = client.query(f"EXPLAIN AST {bi_access.HELD_BEYOND_BI_ROLE}", parameters=parameters)
        tree = client.query(
            f"EXPLAIN QUERY TREE {bi_access.HELD_BEYOND_BI_ROLE}", parameters=parameters
        )
    ast_text = "\n".join(line for (line,) in ast.result_rows)
    tree_text = "\n".join(line for (line,) in tree.result_rows)
    assert ast_text.startswith("SelectWithUnionQuery (children 2)")
    assert "TableIdentifier system.grants" in ast_text
    assert "TableIdentifier system.role_grants" in ast_text
    assert ast_text.count("Literal 'x\\'; DROP USER admin; --'") == 2
    assert tree_text.count("constant_value: 'x\\'; DROP USER admin; --'") == 2
    assert "table_name: system.grants" in tree_text
    assert "table_name: system.role_grants" in tree_text


def test_the_existing_user_query_finds_what_is_beyond_the_bi_role(parse):
    """The same SQL on chDB tables shaped like system.grants and system.role_grants (chDB will
    not show its own): only a user with no grants of its own and no role but the BI role, without
    ADMIN OPTION, may be (re)granted."""
    role = bi_access.READER_ROLE
    with warehouse.connect() as client:
        client.command("create database if not exists fake_system")
        for table in ("grants", "role_grants"):
            # the same columns and types, without reading a row (`AS table` copies the schema)
            client.command(f"create table fake_system.{table} as system.{table} engine = Memory")
        client.command(
            "insert into fake_system.grants (user_name, access_type, database, `table`, "
            "is_partial_revoke) values "
            "('analyst', 'SELECT', NULL, NULL, 0), "  # SELECT ON *.*
            "('etl', 'INSERT', 'raw', 'events', 0), "
            "('narrowed', 'SELECT', 'marts', 'sessions', 1)"  # a partial revoke grants nothing
        )
        client.command(
            "insert into fake_system.role_grants (user_name, granted_role_name, "
            "with_admin_option) values "
            f"('bi_old', '{role}', 0), "  # made by bi-access before: may be granted again
            f"('bi_admin', '{role}', 1), "
            f"('etl', '{role}', 0), "
            "('ops', 'dba', 0)"
        )
        sql = bi_access.HELD_BEYOND_BI_ROLE.replace("system.", "fake_system.")

        def held(user: str) -> list[str]:
            rows = client.query(sql, parameters={"user": user, "role": role}).result_rows
            return sorted(h for (h,) in rows)

        assert held("new_user") == []
        assert held("bi_old") == []
        assert held("narrowed") == []
        assert held("analyst") == ["SELECT ON *.*"]
        assert held("etl") == ["INSERT ON raw.events"]
        assert held("bi_admin") == [f"role {role} WITH ADMIN OPTION"]
        assert held("ops") == ["role dba"]
