"""A locked payment batch cannot change, held by the database as well as the services: triggers
refuse adding or altering a line of a batch past 作成中, altering a locked batch's date,
figures or originator, and moving it back to 作成中; on PostgreSQL also deleting either
(SQLite, the development database, keeps DELETE open: Django's flush between tests deletes
rows there, where PostgreSQL truncates). Only the steps the services take stay open:
作成中 → 確定 → 支払済み, and a line's state (支払済み, 振込不能)."""

from django.db import migrations

LOCKED = "payment batch is locked"

SQLITE = [
    f"""CREATE TRIGGER payments_line_insert_locked BEFORE INSERT ON payments_paymentline
    WHEN (SELECT status FROM payments_paymentbatch WHERE id = NEW.batch_id) <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER payments_line_update_locked BEFORE UPDATE OF
    batch_id, claim_id, reimbursement_id, account_id, amount, new_code ON payments_paymentline
    WHEN (SELECT status FROM payments_paymentbatch WHERE id = OLD.batch_id) <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER payments_batch_update_locked BEFORE UPDATE OF
    municipality_id, pay_date, count, total, originator_code, originator_name,
    originator_account_id, locked_by_id, locked_at ON payments_paymentbatch
    WHEN OLD.status <> 'draft'
    BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER payments_batch_status_locked BEFORE UPDATE OF status ON payments_paymentbatch
    WHEN OLD.status <> 'draft' AND (NEW.status = 'draft' OR (OLD.status = 'paid' AND NEW.status <> 'paid'))
    BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "payments_line_insert_locked",
        "payments_line_update_locked",
        "payments_batch_update_locked",
        "payments_batch_status_locked",
    )
]

POSTGRESQL = [
    f"""CREATE FUNCTION payments_line_locked() RETURNS trigger AS $$
    DECLARE batch_id bigint;
    BEGIN
      IF TG_OP = 'INSERT' THEN batch_id := NEW.batch_id; ELSE batch_id := OLD.batch_id; END IF;
      IF TG_OP = 'UPDATE' AND NEW.batch_id IS NOT DISTINCT FROM OLD.batch_id
         AND NEW.claim_id IS NOT DISTINCT FROM OLD.claim_id
         AND NEW.reimbursement_id IS NOT DISTINCT FROM OLD.reimbursement_id
         AND NEW.account_id = OLD.account_id AND NEW.amount = OLD.amount
         AND NEW.new_code = OLD.new_code THEN
        RETURN NEW;
      END IF;
      IF (SELECT status FROM payments_paymentbatch WHERE id = batch_id) <> 'draft' THEN
        RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'check_violation';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payments_line_locked BEFORE INSERT OR UPDATE OR DELETE
    ON payments_paymentline FOR EACH ROW EXECUTE FUNCTION payments_line_locked()""",
    f"""CREATE FUNCTION payments_batch_locked() RETURNS trigger AS $$
    BEGIN
      IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END IF;
      IF TG_OP = 'DELETE' OR NEW.status = 'draft'
         OR (OLD.status = 'paid' AND NEW.status <> 'paid')
         OR NEW.municipality_id <> OLD.municipality_id OR NEW.pay_date <> OLD.pay_date
         OR NEW.count <> OLD.count OR NEW.total <> OLD.total
         OR NEW.originator_code <> OLD.originator_code
         OR NEW.originator_name <> OLD.originator_name
         OR NEW.originator_account_id IS DISTINCT FROM OLD.originator_account_id
         OR NEW.locked_by_id IS DISTINCT FROM OLD.locked_by_id
         OR NEW.locked_at IS DISTINCT FROM OLD.locked_at THEN
        RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER payments_batch_locked BEFORE UPDATE OR DELETE
    ON payments_paymentbatch FOR EACH ROW EXECUTE FUNCTION payments_batch_locked()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS payments_line_locked ON payments_paymentline",
    "DROP FUNCTION IF EXISTS payments_line_locked()",
    "DROP TRIGGER IF EXISTS payments_batch_locked ON payments_paymentbatch",
    "DROP FUNCTION IF EXISTS payments_batch_locked()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}),
        )
    ]
