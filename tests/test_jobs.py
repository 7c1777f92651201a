"""Jobs run through the same functions inline (no Redis) and on a real RQ worker (Redis)."""
from dataclasses import replace

from rq import Queue, Worker

from wellbeing import jobs, mail


def test_without_redis_a_mail_job_runs_inline_into_the_outbox(app, ctx, outbox):
    assert jobs.enqueue(mail.deliver, "a@example.org", "Onderwerp", "Hallo") is None
    mails = outbox()
    assert len(mails) == 1 and "Subject: Onderwerp" in mails[0] and "To: a@example.org" in mails[0]


def test_with_redis_the_job_waits_for_a_worker_and_the_worker_runs_it(app, redis_url, outbox):
    settings = app.extensions["wellbeing.settings"]
    app.extensions["wellbeing.settings"] = replace(settings, redis_url=redis_url)
    try:
        with app.app_context():
            job_id = jobs.enqueue(mail.deliver, "b@example.org", "Via RQ", "Hallo")
            assert job_id is not None
            assert outbox() == []  # not run yet: it is on the queue
            connection = jobs.redis_connection()
            assert Queue("mail", connection=connection).count == 1
            Worker(list(jobs.QUEUES), connection=connection).work(burst=True)
            mails = outbox()
            assert len(mails) == 1 and "Subject: Via RQ" in mails[0]
            assert Queue("mail", connection=connection).fetch_job(job_id).is_finished
    finally:
        app.extensions["wellbeing.settings"] = settings
