"""`kaohe user …`: create an account, give one a one-time password."""

import getpass

import typer
from sqlalchemy import select

from kaohe.auth import service
from kaohe.auth.models import User
from kaohe.auth.roles import Role
from kaohe.clikit import CLI_ACTOR, unit_of_work
from kaohe.errors import KaoheError, NotFound
from kaohe.messages import t
from kaohe.org.models import Staff

user_app = typer.Typer(help=t("cli.user_help"), no_args_is_help=True)


@user_app.command("create", help=t("cli.user_create_help"))
def user_create(
    username: str,
    role: list[Role] = typer.Option([Role.staff], "--role", help=t("cli.user_role")),
    staff_no: str = typer.Option("", help=t("cli.user_staff_no")),
    password: str = typer.Option("", help=t("cli.user_password")),
) -> None:
    password = password or getpass.getpass(t("cli.user_password_prompt"))
    with unit_of_work() as db:
        staff_id = None
        if staff_no:
            staff_id = db.scalar(select(Staff.id).where(Staff.employee_no == staff_no))
            if staff_id is None:
                raise KaoheError(t("cli.user_staff_no_unknown", staff_no=staff_no))
        service.create_user(db, actor=CLI_ACTOR, username=username, password=password, roles=role,
                            staff_id=staff_id)
    typer.echo(t("cli.user_created", username=username))


@user_app.command("reset-password", help=t("cli.user_reset_help"))
def user_reset_password(username: str) -> None:
    with unit_of_work() as db:
        user = db.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(t("cli.user_unknown", username=username))
        temporary = service.reset_password(db, actor=CLI_ACTOR, user_id=user.id)
    typer.echo(t("cli.user_temporary", username=username, password=temporary))
