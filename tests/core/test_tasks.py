"""Mail goes through the real background worker path (django-tasks-db + db_worker)."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from beacon.core.mail import queue_templated_email

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_queued_mail_is_sent_by_the_db_worker_after_commit(tmp_path):
    from django_tasks_db.models import DBTaskResult

    with override_settings(
        TASKS=DB_TASKS,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=tmp_path,
    ):
        with transaction.atomic():
            queue_templated_email(
                to="someone@people.example",
                subject="Hello",
                template="accounts/email/verify.txt",
                context={"user": {"display_name": "Sky"}, "verify_path": "/v/"},
            )
            assert DBTaskResult.objects.count() == 0  # nothing before commit
        assert DBTaskResult.objects.get().status == "READY"

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "To: someone@people.example" in written
    assert "Subject: [Beacon] Hello" in written and "Hello Sky," in written


@pytest.mark.django_db(transaction=True)
def test_mail_of_a_rolled_back_action_is_never_queued():
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS=DB_TASKS):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_templated_email(
                to="x@people.example", subject="S", template="accounts/email/verify.txt", context={}
            )
            raise RuntimeError("the action failed")

        assert DBTaskResult.objects.count() == 0
