"""Collection speed and memory, against the reference pipelines, on the same feeds in one run.

    python bench/collect.py [--feeds 500] [--nochange 1000] [--hosts 50] [--repeat 3] [--profile]
    python bench/collect.py --qualification --feeds 5000      # issue 9's ratio, as a crawl ingests
    python bench/collect.py --qualification --shape real      # the same on real text

Generates trade-press-shaped feeds with ../shared/bench/gen_feeds.py, serves them from a
separate process on 127.0.0.1 .. 127.0.0.<hosts> (ETag and 304 supported), and runs, each in
its own process (so peak memory is its own; a crawl's peak adds its worker processes' own
memory, apart from the models and tables they share with it):

- naive: sequential httpx + feedparser + sqlite-utils (../shared/bench/reference_pipelines.py)
- limit: aiohttp + fastfeedparser, entries kept in memory (same script)
- veille collect: veille's fetcher, parser and normaliser, no database (the part this
  module owns)
- veille crawl: the real ``veille.collect.crawl`` into a fresh database (ingest: dedupe, FTS,
  classification, references, stories, alert matching), its worker processes each crawling
  a share of the feeds into it
- no-change pass: ``crawl`` again over --nochange feeds already fetched once (all 304)

The cold pipelines run in turn, --repeat rounds (3), and each one's best round is compared (as
bench/ingest.py does): the load of a shared machine drifts within a run, and a single round of
the limit varied 0.33-0.41 s in one day. Each round's seconds are printed too.

Targets (issue 8): veille cold <= 3x limit and >= 5x faster than naive; no-change pass over
1,000 feeds < 1 s; peak memory < 500 MB.

--shape real serves, instead of generated feeds, the real entries ``bench/ingest.py --shape real``
reads (../shared/corpus: the real feeds' entries and the classify items, 5,638), written back as
RSS 2.0 feeds of 20 entries; --feeds is then their number.

--qualification runs only the two cold crawls (issue 8's steps, then with stories and
references), --repeat rounds, and prints what qualification costs a crawl: the ratio of their
best wall times, and of their CPU per item (worker processes included; it does not depend on
how many cores share the work).
"""
from __future__ import annotations

import argparse
import asyncio
import glob
import hashlib
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"


# -- the server (own process) ----------------------------------------------------------

def serve(feed_dir: str, hosts: int, q) -> None:
    blobs = [open(p, "rb").read() for p in sorted(glob.glob(feed_dir + "/*.xml"))]
    etags = ['"' + hashlib.md5(b).hexdigest() + '"' for b in blobs]

    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                n = int(lines[0].split()[1].lstrip("/"))
                inm = next((ln.split(":", 1)[1].strip() for ln in lines
                            if ln.lower().startswith("if-none-match")), None)
                if inm == etags[n]:
                    writer.write(f"HTTP/1.1 304 Not Modified\r\nETag: {etags[n]}\r\n"
                                 "Content-Length: 0\r\n\r\n".encode())
                else:
                    writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                                 f"ETag: {etags[n]}\r\nContent-Length: {len(blobs[n])}\r\n\r\n"
                                 .encode() + blobs[n])
                await writer.drain()
        except Exception:  # noqa: BLE001 - client closed the connection
            writer.close()

    async def main():
        ports = []
        for h in range(1, hosts + 1):
            srv = await asyncio.start_server(handle, f"127.0.0.{h}", 0, backlog=1024)
            ports.append(srv.sockets[0].getsockname()[1])
        q.put(ports)
        await asyncio.Event().wait()

    asyncio.run(main())


def write_real_feeds(folder: Path) -> int:
    """The real entries (``bench/ingest.py``'s ``real_items``) as RSS 2.0 feeds of 20 entries
    each, every entry with its own link and guid; returns the number of feeds."""
    from html import escape

    from ingest import real_items
    folder.mkdir(parents=True)
    items = real_items(10 ** 6)
    base = time.time()
    feeds = 0
    for feeds, start in enumerate(range(0, len(items), 20), 1):
        entries = []
        for k, raw in enumerate(items[start:start + 20], start):
            published = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(base - k * 600))
            entries.append(f"<item><title>{escape(raw.title or '')}</title><link>https://real{k}.example.org/a</link>"
                           f"<guid isPermaLink=\"false\">real-{k}</guid><pubDate>{published}</pubDate>"
                           f"<description>{escape(raw.summary or '')}</description>"
                           f"<content:encoded>{escape(raw.content or '')}</content:encoded></item>")
        (folder / f"f{feeds - 1:04d}.xml").write_text(
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
            f'content/"><channel><title>Real {feeds}</title><link>https://real.example.org/</link>'
            f'<description>d</description>{"".join(entries)}</channel></rss>', encoding="utf-8")
    return feeds


