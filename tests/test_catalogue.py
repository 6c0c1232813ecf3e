"""The catalogue through Datasette's own test client: pages, search, facets, exports,
permissions and CSRF. The watch is built through the real ingest path."""
from __future__ import annotations

import asyncio
import re
from html import unescape
from pathlib import Path

import pytest

from catalogue_support import FAILING_ERROR, PASSWORD, build_watch
from veille.alerts import links, rules
from veille import store
from veille.catalogue.app import build_datasette
from veille.config import Settings


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "veille.db"
    ids = build_watch(path)
    return path, ids


def make_ds(path: Path, public: bool = True):
    ds = build_datasette(path, Settings(db_path=path, base_url="http://catalogue.test/"), public=public)
    asyncio.run(ds.invoke_startup())
    return ds


@pytest.fixture(scope="module")
def ds(watch):
    return make_ds(watch[0])


def get(ds, url, **kw):
    return asyncio.run(ds.client.get(url, **kw))


def post(ds, url, **kw):
    return asyncio.run(ds.client.post(url, **kw))


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<h3><a href="/item/\d+">([^<]*)</a>', html)]


def logged_in(ds, email: str) -> dict:
    return {"ds_actor": ds.sign({"a": {"id": email}}, "actor")}


def csrf_session(ds, email: str) -> tuple[dict, str]:
    """Cookies of a logged-in browser and the CSRF token its forms carry."""
    cookies = logged_in(ds, email)
    page = get(ds, "/subscriptions/new", cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    cookies["ds_csrftoken"] = page.cookies.get("ds_csrftoken")
    return cookies, token


# --- pages ---------------------------------------------------------------------------------

def test_overview_shows_counts_chart_latest_and_failing_source(ds):
    r = get(ds, "/")
    assert r.status_code == 200
    assert "<svg" in r.text and 'class="bar"' in r.text
    assert "Sécurité des cobots" in r.text
    assert FAILING_ERROR in r.text
    assert re.search(r"<strong>11</strong>\s*articles", r.text)


def test_item_page_shows_sanitised_summary_topics_and_origin(ds, watch):
    item_id = watch[1]["cobots-mulhouse"]
    r = get(ds, f"/item/{item_id}")
    assert r.status_code == 200
    assert "Vingt robots collaboratifs" in r.text
    assert "<script" not in r.text.split("</head>")[1]
    assert "tracker.example" not in r.text
    assert "Presse Usine (test)" in r.text
    assert re.search(r"score \d\.\d\d", r.text)


def test_item_page_lists_similar_items(ds, watch):
    r = get(ds, f"/item/{watch[1]['jumeau-numerique-ligne']}")
    similar = r.text.split("Articles proches")[1]
    assert "jumeaux" in similar


@pytest.mark.parametrize("url", ["/item/999999", "/sheets/999999", "/reports/999999", "/no-such-page"])
def test_unknown_page_is_a_404_in_the_catalogue_look_and_language(ds, url):
    fr, en = get(ds, url), get(ds, url + "?lang=en")
    assert fr.status_code == en.status_code == 404
    assert '<header class="top">' in fr.text and "Introuvable." in fr.text and "Not found." in en.text


def test_datasette_pages_menu_speaks_the_visitors_language(ds):
    cookies = logged_in(ds, "reader@example.org")
    fr = get(ds, "/veille/items", cookies=cookies).text
    en = get(ds, "/veille/items", cookies={**cookies, "veille_lang": "en"}).text
    assert "Mes alertes" in fr and "My alerts" in en and "Mes alertes" not in en


def test_datasette_pages_keep_their_own_404(ds):
    r = get(ds, "/veille/items/999999")
    assert r.status_code == 404 and '<header class="top">' not in r.text


def test_sources_page_flags_the_failing_source(ds):
    r = get(ds, "/sources")
    row = re.search(r'<tr id="makers-test".*?</tr>', r.text, re.S).group(0)
    assert "En erreur" in row and FAILING_ERROR in row
    ok_row = re.search(r'<tr id="inrs-test".*?</tr>', r.text, re.S).group(0)
    assert "badge-ok" in ok_row and "Institution" in ok_row


def test_english_labels_on_request_and_remembered(ds):
    r = get(ds, "/sources?lang=en")
    assert "Failing" in r.text and r.cookies.get("veille_lang") == "en"
    again = get(ds, "/", cookies={"veille_lang": "en"})
    assert "New items per topic per week" in again.text


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["securite", "SÉCURITÉ", "Sécurité"])
def test_search_ignores_accents_and_case(ds, q):
    assert titles(get(ds, f"/search?q={q}").text) == ["Sécurité des cobots : Stellantis équipe sa ligne de Mulhouse"]


