"""The real OpenID Connect providers of the federated-login tests: node-oidc-provider (OpenID
Certified), started once per test session as a process from tests/oidc/provider.mjs.

Two issuers, as in the field: an education federation for school staff (Entree-like claims: a
pseudonymous ``uid`` as subject, ``eduPersonAffiliation`` and the school's BRIN in
``nlEduPersonHomeOrganizationId``) and a GGD's own provider for its staff. The federation also
knows three clients whose ID tokens it re-signs wrongly: another audience, expired, another issuer.
"""
from __future__ import annotations

import json
import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.processes import Processes, http_status, require, wait_until
from tests.services import free_port

FOLDER = Path(__file__).resolve().parent / "oidc"
SECRET = "test-client-secret-not-for-production"
ACCOUNTS = {
    # A teacher at Basisschool De Regenboog (BRIN 90AA), invited as coordinator in the tests.
    "entree-7f3a9c": {"uid": "entree-7f3a9c", "eduPersonAffiliation": ["employee"],
                      "nlEduPersonHomeOrganizationId": "90AA", "name": "Tess Jansen"},
    # A colleague at the same school without an invitation: the BRIN suggests the school, nothing more.
    "entree-b21d44": {"uid": "entree-b21d44", "eduPersonAffiliation": ["employee"],
                      "nlEduPersonHomeOrganizationId": "90AA", "name": "Bram de Vries"},
    # A GSA at GGD Demoland.
    "ggd-adviseur-17": {"email": "adviseur17@ggd-demoland.example", "email_verified": True, "name": "Ada Adviseur"},
}
#: App provider name -> (issuer key, client id, kind, tampering)
APP_PROVIDERS = {
    "entree": ("federation", "welbevinden-school", "school", None),
    "ggd-demoland": ("ggd", "welbevinden-ggd", "organisation", None),
    "test-wrong-audience": ("federation", "welbevinden-wrong-aud", "school", {"aud": "some-other-application"}),
    "test-expired": ("federation", "welbevinden-expired", "school", {"expired": True}),
    "test-unknown-issuer": ("federation", "welbevinden-other-iss", "school", {"iss": "https://unknown-issuer.example"}),
}
LABELS = {"entree": "Entree (test)", "ggd-demoland": "GGD Demoland (test)"}


@dataclass
class OidcWorld:
    app_port: int
    issuers: dict[str, str]

    def env(self) -> dict[str, str]:
        """The app's settings for these providers, as an operator would write them."""
        env = {"OIDC_PROVIDERS": ",".join(APP_PROVIDERS)}
        for name, (issuer, client_id, kind, _) in APP_PROVIDERS.items():
            prefix = "OIDC_" + name.upper().replace("-", "_") + "_"
            env.update({prefix + "ISSUER": self.issuers[issuer], prefix + "CLIENT_ID": client_id,
                        prefix + "CLIENT_SECRET": SECRET, prefix + "KIND": kind,
                        prefix + "LABEL": LABELS.get(name, name)})
            if kind == "organisation":
                env[prefix + "REGION"] = "GGD-DEMO"
        return env


def install() -> None:
    """``npm ci`` from the committed lock file unless already done (``make test`` does it too)."""
    npm = require("npm")
    require("node")
    marker = FOLDER / "node_modules" / ".package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < (FOLDER / "package-lock.json").stat().st_mtime:
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FOLDER, check=True)


@contextmanager
def providers(folder: Path):
    install()
    app_port = free_port()
    ports = {"federation": free_port(), "ggd": free_port()}
    clients: dict[str, list[dict]] = {"federation": [], "ggd": []}
    for name, (issuer, client_id, _, tamper) in APP_PROVIDERS.items():
        client = {"client_id": client_id, "client_secret": SECRET, "grant_types": ["authorization_code"],
                  "redirect_uris": [f"http://127.0.0.1:{app_port}/login/federated/{name}/callback"]}
        if tamper:
            client["tamper"] = tamper
        clients[issuer].append(client)
    config = folder / "oidc-providers.json"
    config.write_text(json.dumps({"accounts": ACCOUNTS, "providers": [
        {"port": ports[key], "clients": clients[key]} for key in ports]}))
    with Processes(folder) as processes:
        processes.start("oidc-provider", [require("node"), str(FOLDER / "provider.mjs"), str(config)],
                        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NODE_ENV": "test"}, cwd=FOLDER)
        issuers = {key: f"http://127.0.0.1:{port}" for key, port in ports.items()}
        for issuer in issuers.values():
            wait_until(lambda issuer=issuer: http_status(issuer + "/.well-known/openid-configuration") == 200,
                       30, f"the OpenID Connect provider at {issuer}", processes.check_alive)
        yield OidcWorld(app_port=app_port, issuers=issuers)
