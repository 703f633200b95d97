"""Read-only access to the marts for a BI tool's user, limited to some projects.

The SQL is generated here and either printed for an administrator or run on a server target.
User names and project ids are user input: they only ever enter SQL through `identifier` and
`string_literal`, never pasted raw. chDB (the local target) has no users or grants, so there
access means `millimetric export` instead (docs/deployment.md, docs/reporting.md).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from clickhouse_connect.driver.client import Client

from orchestration import settings

MARTS = "marts"
# Every BI user holds this role: it carries the SELECT grants, and the catch-all row policy
# excludes it, so that everyone else (dbt, forget verification, admins) still sees every row.
READER_ROLE = "millimetric_bi_reader"
UNRESTRICTED_POLICY = "millimetric_unrestricted"
POLICY_PREFIX = "millimetric_bi_"
# Names that by convention belong to an administrator or a shared account, never to one BI tool:
# ClickHouse's built-in `default` (full access in the shipped users.xml, and ClickHouse Cloud's
# admin) and the usual admin names. Compared exactly, as ClickHouse compares user names.
BROAD_USERS = ("default", "admin", "root")
# What a user holds besides the BI role: its own grants (a partial revoke only narrows one),
# other roles, or the BI role WITH ADMIN OPTION (which lets it grant the role on). A user with
# none of these is new, or a BI user made here, and bi-access may (re)grant it.
HELD_BEYOND_BI_ROLE = """
select concat(toString(access_type), ' ON ', ifNull(database, '*'), '.', ifNull(`table`, '*'))
from system.grants
where user_name = {user:String} and is_partial_revoke = 0
union all
select concat('role ', granted_role_name, if(with_admin_option, ' WITH ADMIN OPTION', ''))
from system.role_grants
where user_name = {user:String} and (granted_role_name != {role:String} or with_admin_option = 1)
"""

# Characters ClickHouse's lexer reads back from a backslash escape (the rest go as \xHH).
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


class BiAccessError(ValueError):
    """Bad input or a target that cannot do it; the message is meant for the user as is."""


def _escape(value: str, quote: str) -> str:
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char == quote:
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def identifier(name: str) -> str:
    """`name` as a backquoted ClickHouse identifier that reads back as exactly `name`."""
    return _escape(name, "`")


def string_literal(value: str) -> str:
    """`value` as a single-quoted ClickHouse string literal that reads back as exactly `value`."""
    return _escape(value, "'")


@dataclass(frozen=True)
class Grant:
    """The statements for one BI user, and the password a new user gets."""

    user: str
    projects: tuple[str, ...]
    tables: tuple[str, ...]
    statements: tuple[str, ...]
    password: str

    def render(self) -> str:
        """The statements as a script for clickhouse-client, with a header saying what it does."""
        header = [
            f"-- Read-only access to {len(self.tables)} table(s) of {MARTS} for BI user "
            f"{identifier(self.user)}, limited to project(s) "
            + ", ".join(string_literal(p) for p in self.projects)
            + ".",
            "-- Password of a NEW user, generated now and shown once (an existing user keeps "
            "theirs):",
            f"--   {self.password}",
            "-- Run it again after a new mart is built: a mart gets no grant until it has a "
            "row policy.",
        ]
        return "\n".join([*header, *(f"{s};" for s in self.statements)])


def _check_input(user: str, projects: Iterable[str]) -> tuple[str, ...]:
    if not user or not user.strip():
        raise BiAccessError("--user must not be empty")
    if user in BROAD_USERS:
        raise BiAccessError(
            f"user {user!r} is refused: by convention it is an administrator or a shared "
            f"account ({', '.join(BROAD_USERS)}), and the BI role would limit the rows it sees; "
            "give the BI tool a user of its own, like superset_acme"
        )
    projects = tuple(dict.fromkeys(projects))
    if not projects:
        raise BiAccessError("give at least one --project")
    if any(not p for p in projects):
        raise BiAccessError("--project must not be empty")
    return projects


def statements_for(
    user: str,
    projects: Iterable[str],
    tables: Iterable[str],
    cluster: str | None = None,
    password: str | None = None,
) -> Grant:
    """The SQL that gives `user` SELECT on `tables` of marts, each row-filtered to `projects`.

    Guarantees: every name and value is quoted (identifier/string_literal); the catch-all
    policy on a table is created before the user's own, so other users never lose rows; the
    password is only sent as a salted SHA-256 hash."""
    projects = _check_input(user, projects)
    tables = tuple(tables)
    password = password or secrets.token_urlsafe(18)
    salt = secrets.token_hex(16)
    password_hash = hashlib.sha256((password + salt).encode()).hexdigest()
    on_cluster = f" ON CLUSTER {identifier(cluster)}" if cluster else ""
    role, who = identifier(READER_ROLE), identifier(user)
    in_projects = ", ".join(string_literal(p) for p in projects)
    statements = [f"CREATE ROLE IF NOT EXISTS {role}{on_cluster}"]
    statements += [f"GRANT{on_cluster} SELECT ON {MARTS}.{identifier(t)} TO {role}" for t in tables]
    statements += [
        f"CREATE USER IF NOT EXISTS {who}{on_cluster} IDENTIFIED WITH sha256_hash "
        f"BY {string_literal(password_hash)} SALT {string_literal(salt)}",
        f"GRANT{on_cluster} {role} TO {who}",
    ]
    for table in tables:
        target = f"{MARTS}.{identifier(table)}"
        # Once a table has any row policy, a user matched by none sees no rows at all: the
        # catch-all keeps the table whole for everyone who is not a BI reader.
        statements.append(
            f"CREATE ROW POLICY OR REPLACE {identifier(UNRESTRICTED_POLICY)}{on_cluster} "
            f"ON {target} AS PERMISSIVE FOR SELECT USING 1 TO ALL EXCEPT {role}"
        )
        statements.append(
            f"CREATE ROW POLICY OR REPLACE {identifier(POLICY_PREFIX + user)}{on_cluster} "
            f"ON {target} AS PERMISSIVE FOR SELECT USING project_id IN ({in_projects}) TO {who}"
        )
    return Grant(user, projects, tables, tuple(statements), password)


def mart_tables(client: Client) -> list[str]:
    """The marts a row policy can filter: tables (not views) with a project_id column."""
    rows = client.query(
        """
        select name from system.tables
        where database = {db:String} and engine not like '%View'
            and name in (
                select table from system.columns
                where database = {db:String} and name = 'project_id'
            )
        order by name
        """,
        parameters={"db": MARTS},
    ).result_rows
    return [name for (name,) in rows]


def known_projects(client: Client) -> list[str]:
    """The project ids that have sessions in the marts."""
    rows = client.query(f"select distinct project_id from {MARTS}.sessions order by 1")
    return [project for (project,) in rows.result_rows]


def bi_access(client: Client, user: str, projects: Iterable[str]) -> Grant:
    """The statements for `user` on the current target's marts. Unknown projects are refused,
    so that a typo does not silently grant an empty view, and so is the user the warehouse
    connects as."""
    projects = _check_input(user, projects)
    if settings.target() != "local" and user == settings.clickhouse_server()["username"]:
        # the catch-all row policy excludes BI readers: dbt and forget verification, run as
        # this user, would see only these projects' rows
        raise BiAccessError(
            f"user {user!r} is refused: it is the user this warehouse connects as "
            "(CLICKHOUSE_USER), which builds and forget verification run as; give the BI tool "
            "a user of its own"
        )
    tables = mart_tables(client)
    if not tables:
        raise BiAccessError(f"no tables in {MARTS} on target {settings.target()}: build first")
    known = known_projects(client) if "sessions" in tables else []
    unknown = [p for p in projects if p not in known]
    if unknown:
        raise BiAccessError(
            f"unknown project(s) {', '.join(map(repr, unknown))}; "
            f"projects in {MARTS}: {', '.join(known) or 'none'}"
        )
    cluster = settings.clickhouse_cluster() if settings.target() == "cluster" else None
    return statements_for(user, projects, tables, cluster=cluster)


NO_ACCESS_CONTROL = (
    "the local target is embedded chDB, which has no users, grants or row policies: there is "
    "nothing to apply. Give a BI tool files instead: millimetric export --to DIR "
    "[--project P] (docs/reporting.md)"
)


def held_beyond_bi_role(client: Client, user: str) -> list[str]:
    """What `user` already holds on the server besides the BI role (HELD_BEYOND_BI_ROLE), sorted;
    empty for a user that does not exist."""
    rows = client.query(
        HELD_BEYOND_BI_ROLE, parameters={"user": user, "role": READER_ROLE}
    ).result_rows
    return sorted(held for (held,) in rows)


def apply(client: Client, grant: Grant) -> None:
    """Run the statements on a server or cluster target, in order, unless the user already
    exists with more than the BI role: bi-access never narrows, or hands on, a broader user."""
    if settings.target() == "local":
        raise BiAccessError(NO_ACCESS_CONTROL)
    held = held_beyond_bi_role(client, grant.user)
    if held:
        shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more" if len(held) > 3 else "")
        raise BiAccessError(
            f"user {grant.user!r} already exists with more than the BI role ({shown}); "
            "give the BI tool a user of its own, or revoke those first"
        )
    for statement in grant.statements:
        client.command(statement)