def urls_for(ports: list[int], n: int) -> list[str]:
    return [f"http://127.0.0.{i % len(ports) + 1}:{ports[i % len(ports)]}/{i}" for i in range(n)]


# -- workers (own process each) ---------------------------------------------------------

def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _private_mb() -> float:
    """This process's memory shared with no other (a forked worker's own, apart from the
    models and tables it shares with the crawling process)."""
    rollup = Path("/proc/self/smaps_rollup")
    if not rollup.exists():
        return peak_mb()
    fields = dict(line.split(":", 1) for line in rollup.read_text().splitlines() if ":" in line)
    return sum(int(fields.get(k, "0 kB").split()[0]) for k in ("Private_Clean", "Private_Dirty")) / 1024


def _measure_workers(workdir: Path) -> None:
    """Each crawl worker process writes its own memory, as its share ends, to ``workdir``."""
    from veille import collect
    plain = collect._crawl_share

    def measured(*args, **kwargs):
        plain(*args, **kwargs)
        (workdir / f"worker-{os.getpid()}.mb").write_text(str(_private_mb()))
    collect._crawl_share = measured


def write_plan(urls: list[str], path: Path) -> None:
    import yaml
    path.write_text(yaml.safe_dump({"sources": [
        {"id": f"feed-{i:04d}", "name": f"Feed {i}", "kind": "feed", "url": u, "schedule": "1h"}
        for i, u in enumerate(urls)]}), encoding="utf-8")


def worker_collect(urls: list[str]) -> dict:
    """veille's own steps without a database: fetch, parse, and the crawl's normalising
    (``ingest.prepare`` without the qualification: no language detection per entry, one
    per feed when its entries leave it open, duplicates within the feed dropped)."""
    from veille.fetch import Fetcher
    from veille.ingest import Batch, prepare
    from veille.parse import parse_feed
    from veille.sources import Source

    async def go():
        count = 0
        async with Fetcher() as f:
            async def one(u):
                nonlocal count
                r = await f.fetch(u)
                feed = parse_feed(r.body, url=u, source_id="s", content_type=r.content_type)
                source = Source(id="s", name="s", kind="feed", url=u)
                count += len(prepare(Batch(source, feed.items, r.started_at)).items)
            await asyncio.gather(*(one(u) for u in urls))
        return count
    t = time.perf_counter()
    n = asyncio.run(go())
    return {"seconds": time.perf_counter() - t, "items": n}


def _without_qualification() -> None:
    """The crawl's groups ingested with ``qualify=False``: no stories nor references (issue
    9's steps), what issue 8 lists (fetch, parse, normalise, dedupe, store, full-text index,
    topic tags). Set before the workers fork, so theirs too."""
    from functools import partial

    from veille import collect, ingest
    collect.ingest_many = partial(ingest.ingest_many, qualify=False)
    collect.prepare_group = partial(ingest.prepare_group, qualify=False)


def worker_crawl(urls: list[str], workdir: Path, passes: int, profile: bool, qualify: bool = True) -> dict:
    from veille import store
    from veille.collect import crawl
    from veille.sources import load_plan
    from veille.store.sources import sync_plan

    write_plan(urls, workdir / "sources.yaml")
    plan = load_plan(workdir / "sources.yaml")
    db = store.connect(workdir / "veille.db")
    sync_plan(db, plan)
    from veille.classify import load_classifier  # loaded once per process, as in `veille up`
    from veille.normalise import detect_lang
    from veille.references import load_tables
    load_classifier()
    load_tables()                # the name lists and common words, as the classifier
    detect_lang("un texte en français pour charger le modèle")   # py3langid's model: 0.5 s
    times, summaries, cpu = [], [], []
    _measure_workers(workdir)
    if not qualify:
        _without_qualification()
    workers_mb = []
    for p in range(passes):
        if profile and p == 0:
            _profile_groups(workdir)
        t, own, kids = time.perf_counter(), time.process_time(), _children_cpu()
        s = crawl(db, plan)
        times.append(time.perf_counter() - t)
        cpu.append({"main": time.process_time() - own, "workers": _children_cpu() - kids})
        if profile and p == 0:
            import pstats
            pstats.Stats(*map(str, workdir.glob("group-*.prof"))).dump_stats(str(workdir / "crawl.prof"))
        summaries.append(s.totals())
        workers_mb.append(sum(float(f.read_text()) for f in workdir.glob("worker-*.mb")))
        for f in workdir.glob("worker-*.mb"):
            f.unlink()
    items = db.execute("SELECT count(*) FROM items").fetchone()[0]
    return {"seconds": times, "totals": summaries, "items": items, "cpu": cpu,
            "workers_mb": workers_mb}


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the crawl's worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _profile_groups(workdir: Path) -> None:
    """Profile each group of feeds a writer parses, prepares and writes (in the crawl's
    worker processes, forked after this, or in this process for a small pass); each
    profile goes to a file of ``workdir``. The fetching event loops are not profiled."""
    import cProfile

    from veille import collect
    plain = collect.process_group

    def profiled(*args, **kwargs):
        prof = cProfile.Profile()
        try:
            return prof.runcall(plain, *args, **kwargs)
        finally:
            prof.dump_stats(str(workdir / f"group-{os.getpid()}-{time.monotonic_ns()}.prof"))
    collect.process_group = profiled