def test_phrase_query_needs_the_words_together(ds):
    found = titles(get(ds, '/search?q="jumeau numerique"').text)
    assert found == ["Le jumeau numérique d'une ligne d'assemblage réduit les arrêts"]
    both = titles(get(ds, "/search?q=jumeau numerique").text)
    assert len(both) == 1  # 'jumeaux' is another word: prefix it to get both
    assert len(titles(get(ds, "/search?q=jumeau* numerique").text)) == 2


def test_prefix_query(ds):
    found = titles(get(ds, "/search?q=robot*").text)
    assert len(found) >= 3 and any("robotique" in t for t in found)


def test_title_match_ranks_first(ds):
    found = titles(get(ds, "/search?q=cobot*").text)
    assert "cobot" in found[0].lower()


def test_stray_syntax_is_not_an_error(ds):
    r = get(ds, '/search?q=robot" AND (')
    assert r.status_code == 200 and 'class="error"' not in r.text


def test_facet_filters_results(ds):
    everything = titles(get(ds, "/search").text)
    r = get(ds, "/search?category=regulatory")
    assert len(titles(r.text)) == 2 < len(everything)
    assert all("(test)" not in t for t in titles(r.text))
    assert "Réglementaire" in r.text


def test_a_selected_facet_offers_a_link_that_removes_it(ds):
    r = get(ds, "/search?q=robot*&category=regulatory")
    clear = unescape(re.search(r'<a class="clear" href="([^"]*)"', r.text).group(1))
    assert clear.startswith("/search?") and "q=robot" in clear and "category=regulatory" not in clear
    assert get(ds, clear).status_code == 200


def test_every_topic_label_is_whole_in_both_languages():
    from veille.catalogue.i18n import topic_labels
    labels = topic_labels()
    assert labels["qse"] == ("Qualité, sécurité, environnement", "Quality, safety, environment")
    assert all(isinstance(fr, str) and isinstance(en, str) and fr and en for fr, en in labels.values())


def test_search_page_offers_facets_with_counts(ds):
    r = get(ds, "/search?q=robot*")
    facets = re.findall(r'data-facet="(\w+)"', r.text)
    assert {"topic", "source", "category", "lang", "month"} <= set(facets)


def test_newest_first_is_one_click_away(ds):
    r = get(ds, "/search?q=robot*&sort=newest")
    assert titles(r.text)[0] == "New cobot with a 30 kg payload for palletising"


def test_search_exports_as_atom_csv_json(ds):
    atom = get(ds, '/veille/search_items.atom?q="cobot"&topic=')
    assert atom.status_code == 200 and "<feed" in atom.text and "30 kg payload" in atom.text
    csv = get(ds, '/veille/search_items.csv?q="cobot"&topic=')
    assert csv.status_code == 200 and "30 kg payload" in csv.text
    js = get(ds, '/veille/search_items.json?q="cobot"&topic=&_shape=array').json()
    assert [row["title"] for row in js] == ["New cobot with a 30 kg payload for palletising"]


def test_the_export_query_opened_without_a_query_is_an_empty_list_not_an_error(ds):
    page = get(ds, "/veille/search_items")
    assert page.status_code == 200 and "syntax error" not in page.text
    assert get(ds, "/veille/search_items.json?q=&_shape=array").json() == []


