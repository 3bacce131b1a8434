"""One event, one message, one mail: ``notify`` is idempotent by key, the mailing task sends at
most once however often it runs, a failure is retried later, and the domain's events reach the
right people (a mother only when she has an account)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sango.core.tests import factories as f
from sango.notifications.events.applications import application_received
from sango.notifications.models import Message
from sango.notifications.services import messages_unmailed, notify
from sango.notifications.tasks import message_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _programmes() -> None:
    f.load_programmes()


def mother_with_account(email: str = "hanako@example.jp"):
    user = f.mother_user()
    user.email = email
    user.save()
    return f.mother_with_baby(born=f.days_ago(20), user=user)


def tell(user, key="event:1"):
    return notify(recipients=[user], key=key, subject="件名", body="本文", link="/my/")


def test_the_same_event_twice_is_one_message_and_one_mail(run_tasks):
    mother = mother_with_account()
    with run_tasks():
        assert len(tell(mother.user)) == 1
        assert tell(mother.user) == []
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1
    message = Message.objects.get()
    assert message.mailed_at is not None
    assert f"/my/messages/{message.pk}/" in mail.outbox[0].body


def test_the_task_run_twice_sends_one_mail():
    mother = mother_with_account()
    (message,) = tell(mother.user)
    assert message_mail.call(message_id=message.pk) is True
    assert message_mail.call(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_a_failed_mail_is_counted_and_queued_again_later():
    mother = mother_with_account()
    (message,) = tell(mother.user)
    failing = mock.patch("sango.notifications.tasks.send_mail", side_effect=OSError("down"))
    with failing, pytest.raises(OSError):
        message_mail.call(message_id=message.pk)
    message.refresh_from_db()
    assert (message.mailed_at, message.mail_failures) == (None, 1)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"] == {"message_id": message.pk}
    assert retry.run_after > timezone.now() + timedelta(seconds=30)
    # The retry, when it runs, sends it.
    assert message_mail.call(message_id=message.pk) is True
    assert len(mail.outbox) == 1


def test_a_message_never_queued_is_found_by_mail_unsent():
    mother = mother_with_account()
    (message,) = tell(mother.user)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert messages_unmailed(older_than=timedelta(minutes=10)) == [message.pk]
    call_command("mail_unsent", stdout=mock.MagicMock())
    assert DBTaskResult.objects.filter(args_kwargs__kwargs={"message_id": message.pk}).exists()


def test_an_unverified_account_gets_the_message_but_no_mail():
    mother = mother_with_account()
    mother.user.is_active = False
    mother.user.save()
    (message,) = tell(mother.user)
    assert message_mail.call(message_id=message.pk) is False
    assert mail.outbox == []


def test_received_online_tells_her_and_her_municipalitys_staff(run_tasks):
    mother = mother_with_account()
    clerk = f.clerk(email="clerk@example.jp")
    elsewhere = f.clerk(f.KUMAMOTO, email="kumamoto@example.jp")
    application = f.submitted_application(mother=mother, staff=clerk)
    Message.objects.all().delete()
    with run_tasks():
        application_received(application=application, actor=mother.user)
    told = {m.recipient for m in Message.objects.all()}
    assert told == {mother.user, clerk}
    assert elsewhere not in told
    staff_mail = next(m for m in mail.outbox if m.to == ["clerk@example.jp"])
    assert "新しい申請" in staff_mail.subject
    assert mother.name not in staff_mail.body
    assert f"/staff/cases/{application.pk}/" in staff_mail.body


def test_received_at_the_counter_tells_her_only(run_tasks):
    mother = mother_with_account()
    with run_tasks():
        application = f.submitted_application(mother=mother)
    (message,) = Message.objects.all()
    assert message.recipient == mother.user
    assert str(application.pk) in message.body
    assert mother.name not in mail.outbox[0].body


def test_a_mother_without_an_account_is_told_nothing():
    f.submitted_application(mother=f.mother_with_baby(born=f.days_ago(20)))
    assert not Message.objects.exists()


def test_approval_tells_her_with_the_letter_number():
    mother = mother_with_account()
    f.approved_application(mother=mother, grants={"stay": 3})
    subjects = list(Message.objects.values_list("subject", flat=True))
    assert "【産後ケア】利用が承認されました" in subjects
    assert "【産後ケア】聞き取りが終わりました" in subjects


def test_a_booking_request_tells_the_facility_and_the_answer_tells_her():
    from sango.bookings.services import booking_accept, booking_request

    mother = mother_with_account()
    staff = f.facility_staff("kaneko-josanin")
    start = timezone.localdate() + timedelta(days=10)
    booking = booking_request(
        facility=staff.facility,
        mother=mother,
        actor=f.clerk(),
        service="stay",
        start_date=start,
        end_date=start + timedelta(days=1),
    )
    assert Message.objects.get(recipient=staff).link == f"/facility/bookings/{booking.pk}/"
    booking_accept(booking=booking, actor=staff)
    assert Message.objects.filter(recipient=mother.user, key=f"booking:{booking.pk}:provisional")


def test_reminders_for_tomorrow_are_written_once(run_tasks):
    mother = mother_with_account()
    application = f.approved_application(mother=mother, grants={"stay": 3})
    tomorrow = timezone.localdate() + timedelta(days=1)
    f.provisional_booking(mother=mother, application=application, start=tomorrow)
    from sango.bookings.models import Booking

    Booking.objects.update(status=Booking.Status.CONFIRMED)
    with run_tasks():
        call_command("send_reminders", stdout=mock.MagicMock())
        call_command("send_reminders", stdout=mock.MagicMock())
    reminders = Message.objects.filter(key__endswith=":reminder")
    assert reminders.count() == 1
    assert "明日" in reminders.get().subject
    assert sum("明日はご予約の日" in m.subject for m in mail.outbox) == 1
