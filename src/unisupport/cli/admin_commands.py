"""Set-up and administration: migrate, serve, demo data, people and API tokens."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

import click
from django.core.management import call_command

from unisupport import clock
from unisupport.accounts.roles import CUSTOMER_ROLES, Role
from unisupport.cli.operator import OPERATOR
from unisupport.cli.output import fail, handles_domain_errors, print_json
from unisupport.domain.errors import InvalidInput
from unisupport.domain.messages import Message, gettext_noop
from unisupport.domain.service_codes import ARR

DEMO_PASSWORD = "unisupport-demo"
DEMO_PEOPLE = [
    # username, roles, organisation (None: the vendor), full name
    ("alice", [Role.CUSTOMER_ADMIN], "Contoso SA", "Alice Martin"),
    ("dave", [Role.REACTIVE_CONTACT], "Contoso SA", "Dave Laurent"),
    ("charlie", [Role.CUSTOMER_ADMIN], "Fabrikam Inc.", "Charlie Smith"),
    ("bob", [Role.CSAM], None, "Bob Dubois"),
    ("erin", [Role.SUPPORT_ENGINEER, Role.INCIDENT_MANAGER], None, "Erin Keller"),
    ("olivia", [Role.BACK_OFFICE, Role.DELIVERY_SCHEDULER], None, "Olivia Rossi"),
    ("frank", [Role.INCIDENT_MANAGER], None, "Frank Moreau"),
    ("grace", [Role.SUPPORT_ENGINEER], None, "Grace Nakamura"),
]
# Who is on call (INC-2, INC-4), in priority order: a Sev 1 or A reaches a person in the demo.
DEMO_ROSTERS = [
    ("senior-incident-manager", ["frank", "erin"]),
    ("critical-situation", ["grace"]),
    ("senior-management", ["frank"]),
]


@click.command()
@click.option("-v", "--verbosity", type=int, default=0, help="Django's migrate verbosity.")
@handles_domain_errors
def migrate(verbosity: int) -> None:
    """Create or upgrade the database DATABASE_URL names, and load the catalog into it."""
    from unisupport.catalog.services import load_catalog

    call_command("migrate", verbosity=verbosity, interactive=False)
    services, products = load_catalog()
    click.echo(f"Database ready; catalog: {services} services and {products} products added.")


DEBUG_WARNING = (
    "WARNING: serving with DEBUG on (error pages show the settings and the code): "
    "set UNISUPPORT_DEBUG=0 outside development"
)


# A worker process per CPU, each serving AUTO_THREADS requests at once: Django's views are mostly
# waiting on the database, so a few threads keep a CPU busy, and a slow page holds one thread, not the
# process (issue 16 §2: measured with bench/bench_load.py, docs/benchmarks.md).
AUTO_THREADS = 4


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="Address and port to serve on.")
@click.option(
    "--reload/--no-reload", default=False, help="Restart when the code changes (development server)."
)
@click.option(
    "--workers",
    default="0",
    show_default=True,
    help="Serve with granian and this many worker processes (production); auto: one per CPU; "
    "0: Django's development server.",
)
@click.option(
    "--threads",
    default="auto",
    show_default=True,
    help=f"Threads per worker process: requests it serves at once (each with its database connection); "
    f"auto: {AUTO_THREADS}.",
)
def serve(addr: str, reload: bool, workers: str, threads: str) -> None:
    """Serve the portal, the API and the admin."""
    from django.conf import settings

    if settings.DEBUG:
        # Debug pages show settings and code to anyone who makes a request fail: say so where it is seen.
        click.echo(DEBUG_WARNING, err=True)
    processes, each = sized(workers, option="--workers"), sized(threads, option="--threads")
    if processes <= 0:
        call_command("runserver", addr, use_reloader=reload)
        return
    host, port = split_address(addr)
    granian = Path(sys.executable).with_name("granian")
    # Replace this process: signals (Ctrl-C, a supervisor's TERM) then reach granian directly.
    os.execv(
        str(granian),
        [str(granian), *granian_arguments(host=host, port=port, workers=processes, threads=each)],
    )


def sized(value: str, *, option: str) -> int:
    """Return the number ``value`` says: a count, or auto (the CPUs for --workers, AUTO_THREADS for --threads)."""
    if value == "auto":
        return (os.cpu_count() or 1) if option == "--workers" else AUTO_THREADS
    if not value.isdigit():
        raise click.BadParameter(f"{value!r}: expected a number or auto", param_hint=option)
    return int(value)


def split_address(addr: str) -> tuple[str, int]:
    """Return the host and port of ``addr`` (``HOST:PORT``, ``[IPv6]:PORT`` or ``PORT``)."""
    host, _, port = addr.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{addr!r}: expected HOST:PORT, e.g. 127.0.0.1:8000", param_hint="--addr")
    return host.strip("[]") or "127.0.0.1", int(port)


def granian_arguments(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    """Return granian's command line serving the product's WSGI application."""
    return [
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        # The threads of each worker that run the application, each with its own database
        # connection (CONN_MAX_AGE). Granian's default for WSGI is hundreds of them (half its
        # backlog): as many database connections. Further requests wait for a free thread.
        "--blocking-threads",
        str(max(1, threads)),
        # A worker that dies (out of memory, a crash in a C extension) is started again.
        "--respawn-failed-workers",
        "--access-log",
        "--no-ws",
        "unisupport.wsgi:application",
    ]


@click.command()
@click.option("--quiet", is_flag=True, help="Do not print the logins.")
@handles_domain_errors
def demo(quiet: bool) -> None:
    """Load the demo agreements and people (safe to run again), then print the logins."""
    from unisupport.accounts.services import create_person, customer_organisation
    from unisupport.orders.services import decide_line, import_order_file

    for name in ("contoso-unified.yaml", "fabrikam-unified.yaml"):
        text = resources.files("unisupport.demo").joinpath(name).read_text(encoding="utf-8")
        result = import_order_file(scope=OPERATOR, at=clock.now(), text=text)
        if not result.verdict.valid:
            fail(f"demo file {name} is invalid: {result.verdict.as_dict()}", code=1)
    # The vendor accepts the demo's lines subject to resource availability (ORD-8).
    decide_line(
        scope=OPERATOR,
        at=clock.now(),
        order_number="ESO-2026-101",
        site_country="US",
        service=ARR,
        accept=True,
    )
    for username, roles, org_name, full_name in DEMO_PEOPLE:
        first, last = full_name.split(" ", 1)
        create_person(
            username=username,
            password=DEMO_PASSWORD,
            roles=roles,
            organisation=customer_organisation(name=org_name) if org_name else None,
            email=f"{username}@example.com",
            first_name=first,
            last_name=last,
        )
    _demo_staffing()
    if quiet:
        return
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, roles, org_name, full_name in DEMO_PEOPLE:
        what = ", ".join(str(r.label) for r in roles)
        click.echo(f"  {username:<8} {full_name:<14} {what} — {org_name or 'vendor (Microsoft)'}")


def _demo_staffing() -> None:
    """Return nothing; put the demo's vendor people on call (rosters) and bob as every demo agreement's CSAM (MC-3)."""
    from django.contrib.auth.models import User

    from unisupport.incidents.services.rosters import add_to_roster
    from unisupport.orders.back_office import assign_csam

    people = {u.username: u.pk for u in User.objects.filter(username__in=[n for n, *_ in DEMO_PEOPLE])}
    for role, usernames in DEMO_ROSTERS:
        for username in usernames:
            add_to_roster(scope=OPERATOR, role=role, user_id=people[username])
    for code in ("CONTOSO-UNIFIED", "FABRIKAM-UNIFIED"):
        assign_csam(scope=OPERATOR, code=code, csam_id=people["bob"], at=clock.now(), actor="demo")


@click.group()
def user() -> None:
    """People: add a person with a role."""


@user.command("add")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]))
@click.option("--org", "organisation", help="The customer organisation (required for customer roles).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--email", default="")
@handles_domain_errors
def user_add(
    username: str, roles: tuple[str, ...], organisation: str | None, password: str, email: str
) -> None:
    """Add (or update) a person holding ROLE(s)."""
    from unisupport.accounts.services import create_person, customer_organisation

    parsed = [Role(r) for r in roles]
    if any(r in CUSTOMER_ROLES for r in parsed) and not organisation:
        raise InvalidInput("--org", Message(gettext_noop("customer roles need the customer's organisation")))
    org = customer_organisation(name=organisation) if organisation else None
    create_person(username=username, password=password, roles=parsed, organisation=org, email=email)
    click.echo(f"{username}: {', '.join(roles)}")


@click.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.option("--json", "as_json", is_flag=True)
@handles_domain_errors
def token_create(username: str, name: str, as_json: bool) -> None:
    """Create an API token for USERNAME and print it (it is shown only once)."""
    from django.contrib.auth import get_user_model

    from unisupport.accounts.profile import create_token

    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        fail(f"username: no person called {username!r}")
    secret = create_token(user=found, name=name, at=clock.now(), by="operator")
    if as_json:
        print_json({"username": username, "token": secret})
    else:
        click.echo(secret)


@click.command("django", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def django_command(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `unisupport django createsuperuser`)."""
    from django.core.management import execute_from_command_line

    execute_from_command_line(["unisupport django", *args])
