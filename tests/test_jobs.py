"""Jobs run through the same functions inline (no Redis) and on a real RQ worker (Redis)."""
from dataclasses import replace

from rq import Queue, Worker

from wellbeing import db, jobs, mail


def test_without_redis_a_mail_job_runs_inline_into_the_outbox(app, ctx, outbox):
    assert jobs.enqueue(mail.deliver, "a@example.org", "Onderwerp", "Hallo") is None
    assert outbox() == []  # the caller's transaction has not committed yet
    db.session.commit()
    mails = outbox()
    assert len(mails) == 1 and "Subject: Onderwerp" in mails[0] and "To: a@example.org" in mails[0]


def test_a_job_of_a_transaction_that_rolls_back_never_runs(app, ctx, outbox):
    jobs.enqueue(mail.deliver, "c@example.org", "Nooit", "Hallo")
    db.session.rollback()
    db.session.commit()
    assert outbox() == []


def test_with_redis_the_job_waits_for_a_worker_and_the_worker_runs_it(app, redis_url, outbox):
    settings = app.extensions["wellbeing.settings"]
    app.extensions["wellbeing.settings"] = replace(settings, redis_url=redis_url)
    try:
        with app.app_context():
            job_id = jobs.enqueue(mail.deliver, "b@example.org", "Via RQ", "Hallo")
            assert job_id is not None
            connection = jobs.redis_connection()
            assert Queue("mail", connection=connection).count == 0  # handed over when the caller commits
            db.session.commit()
            assert outbox() == []  # not run yet: it is on the queue
            connection = jobs.redis_connection()
            assert Queue("mail", connection=connection).count == 1
            Worker(list(jobs.QUEUES), connection=connection).work(burst=True)
            mails = outbox()
            assert len(mails) == 1 and "Subject: Via RQ" in mails[0]
            assert Queue("mail", connection=connection).fetch_job(job_id).is_finished
    finally:
        app.extensions["wellbeing.settings"] = settings


def test_a_summary_refresh_waiting_in_the_queue_covers_the_changes_after_it(app, redis_url):
    """A team submitting at once queues one refresh per school, not one per member; once that refresh
    has started, the next change queues a new one."""
    from tests import factories
    from wellbeing import db

    settings = app.extensions["wellbeing.settings"]
    app.extensions["wellbeing.settings"] = replace(settings, redis_url=redis_url)
    try:
        with app.app_context():
            connection = jobs.redis_connection()
            queue = Queue("default", connection=connection)
            queue.empty()
            school, _other = factories.school(), factories.school()
            db.session.commit()  # two new schools: a refresh each (wellbeing/changes.py)
            assert queue.count == 2
            for number in range(5):
                school.name = f"Renamed {number}"
                db.session.commit()
            assert queue.count == 2
            Worker(["default"], connection=connection).work(burst=True)
            assert queue.count == 0
            school.name = "Renamed once more"
            db.session.commit()
            assert queue.count == 1
            Worker(["default"], connection=connection).work(burst=True)
            finished = [queue.fetch_job(i) for i in queue.finished_job_registry.get_job_ids()]
            assert len(finished) == 3 and all(job.is_finished for job in finished)
    finally:
        app.extensions["wellbeing.settings"] = settings
