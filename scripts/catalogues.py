"""Write translations/<locale>/LC_MESSAGES/messages.po from the template, keeping existing
translations; ``--nl FILE`` merges a Python dict ``NL`` of new Dutch translations first.
English msgids are the English text, so the English catalogue copies them."""
import argparse
import runpy
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "translations"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nl", help="Python file defining NL = {msgid: Dutch}")
    args = parser.parse_args()
    template = read_po((ROOT / "messages.pot").open("rb"))
    new_nl = runpy.run_path(args.nl)["NL"] if args.nl else {}
    for locale in ("nl", "en"):
        path = ROOT / locale / "LC_MESSAGES" / "messages.po"
        old = read_po(path.open("rb"), locale=locale) if path.exists() else None
        catalog = read_po((ROOT / "messages.pot").open("rb"), locale=locale)
        catalog.locale = locale
        catalog.fuzzy = False
        for message in catalog:
            if not message.id:
                continue
            previous = old.get(message.id) if old else None
            if locale == "en":
                message.string = message.id
            elif message.id in new_nl:
                message.string = new_nl[message.id]
            elif previous is not None and previous.string:
                message.string = previous.string
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, width=100)
    del template


if __name__ == "__main__":
    main()
