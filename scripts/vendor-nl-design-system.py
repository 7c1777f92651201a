"""Refresh the vendored NL Design System CSS in wellbeing/static/nlds/ (needs node/npm; the app does not).

    python3 scripts/vendor-nl-design-system.py            # the pinned versions below
    python3 scripts/vendor-nl-design-system.py --check    # fail when the vendored file is out of date

What is vendored, and why these packages:

- ``@utrecht/component-library-css`` (EUPL-1.2): the component CSS (page header, navigation bar,
  buttons, form fields, alerts, tables, ...) and ``html.css``, which styles plain HTML elements inside
  ``.utrecht-html`` with the same tokens, so the existing templates need few classes.
- ``@nl-design-system-unstable/voorbeeld-design-tokens`` (EUPL-1.2): the NL Design System's example
  theme, built on the shared "basis" tokens. ``@utrecht/design-tokens`` is *not* vendored: its
  LICENSE.md says the tokens are proprietary assets of Gemeente Utrecht (its house style), to which
  the open source licence does not apply. Our own theme (``static/style.css``) and the per-region
  themes override the basis tokens the voorbeeld theme is built from.

To keep pages light, only the components the app uses are kept (``COMPONENTS``) and only the token
families those components read (``TOKEN_PREFIXES``); everything goes into one file, ``nlds.css``,
headed by the packages' licence notices. Change a version or list here, run the script, look at the
pages (``make test`` keeps screenshots in test-artifacts/) and commit the result with this script.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {
    "components": ("@utrecht/component-library-css", "9.0.4"),
    "tokens": ("@nl-design-system-unstable/voorbeeld-design-tokens", "7.4.1"),
}
COMPONENTS = ("page", "page-header", "page-footer", "page-content", "page-body", "skip-link", "nav-bar",
              "nav-list", "button", "button-group", "link", "heading-1", "heading-2", "heading-3",
              "paragraph", "alert", "form-field", "form-label", "form-field-description",
              "form-field-error-message", "textbox", "select", "table", "logo", "surface", "document",
              "root", "body", "link-list", "separator")
TOKEN_PREFIXES = ("--basis-", "--utrecht-", "--nl-", "--voorbeeld-")
STATIC = Path(__file__).resolve().parent.parent / "wellbeing" / "static" / "nlds"


def npm_pack(name: str, version: str, into: Path) -> Path:
    subprocess.run(["npm", "pack", "--silent", f"{name}@{version}"], cwd=into, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(into.glob(name.lstrip("@").replace("/", "-") + f"-{version}.tgz"))
    target = into / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def split_rules(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet; comments are dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules, depth, start, prelude = [], 0, 0, ""
    for index, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append((prelude, css[start:index]))
                start = index + 1
        elif char == ";" and depth == 0:
            start = index + 1  # @charset, @import: not needed
    return rules


def keep_components(css: str) -> str:
    wanted = re.compile(r"\.utrecht-(?:%s)(?![a-z-])" % "|".join(map(re.escape, sorted(COMPONENTS, key=len, reverse=True))))
    out = []
    for prelude, body in split_rules(css):
        if prelude.startswith("@"):
            inner = keep_components(body)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        else:
            # A selector is kept when every component it names is one we use (modifiers and
            # elements, "--x" and "__x", belong to their component).
            selectors = [s.strip() for s in prelude.split(",")
                         if s.strip().startswith(".utrecht-html")
                         or re.search(r"\.utrecht-", s) and not re.search(
                             r"\.utrecht-", wanted.sub("", re.sub(r"(--|__)[a-z0-9-]+", "", s)))]
            if selectors:
                out.append(",".join(selectors) + "{" + body.strip() + "}")
    return "\n".join(out)


def keep_tokens(css: str, used_by: str) -> str:
    """The theme's basis tokens, and the component tokens that ``used_by`` reads (transitively)."""
    out = []
    for prelude, body in split_rules(css):
        declarations = {d.split(":", 1)[0].strip(): d.strip() for d in body.split(";")
                        if d.strip().startswith(TOKEN_PREFIXES)}
        needed = set(re.findall(r"var\((--[a-z0-9-]+)", used_by))
        needed |= {name for name in declarations if name.startswith("--basis-")}
        todo = list(needed)
        while todo:
            for name in re.findall(r"var\((--[a-z0-9-]+)", declarations.get(todo.pop(), "")):
                if name not in needed:
                    needed.add(name)
                    todo.append(name)
        out.append(prelude + "{" + ";".join(d for name, d in declarations.items() if name in needed) + "}")
    return "\n".join(out)


def build(work: Path) -> str:
    components = npm_pack(*PACKAGES["components"], work)
    tokens = npm_pack(*PACKAGES["tokens"], work)
    header = "/*! NL Design System, vendored by scripts/vendor-nl-design-system.py; licences in LICENSES/\n"
    for name, version in PACKAGES.values():
        header += f" * {name}@{version} (EUPL-1.2)\n"
    header += " */\n"
    html = keep_components((components / "dist" / "html.css").read_text())
    library = keep_components((components / "dist" / "index.css").read_text())
    theme = keep_tokens((tokens / "dist" / "theme.css").read_text(), html + library)
    licences = STATIC / "LICENSES"
    licences.mkdir(parents=True, exist_ok=True)
    shutil.copy(components / "LICENSE.md", licences / "utrecht-component-library-css.md")
    shutil.copy(tokens / "LICENSE.md", licences / "voorbeeld-design-tokens.md")
    return f"{header}{theme}\n{library}\n{html}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        css = build(Path(work))
    target = STATIC / "nlds.css"
    if args.check:
        if target.read_text() != css:
            print(f"{target} is not what the pinned packages build", file=sys.stderr)
            return 1
        return 0
    target.write_text(css)
    print(f"wrote {target} ({len(css) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