def test_search_exports_hold_what_the_filtered_page_lists(ds):
    page = get(ds, "/search?q=robot*&category=regulatory")
    link = unescape(re.search(r'href="(/veille/search_items\.json\?[^"]+)"', page.text).group(1))
    assert "category=regulatory" in link
    exported = sorted(row["title"] for row in get(ds, link).json())
    assert exported == sorted(titles(page.text)) and 0 < len(exported) < len(titles(get(ds, "/search?q=robot*").text))


def test_datasette_table_pages_still_work(ds):
    assert get(ds, "/veille/items").status_code == 200
    view = get(ds, "/veille/items_catalogue.json?_shape=array").json()
    assert view[0]["title"] == "Private 5G network connects 2,000 sensors in a plant"  # newest first
    assert view[0]["source"] == "Makers (test)" and "content" not in view[0]
    rows = get(ds, "/veille/items.json?_search=securite&_shape=array").json()
    assert [r["title"][:19] for r in rows] == ["Sécurité des cobots"]


# --- permissions ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/veille/users", "/veille/settings", "/veille/subscribers",
                                 "/veille/alert_rules.json", "/veille.db", "/-/metadata.json"])
def test_private_tables_and_secrets_are_hidden(ds, url):
    assert get(ds, url, cookies=logged_in(ds, "reader@example.org")).status_code == 403


def test_arbitrary_sql_is_refused(ds):
    r = get(ds, "/veille.json?sql=select+*+from+settings")
    assert r.status_code == 403


def test_anonymous_cannot_write(ds):
    r = post(ds, "/subscriptions/new", data={"topics": "robotics", "action": "save"})
    assert r.status_code == 403


def test_csrf_is_enforced_for_logged_in_users(ds):
    r = post(ds, "/subscriptions/new", data={"topics": "robotics", "action": "save"},
             cookies=logged_in(ds, "reader@example.org"))
    assert r.status_code == 403
    assert len(asyncio.run(ds.get_database("veille").execute("select * from alert_rules")).rows) == 0


def test_reader_creates_previews_and_manages_own_rule(ds, watch):
    cookies, token = csrf_session(ds, "reader@example.org")
    form = {"csrftoken": token, "name": "Cobots", "topics": "robotics", "query": "cobot*",
            "frequency": "daily", "action": "preview"}
    preview = post(ds, "/subscriptions/new", data=form, cookies=cookies)
    assert preview.status_code == 200 and "30 kg payload" in preview.text
    saved = post(ds, "/subscriptions/new", data={**form, "action": "save"}, cookies=cookies)
    assert saved.status_code == 302
    rule_id = int(re.search(r"/subscriptions/(\d+)/edit", saved.headers["location"]).group(1))
    mine = get(ds, "/subscriptions", cookies=cookies)
    assert "Cobots" in mine.text and "/rules/%d.atom?t=" % rule_id in mine.text
    assert post(ds, f"/subscriptions/{rule_id}/pause", data={"csrftoken": token}, cookies=cookies).status_code == 302
    db = store.connect(watch[0])
    assert rules.get_rule(db, rule_id)["status"] == "paused"
    # another reader can neither see nor touch it
    other, other_token = csrf_session(ds, "other@example.org")
    assert "Cobots" not in get(ds, "/subscriptions", cookies=other).text
    assert get(ds, f"/subscriptions/{rule_id}/edit", cookies=other).status_code == 403
    r = post(ds, f"/subscriptions/{rule_id}/delete", data={"csrftoken": other_token}, cookies=other)
    assert r.status_code == 403 and rules.get_rule(db, rule_id)
    assert post(ds, f"/subscriptions/{rule_id}/delete", data={"csrftoken": token}, cookies=cookies).status_code == 302
    with pytest.raises(rules.RuleError):
        rules.get_rule(db, rule_id)


