"""The pages for people in headless Chromium (Debian's, driven by selenium through Debian's
chromedriver): the guide in zh and en, its SVG, ask box and calculator, no horizontal scroll at
375 px, axe-core with no serious or critical violation, a one-page printable checklist, and
screenshots at 375 and 1280 px in tests/screenshots/."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from .conftest import parsed_graph

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "service" / "static" / "axe" / "axe.min.js"
SHOTS = ROOT / "tests" / "screenshots"
ID = "https://w3id.org/newborn-kg/id/"

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed: make setup"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="headless Chromium or its driver is not installed: "
    "apt-get install chromium chromium-driver (CI's .ci/run installs both)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One Chromium for every page test; the driver path is given, so selenium-manager never
    looks for (or downloads) a browser or driver."""
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    yield driver
    driver.quit()


def viewport(driver, width: int, height: int = 900) -> None:
    """Emulate a phone (mobile viewport, meta viewport honoured) or a desktop window."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def wait(driver, condition, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 20, poll_frequency=0.1).until(condition, what)


def visible_text(driver) -> str:
    return driver.execute_script("return document.body.innerText")


def labels(store, cls: str, lang: str) -> list[str]:
    out = []
    for s in sorted(parsed_graph().subjects(RDF.type, URIRef(cls))):
        found = [
            str(o)
            for o in parsed_graph().objects(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
            if o.language == lang
        ]
        out.append(found[0])
    return out


NKG = "https://w3id.org/newborn-kg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_guide_shows_steps_places_documents_channels_and_articles(
    browser, live_server, store, lang
):
    viewport(browser, 375)
    browser.get(f"{live_server.url}/?lang={lang}")
    text = visible_text(browser)
    for cls in ("Step", "Office", "ActivationChannel"):
        for name in labels(store, NKG + cls, lang):
            assert name in text, f"{cls}: {name} is not shown"
    for doc in sorted(parsed_graph().subjects(RDF.type, URIRef(NKG + "Document"))):
        if str(doc).endswith("/medical-insurance-card"):
            continue
        name = next(
            str(o)
            for o in parsed_graph().objects(
                doc, URIRef("http://www.w3.org/2000/01/rdf-schema#label")
            )
            if o.language == lang
        )
        assert name in text, f"document {name} is not shown"
    articles = sorted(parsed_graph().subjects(RDF.type, URIRef(ELI + "LegalResourceSubdivision")))
    assert len(articles) == 2
    for article in articles:
        body = next(
            str(o)
            for o in parsed_graph().objects(article, URIRef("https://schema.org/text"))
            if o.language == lang
        )
        assert body.split("\n")[0] in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_flow_diagram_renders(browser, live_server, store, lang):
    viewport(browser, 375)
    browser.get(f"{live_server.url}/?lang={lang}")
    box = browser.execute_script(
        "const s = document.querySelector('svg.flow'); const b = s.getBoundingClientRect();"
        "return {w: b.width, h: b.height, stages: s.querySelectorAll('rect.stage').length,"
        " docs: s.querySelectorAll('rect.doc').length, arrows: s.querySelectorAll('path.made, path.needs').length,"
        " text: s.textContent, title: s.querySelector('title').textContent}"
    )
    steps = len(list(parsed_graph().subjects(RDF.type, URIRef(NKG + "Step"))))
    assert 300 <= box["w"] <= 375 and box["h"] > box["w"]
    assert box["stages"] == steps + 1  # the steps and activation
    assert box["docs"] >= steps and box["arrows"] > box["docs"]
    assert box["title"]


@pytest.mark.parametrize(
    "lang, question",
    [("zh", "去邮政储蓄银行要带什么？"), ("en", "which law backs the one-month deadline?")],
)
def test_the_ask_box_answers(browser, live_server, lang, question):
    from selenium.webdriver.common.by import By

    viewport(browser, 375)
    browser.get(f"{live_server.url}/?lang={lang}")
    field = browser.find_element(By.ID, "q")
    field.clear()
    field.send_keys(question)
    browser.find_element(By.CSS_SELECTOR, "#ask-form button").click()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#answer .answer-text"), "no answer")
    assert browser.current_url.endswith(f"/?lang={lang}"), "the form was submitted, not scripted"
    answer = browser.find_element(By.CSS_SELECTOR, "#answer .answer-text").text
    items = browser.find_elements(By.CSS_SELECTOR, "#answer .answer-items li")
    sources = browser.find_elements(By.CSS_SELECTOR, "#answer .answer-sources a")
    assert answer and items and all(i.text for i in items) and sources


def test_the_ask_box_offers_suggestions(browser, live_server):
    from selenium.webdriver.common.by import By

    browser.get(f"{live_server.url}/?lang=en")
    browser.find_element(By.ID, "q").send_keys("xyzzy plugh")
    browser.find_element(By.CSS_SELECTOR, "#ask-form button").click()
    buttons = wait(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#answer button.suggestion"),
        "no suggestions",
    )
    first = buttons[0].text
    buttons[0].click()
    wait(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, "#answer .answer-text"),
        "the suggestion got no answer",
    )
    assert browser.find_element(By.ID, "q").get_attribute("value") == first


@pytest.mark.parametrize(
    "birth, deadline",
    [
        ("2024-01-31", "2024-02-29"),
        ("2023-01-31", "2023-02-28"),
        ("2023-12-15", "2024-01-15"),
        ("2000-01-31", "2000-02-29"),
        ("2100-01-31", "2100-02-28"),
        ("2024-03-31", "2024-04-30"),
    ],
)
def test_the_calculator_answers_instantly(browser, live_server, birth, deadline):
    from selenium.webdriver.common.by import By

    if not browser.current_url.startswith(f"{live_server.url}/?lang=zh"):
        viewport(browser, 375)
        browser.get(f"{live_server.url}/?lang=zh")
    browser.execute_script(
        "const i = document.getElementById('birth'); i.value = arguments[0];"
        "i.dispatchEvent(new Event('input', {bubbles: true}));",
        birth,
    )
    shown = wait(
        browser,
        lambda d: d.find_elements(By.CSS_SELECTOR, f'#deadline-result time[datetime="{deadline}"]'),
        f"no deadline {deadline} for {birth}",
    )
    year, month, day = (int(x) for x in deadline.split("-"))
    assert shown[0].text == f"{year}年{month}月{day}日"


def site_pages(store) -> list[str]:
    """The guide, checklist, API docs, dataset, ontology, a canned query's page and one
    resource of each kind (class) in the graph."""
    pages = [
        "/?lang=zh",
        "/?lang=en",
        "/checklist?lang=zh",
        "/api/docs?lang=zh",
        "/dataset?lang=zh",
        "/ontology?lang=en",
        "/api/queries/step-documents.html?step=3&lang=zh",
        "/api/queries/checklist?lang=en",
        "/api/queries/step-documents.html?lang=en",  # a parameter missing: the 400 page
        "/id/no/such-resource-with-a-rather-long-name?lang=zh",  # the 404 page
    ]
    one: dict[str, str] = {}
    for s, cls in sorted(parsed_graph().subject_objects(RDF.type)):
        if str(s).startswith(ID) and str(cls) not in one:
            one[str(cls)] = str(s)
    pages += sorted({"/id/" + iri[len(ID) :] + "?lang=zh" for iri in one.values()})
    return pages


@pytest.fixture(scope="module")
def audit(browser, live_server, store):
    """Visit every page once at 375 px: its widths, and axe-core's serious or critical findings
    (axe is loaded from our own /static, like any script of the site)."""
    viewport(browser, 375, 800)
    browser.set_script_timeout(120)
    out = {}
    for path in site_pages(store):
        browser.get(live_server.url + path)
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "const run = () => axe.run(document, {resultTypes: ['violations']})"
            "  .then(r => done(JSON.stringify(r.violations)))"
            "  .catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));"
            "const s = document.createElement('script'); s.src = '/static/axe/axe.min.js';"
            "s.onload = run; s.onerror = () => done(JSON.stringify([{id: 'axe-missing', impact: 'critical', help: 'no axe', nodes: []}]));"
            "document.head.appendChild(s);"
        )
        bad = [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]
        out[path] = {"widths": widths, "axe": bad}
    return out


def test_no_page_scrolls_sideways_at_375px(audit):
    assert len(audit) > 20
    wide = {path: a["widths"] for path, a in audit.items() if a["widths"][0] > a["widths"][1]}
    assert not wide, f"these pages scroll sideways at 375 px: {wide}"
    assert all(a["widths"][1] == 375 for a in audit.values())


def test_axe_finds_no_serious_or_critical_violation(audit):
    assert AXE.exists(), "vendor axe-core first: scripts/vendor-axe.sh"
    found = {
        path: [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in a["axe"]]
        for path, a in audit.items()
        if a["axe"]
    }
    assert not found, f"axe-core: {found}"


def test_the_printable_checklist_is_one_a4_page(browser, live_server):
    from selenium.webdriver.common.print_page_options import PrintOptions

    viewport(browser, 1280)
    for lang in ("zh", "en"):
        browser.get(f"{live_server.url}/checklist?lang={lang}")
        options = PrintOptions()
        options.page_width, options.page_height = 21.0, 29.7
        pdf = base64.b64decode(browser.print_page(options))
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert pages == 1, f"{lang}: the checklist prints on {pages} pages"


def test_screenshots_of_the_guide(browser, live_server):
    SHOTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        for width in (375, 1280):
            viewport(browser, width)
            browser.get(f"{live_server.url}/?lang={lang}")
            height = browser.execute_script("return document.documentElement.scrollHeight")
            shot = browser.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
                },
            )
            path = SHOTS / f"guide-{lang}-{width}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            assert path.stat().st_size > 10_000
    print(f"screenshots in {SHOTS}")