def run_worker(kind: str, args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--worker", kind, *args],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_reference(mode: str, urlfile: Path, db: Path) -> dict:
    script = SHARED_BENCH / "reference_pipelines.py"
    code = ("import resource, runpy, sys; sys.argv = sys.argv[1:]; "
            "runpy.run_path(sys.argv[0], run_name='__main__'); "
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(script), mode, str(urlfile), str(db)],
                         capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    seconds, entries = lines[-2].split()
    return {"seconds": float(seconds), "items": int(entries), "peak_mb": float(lines[-1].split()[1])}


# -- the run ---------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--nochange", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--profile", action="store_true", help="cProfile the veille crawl (one round)")
    ap.add_argument("--qualification", action="store_true",
                    help="only the crawls without and with stories and references, and their ratio")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of the cold pipelines, run in turn; each one's best round is kept")
    ap.add_argument("--shape", choices=("trade", "real"), default="trade",
                    help="generated trade-press feeds, or the real entries of ../shared/corpus")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return _worker(a)
    if not (SHARED_BENCH / "gen_feeds.py").exists():
        sys.exit(f"needs {SHARED_BENCH}/gen_feeds.py and reference_pipelines.py")
    tmp = Path(tempfile.mkdtemp(prefix="veille-bench-"))
    if a.shape == "real":
        a.feeds = a.nochange = write_real_feeds(tmp / "feeds")
    else:
        subprocess.run([sys.executable, str(SHARED_BENCH / "gen_feeds.py"), str(tmp / "feeds"),
                        str(max(a.feeds, a.nochange))], check=True, capture_output=True)
    q = mp.Queue()
    server = mp.Process(target=serve, args=(str(tmp / "feeds"), a.hosts, q), daemon=True)
    server.start()
    ports = q.get(timeout=60)
    try:
        rows = _measure(a, tmp, ports)
    finally:
        server.terminate()
    if a.qualification:
        return _print_qualification(rows)
    _print(rows, a)
    if a.profile:
        import pstats
        for folder, name in (("steps", "issue 8's steps"), ("cold", "with stories and references")):
            print(f"\nProfile of the veille cold crawl's groups ({name}): parsing, preparing, writing "
                  "(top 25 by own time):")
            pstats.Stats(str(tmp / folder / "crawl.prof")).sort_stats("tottime").print_stats(25)


def _measure(a, tmp: Path, ports: list[int]) -> dict:
    """The cold pipelines in turn, ``a.repeat`` rounds (the machine's load drifts within a run:
    the limit alone measured 0.33-0.41 s across one day), each pipeline's best round kept and
    its spread recorded; then the no-change pass once."""
    cold_urls = urls_for(ports, a.feeds)
    urlfile = tmp / "urls.txt"
    urlfile.write_text("\n".join(cold_urls))
    rounds: dict[str, list[dict]] = {}
    for n in range(1 if a.profile else max(1, a.repeat)):
        if not a.qualification:
            rounds.setdefault("naive", []).append(run_reference("naive", urlfile, tmp / f"naive{n}.db"))
            rounds.setdefault("limit", []).append(run_reference("limit", urlfile, tmp / f"limit{n}.db"))
            rounds.setdefault("veille collect", []).append(run_worker("collect", [str(urlfile)]))
        for name, folder, qualify in (("veille crawl, issue 8's steps", "steps", "0"), ("veille crawl", "cold", "1")):
            where = tmp / folder if n == 0 else tmp / f"{folder}{n}"     # the profile's folder is round 0's
            where.mkdir()
            crawl = run_worker("crawl", [str(urlfile), str(where), "1", "1" if a.profile else "0", qualify])
            rounds.setdefault(name, []).append({"seconds": crawl["seconds"][0], "items": crawl["items"],
                                                "peak_mb": crawl["pass_peak_mb"][0], "totals": crawl["totals"][0],
                                                "cpu": crawl["cpu"][0]})
    rows = {}
    for name, runs in rounds.items():
        rows[name] = dict(min(runs, key=lambda r: r["seconds"]), spread=[r["seconds"] for r in runs],
                          peak_mb=max(r["peak_mb"] for r in runs))
    if a.qualification:
        return rows
    nourls = tmp / "urls-nochange.txt"
    nourls.write_text("\n".join(urls_for(ports, a.nochange)))
    (tmp / "nochange").mkdir()
    nc = run_worker("crawl", [str(nourls), str(tmp / "nochange"), "2", "0", "1"])
    rows["no-change pass"] = {"seconds": nc["seconds"][1], "items": nc["totals"][1]["items_new"],
                              "peak_mb": nc["pass_peak_mb"][1], "totals": nc["totals"][1],
                              "first_pass": nc["seconds"][0]}
    return rows


def _worker(a) -> None:
    urls = [u for u in Path(a.rest[0]).read_text().split() if u]
    if a.worker == "collect":
        res = worker_collect(urls)
    else:
        res = worker_crawl(urls, Path(a.rest[1]), int(a.rest[2]), a.rest[3] == "1", a.rest[4] == "1")
    res["peak_mb"] = peak_mb()
    # a crawl's peak, per pass: the crawling process's plus its workers' own memory (what
    # they share with it, the models and tables, counted once)
    res["pass_peak_mb"] = [res["peak_mb"] + mb for mb in res.get("workers_mb", ())]
    print(json.dumps(res))


def _print_qualification(rows: dict) -> None:
    """Issue 9's ratio on a crawl: wall seconds and CPU per item, without and with qualification."""
    def cpu(r: dict) -> float:
        return 1e6 * (r["cpu"]["main"] + r["cpu"]["workers"]) / max(r["items"], 1)
    off, on = rows["veille crawl, issue 8's steps"], rows["veille crawl"]
    print("\n| crawl | items | seconds (best) | each round | CPU µs per item |\n|---|---:|---:|---|---:|")
    for name, r in (("without stories and references", off), ("with them", on)):
        print(f"| {name} | {r['items']} | {r['seconds']:.2f} | {', '.join(f'{x:.2f}' for x in r['spread'])} "
              f"| {cpu(r):.0f} |")
    print(f"\nratio: wall {on['seconds'] / off['seconds']:.2f}, CPU per item {cpu(on) / cpu(off):.2f} "
          "(issue 9: within 2x)")


def _print(rows: dict, a) -> None:
    limit, naive = rows["limit"]["seconds"], rows["naive"]["seconds"]
    print(f"\n{a.feeds} feeds cold over {a.hosts} loopback hosts; no-change pass over "
          f"{a.nochange} feeds (all 304); cold pipelines: best of {len(rows['limit'].get('spread', [0]))} "
          "rounds run in turn\n")
    print("| pipeline | seconds | items | x limit | naive / this | peak MB |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        s = r["seconds"]
        print(f"| {name} | {s:.2f} | {r['items']} | {s / limit:.1f} | {naive / s:.1f} | "
              f"{r['peak_mb']:.0f} |")
    print("\nEach round's seconds: " + "; ".join(
        f"{name} " + ", ".join(f"{x:.2f}" for x in r["spread"]) for name, r in rows.items() if "spread" in r))
    cold, nc, steps = rows["veille crawl"], rows["no-change pass"], rows["veille crawl, issue 8's steps"]
    print(f"\nveille crawl totals: {cold['totals']}")
    print(f"veille crawl CPU: {cold['cpu']['main']:.2f} s in the crawling process, "
          f"{cold['cpu']['workers']:.2f} s in its worker processes (fetching, parsing, "
          f"preparing, writing); {1e6 * (cold['cpu']['main'] + cold['cpu']['workers']) / max(cold['items'], 1):.0f} "
          f"us of CPU per item")
    print(f"no-change pass totals: {nc['totals']} (first pass {nc['first_pass']:.2f} s)")
    print(f"veille crawl, issue 8's steps, CPU: {1e6 * (steps['cpu']['main'] + steps['cpu']['workers']) / max(steps['items'], 1):.0f} "
          "us per item (no stories nor references)")
    for name, r in (("issue 8's steps", steps), ("with stories and references", cold)):
        print(f"\nTargets, veille cold crawl {name}: <= 3x limit: "
              f"{'met' if r['seconds'] <= 3 * limit else 'NOT met'} ({r['seconds'] / limit:.2f}x); "
              f">= 5x faster than naive: {'met' if naive / r['seconds'] >= 5 else 'NOT met'} "
              f"({naive / r['seconds']:.1f}x)")
    print("No-change pass < 1 s: "
          f"{'met' if nc['seconds'] < 1 else 'NOT met'} ({nc['seconds']:.2f} s); peak < 500 MB: "
          f"{'met' if max(r['peak_mb'] for r in rows.values()) < 500 else 'NOT met'}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