def test_invalid_rule_gets_a_clear_message_and_keeps_the_form(ds):
    cookies, token = csrf_session(ds, "reader@example.org")
    r = post(ds, "/subscriptions/new", cookies=cookies,
             data={"csrftoken": token, "name": "Broken", "query": "robot AND", "action": "save"})
    assert r.status_code == 400 and "robot AND" in r.text and "syntax" in r.text
    assert 'value="Broken"' in r.text


def test_login_with_account_from_users_table(ds):
    page = get(ds, "/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    r = post(ds, "/-/login", data={"username": "editor@example.org", "password": PASSWORD, "csrftoken": token},
             cookies={"ds_csrftoken": page.cookies.get("ds_csrftoken")})
    assert r.status_code == 302 and r.cookies.get("ds_actor")
    home = get(ds, "/", cookies={"ds_actor": r.cookies.get("ds_actor")})
    assert "editor@example.org" in home.text
    bad = post(ds, "/-/login", data={"username": "editor@example.org", "password": "nope", "csrftoken": token},
               cookies={"ds_csrftoken": page.cookies.get("ds_csrftoken")})
    assert bad.status_code == 200 and "ds_actor" not in bad.cookies


def test_only_editors_correct_topics(ds, watch):
    item_id = watch[1]["private-5g-plant"]
    assert "Corriger les thèmes" not in get(ds, f"/item/{item_id}", cookies=logged_in(ds, "reader@example.org")).text
    assert "Corriger les thèmes" in get(ds, f"/item/{item_id}", cookies=logged_in(ds, "editor@example.org")).text
    cookies, token = csrf_session(ds, "reader@example.org")
    r = post(ds, f"/item/{item_id}/topics", data={"csrftoken": token, "topic_qse": "1"}, cookies=cookies)
    assert r.status_code == 403


def test_private_mode_hides_everything_from_anonymous(watch):
    private = make_ds(watch[0], public=False)
    for url in ["/", "/search?q=robot", "/sources", "/veille/items", "/veille/items.json"]:
        r = get(private, url)
        assert r.status_code in (302, 403), url
        assert "cobot" not in r.text.lower()
    assert get(private, "/-/login").status_code == 200
    assert get(private, "/search?q=robot", cookies=logged_in(private, "reader@example.org")).status_code == 200


# --- signed links --------------------------------------------------------------------------

def test_one_click_unsubscribe_without_login_or_csrf(ds, watch):
    db = store.connect(watch[0])
    sub = db.execute("select id from subscribers where email = 'other@example.org'").fetchone()[0]
    url = links.unsubscribe_url("/", store.instance_secret(db), sub)
    page = get(ds, url)
    assert page.status_code == 200 and "other@example.org" in page.text
    assert db.execute("select unsubscribed_at from subscribers where id = ?", [sub]).fetchone()[0] is None
    r = post(ds, url, data={"List-Unsubscribe": "One-Click"}, cookies={"ds_csrftoken": "x"})
    assert r.status_code == 200
    assert db.execute("select unsubscribed_at from subscribers where id = ?", [sub]).fetchone()[0]
    assert get(ds, "/unsubscribe?t=1.abc.forged").status_code == 400


def test_rule_feed_needs_its_signed_token(ds, watch):
    db = store.connect(watch[0])
    rule_id = rules.add_rule(db, rules.RuleSpec(email="reader@example.org", topics=["regulation"]))
    url = links.rule_feed_url("/", store.instance_secret(db), rule_id)
    r = get(ds, url)
    assert r.status_code == 200 and "Machinery Regulation" in r.text
    assert get(ds, f"/rules/{rule_id}.atom?t=forged").status_code == 403
    other = links.rule_feed_url("/", store.instance_secret(db), rule_id + 1)
    assert get(ds, other.replace(f"/rules/{rule_id + 1}", f"/rules/{rule_id}")).status_code == 403


