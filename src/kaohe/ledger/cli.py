"""`kaohe ledger verify|anchor` (interim wiring to records' ledger; the ledger package replaces it)."""

import typer

from kaohe.clikit import unit_of_work
from kaohe.clock import now

ledger_app = typer.Typer(help="记录账本（哈希链）", no_args_is_help=True)


@ledger_app.command("verify")
def ledger_verify() -> None:
    """Walk the whole hash chain; exit 1 naming the first entry changed, removed or reordered."""
    from kaohe.records import ledger_service

    with unit_of_work() as db:
        result = ledger_service.verify_ledger(db)
    if not result.ok:
        typer.echo(f"账本校验失败：{result.message}（此前 {result.count} 条完好）", err=True)
        raise typer.Exit(1)
    typer.echo(result.message)


@ledger_app.command("anchor")
def ledger_anchor() -> None:
    """Print the current head digest with its time, to publish or notarise outside the system."""
    from kaohe.records import ledger_service

    with unit_of_work() as db:
        typer.echo(ledger_service.anchor_text(db, now=now()))
