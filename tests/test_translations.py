"""Every UI string is translated: the template matches the source and both catalogues are complete."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _ids(path: Path) -> set[str]:
    return {m.id for m in read_po(path.open("rb")) if m.id}


def test_message_template_is_up_to_date_with_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "lazy_gettext", "-o", str(fresh), "--no-location", "--omit-header", "."],
                   cwd=ROOT, check=True, capture_output=True)
    missing = _ids(fresh) - _ids(ROOT / "translations" / "messages.pot")
    assert not missing, f"run `make update-messages` and translate: {sorted(missing)[:10]}"


def test_dutch_and_english_catalogues_translate_every_message():
    wanted = _ids(ROOT / "translations" / "messages.pot")
    for locale in ("nl", "en"):
        catalog = read_po((ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb"))
        untranslated = {m.id for m in catalog if m.id and not m.string} | (wanted - {m.id for m in catalog if m.id})
        assert not untranslated, f"{locale}: missing translations for {sorted(untranslated)[:10]}"