def test_editor_correction_is_human_and_reaches_matching_rules(ds, watch):
    item_id = watch[1]["private-5g-plant"]
    db = store.connect(watch[0])
    rule_id = rules.add_rule(db, rules.RuleSpec(email="admin@example.org", topics=["qse"], frequency="weekly"))
    cookies, token = csrf_session(ds, "editor@example.org")
    r = post(ds, f"/item/{item_id}/topics", data={"csrftoken": token, "topic_qse": "1", "topic_iot": "1"},
             cookies=cookies)
    assert r.status_code == 302
    page = get(ds, f"/item/{item_id}").text
    assert "Qualité" in page and "(humain)" in page
    assert db.execute("select count(*) from deliveries where rule_id = ? and item_id = ?",
                      [rule_id, item_id]).fetchone()[0] == 1


def test_bounded_candidates_keep_exact_totals_and_say_facets_are_partial(watch):
    from veille.catalogue.query import to_fts
    from veille.store import catalogue as cat
    conn = store.connect(watch[0]).conn
    everything = cat.search(conn, to_fts("robot*"), cat.Filters())
    bounded = cat.search(conn, to_fts("robot*"), cat.Filters(), candidates=2, size=1)
    assert bounded.total == everything.total > 2 and not bounded.total_is_lower_bound
    assert bounded.facets_bounded and sum(n for _, n in bounded.facets["source"]) == 2
    assert bounded.pages == 2
    filtered = cat.search(conn, to_fts("robot*"), cat.Filters(lang="fr"), candidates=2)
    assert filtered.total_is_lower_bound and filtered.total == 2


def test_users_add_reads_the_password_from_stdin_and_links_the_subscriber(tmp_path):
    from click.testing import CliRunner
    from datasette_auth_passwords.utils import verify_password
    from veille.cli import main

    db_path = tmp_path / "veille.db"
    runner = CliRunner()
    r = runner.invoke(main, ["--db", str(db_path), "users", "add", "Ana@Example.org", "--role", "editor"],
                      input="a long secret\n")
    assert r.exit_code == 0, r.output
    db = store.connect(db_path)
    row = db.execute("select password_hash, role from users where email = 'ana@example.org'").fetchone()
    assert row[1] == "editor" and verify_password("a long secret", row[0])
    assert db.execute("select count(*) from subscribers where email = 'ana@example.org'").fetchone()[0] == 1
    short = runner.invoke(main, ["--db", str(db_path), "users", "add", "bob@example.org"], input="short\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    listed = runner.invoke(main, ["--db", str(db_path), "users", "list", "--json"])
    assert '"role": "editor"' in listed.output


def test_similar_items_share_a_topic_not_just_words():
    from veille import store
    from veille.catalogue.pages import _similar_query
    from veille.ingest import ingest
    from veille.item import RawItem
    from veille.sources import Source
    from veille.store.catalogue import similar_items

    db = store.memory()
    src = Source(id="presse", name="Presse", kind="feed", url="http://127.0.0.1/feed", language="fr")
    from veille.store.sources import sync_plan
    from veille.sources import WatchPlan
    sync_plan(db, WatchPlan([src]))
    texts = [
        ("Le jumeau numérique d'une ligne d'assemblage réduit les arrêts",
         "Des capteurs connectés remontent les données des machines en temps réel."),
        ("Les jumeaux numériques d'usine se multiplient grâce aux capteurs IoT",
         "Les données des capteurs alimentent la maintenance prévisionnelle."),
        ("Grève : arrêts de travail sur la ligne de métro, le numérique ne suffit pas",
         "Les usagers de la ligne attendent des réponses de la régie des transports."),
    ]
    raws = [RawItem(source_id="presse", title=t, summary=s, url=f"http://127.0.0.1/a/{n}")
            for n, (t, s) in enumerate(texts)]
    ids = ingest(db, src, raws).new_ids
    ranked = [c["id"] for c in similar_items(db.conn, ids[0], _similar_query(*texts[0]), 5)]
    assert ranked.index(ids[1]) < ranked.index(ids[2])
