"""When things run: APScheduler decides, the library does the work.

Each source is a job on its own interval (with jitter), never two runs of one source at
once, missed runs coalesced into one. Immediate alerts go out after any crawl that queued
deliveries; digests run on cron triggers in the configured time zone. The watch plan is
re-read every few minutes so edits to sources.yaml take effect without a restart. Register
reminders go out daily with the digests (and hourly retries pick up after a mail outage).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from veille.config import Settings
from veille.sources import SourcesError, WatchPlan, load_plan

log = logging.getLogger("veille.scheduler")

PLAN_RELOAD_SECONDS = 300
MAX_JITTER_SECONDS = 120


@dataclass
class WatchScheduler:
    settings: Settings
    scheduler: BackgroundScheduler = field(init=False)
    plan: WatchPlan = field(default_factory=WatchPlan)
    _send_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
            timezone=self.settings.timezone,
        )

    # -- jobs (each opens its own connection: SQLite connections stay in their thread) --

    def _db(self):
        from veille import store
        return store.connect(self.settings.db_path)

    def crawl_source(self, source_id: str) -> None:
        from veille.collect import crawl
        db = self._db()
        try:
            crawl(db, self.plan, source_ids=[source_id])
            # immediate alerts right after ingest; one pending send job at a time
            self.scheduler.add_job(self.send_alerts, id="alerts", replace_existing=True)
        except Exception:  # one failing source never stops the scheduler
            log.exception("crawl of %s failed", source_id)
        finally:
            db.conn.close()

    def send_alerts(self) -> None:
        from veille.alerts import send_immediate
        with self._send_lock:
            db = self._db()
            try:
                send_immediate(db, self.settings)
            finally:
                db.conn.close()

    def send_digest(self, period: str) -> None:
        from veille.alerts import send_digests
        with self._send_lock:
            db = self._db()
            try:
                send_digests(db, self.settings, period)
            finally:
                db.conn.close()

    def send_register_mail(self) -> None:
        """Register reminders before deadlines, and review requests a mail outage held back."""
        from veille.capitalise.reminders import send_register_reminders
        from veille.capitalise.reviews import send_review_requests
        with self._send_lock:
            db = self._db()
            try:
                send_register_reminders(db, self.settings)
                send_review_requests(db, self.settings)
            finally:
                db.conn.close()

    def reload_plan(self) -> None:
        """Re-read sources.yaml, sync it, and make the jobs match it."""
        from veille.store.sources import sync_plan
        try:
            plan = load_plan(self.settings.sources_path)
        except SourcesError as exc:
            log.error("watch plan not reloaded, keeping the previous one: %s", exc)
            return
        db = self._db()
        try:
            sync_plan(db, plan)
        finally:
            db.conn.close()
        self.plan = plan
        wanted = {f"source:{s.id}": s for s in plan.sources}
        for job in self.scheduler.get_jobs():
            if job.id.startswith("source:") and job.id not in wanted:
                job.remove()
        for job_id, src in wanted.items():
            trigger = IntervalTrigger(seconds=src.schedule_seconds,
                                      jitter=min(MAX_JITTER_SECONDS, src.schedule_seconds // 10))
            existing = self.scheduler.get_job(job_id)
            if existing is None:
                # first run soon, spread so that start-up does not fetch everything at once
                self.scheduler.add_job(self.crawl_source, trigger, args=[src.id], id=job_id,
                                       name=src.name, next_run_time=None)
                self.scheduler.get_job(job_id).modify(next_run_time=_soon(len(wanted)))
            elif existing.trigger.interval.total_seconds() != src.schedule_seconds:
                existing.reschedule(trigger)

    # -- lifecycle --

    def start(self) -> None:
        hour, minute = (int(x) for x in self.settings.digest_time.split(":"))
        self.scheduler.add_job(self.reload_plan, IntervalTrigger(seconds=PLAN_RELOAD_SECONDS),
                               id="plan")
        self.scheduler.add_job(self.send_alerts, IntervalTrigger(minutes=10), id="alerts-retry")
        self.scheduler.add_job(self.send_digest, CronTrigger(hour=hour, minute=minute),
                               args=["daily"], id="digest-daily")
        self.scheduler.add_job(self.send_digest,
                               CronTrigger(day_of_week="mon", hour=hour, minute=minute),
                               args=["weekly"], id="digest-weekly")
        self.scheduler.add_job(self.send_register_mail, CronTrigger(hour=hour, minute=minute),
                               id="register-reminders")
        self.scheduler.add_job(self.send_register_mail, IntervalTrigger(hours=1), id="register-retry")
        self.scheduler.start()
        self.reload_plan()

    def stop(self) -> None:
        self.scheduler.shutdown(wait=True)


def _soon(spread_over: int):
    import random
    from datetime import datetime, timedelta, timezone
    return datetime.now(timezone.utc) + timedelta(seconds=random.uniform(1, min(60, 1 + spread_over)))

