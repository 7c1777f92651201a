"""Security headers come from the app on every response, errors and JSON included."""
import re

from wellbeing.headers import HEADERS


def test_pages_errors_and_json_carry_the_security_headers(app, client):
    responses = {
        "page": client.get("/login"),
        "not found": client.get("/no/such/page"),
        "json": client.post("/r/ABCDE-FGHJK/autosave", data={"item": "x", "value": "1"}),
        "health": client.get("/healthz"),
    }
    for what, response in responses.items():
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, f"{what}: {name}"


def test_the_policy_allows_no_inline_script_or_style():
    policy = dict(part.split(" ", 1) for part in HEADERS["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe" not in HEADERS["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


def test_templates_have_no_inline_style_or_script():
    from pathlib import Path
    templates = Path(__file__).resolve().parent.parent / "wellbeing" / "templates"
    found = [f"{path.name}: {match.group(0)}" for path in templates.rglob("*.html")
             for match in re.finditer(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", path.read_text())]
    assert found == []
