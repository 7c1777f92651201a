"""Sign-in through an OpenID Connect provider, and binding one to an invited account."""
from __future__ import annotations

from urllib.parse import urlsplit

from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from sqlalchemy import select

from wellbeing import audit, db
from wellbeing.accounts.models import TokenPurpose
from wellbeing.accounts.security import find_token
from wellbeing.auth import federation
from wellbeing.auth import views as sign_in
from wellbeing.auth.forms import EmptyForm
from wellbeing.auth.models import FederatedIdentity
from wellbeing.config import OidcProvider
from wellbeing.db import utcnow
from wellbeing.headers import CONTENT_SECURITY_POLICY
from wellbeing.inputs import safe_next

bp = Blueprint("federation", __name__)

NEXT, LINK = "federated_next", "federated_link"


def _chosen(name: str) -> OidcProvider:
    chosen = federation.provider(name)
    if chosen is None:
        abort(404)
    return chosen


def _redirect_to(chosen: OidcProvider):
    client = federation.client(chosen.name)
    return client.authorize_redirect(url_for("federation.callback", name=chosen.name, _external=True))


@bp.route("/login/federated/<name>")
def start(name: str):
    chosen = _chosen(name)

    session[NEXT] = safe_next(request.args.get("next"))
    session.pop(LINK, None)
    return _redirect_to(chosen)


@bp.route("/invitation/<token>/federated/<name>", methods=["POST"])
def link_from_invitation(token: str, name: str):
    """The invited user binds their provider account instead of choosing a password."""
    chosen = _chosen(name)
    row = find_token(token, TokenPurpose.INVITATION)
    if row is None:
        flash(_("This link is not valid any more: it was used already or has expired. Ask for a new one."), "error")
        return redirect(url_for("accounts.login"))
    if not EmptyForm().validate_on_submit():
        abort(400)
    session[NEXT] = url_for("home.index")
    session[LINK] = token
    return _redirect_to(chosen)


def _failed(message: str):
    """No session, a clear message on the login page."""
    session.pop(LINK, None)
    session.pop(NEXT, None)
    flash(message, "error")
    return redirect(url_for("accounts.login"))


def _token_problem(chosen: OidcProvider, error: Exception) -> str:
    claim = getattr(error, "claim", None)
    if isinstance(error, ExpiredTokenError) or claim == "exp":
        return _("Logging in through %(provider)s did not succeed: the proof of login had expired. Try again.",
                 provider=chosen.label)
    if claim in ("aud", "azp"):  # another audience (Authlib asks for azp first when aud is not ours)
        return _("Logging in through %(provider)s did not succeed: the proof of login was meant for another "
                 "application. Try again, or tell your administrator.", provider=chosen.label)
    if claim == "iss":
        return _("Logging in through %(provider)s did not succeed: the proof of login came from an unknown "
                 "issuer. Try again, or tell your administrator.", provider=chosen.label)
    return _("Logging in through %(provider)s did not succeed: the proof of login was not valid. Try again, "
             "or tell your administrator.", provider=chosen.label)


@bp.route("/login/federated/<name>/callback")
def callback(name: str):
    chosen = _chosen(name)
    try:
        token = federation.client(chosen.name).authorize_access_token()
    except MismatchingStateError:
        return _failed(_("Logging in through %(provider)s did not succeed: the request expired or was changed "
                         "on the way. Start again.", provider=chosen.label))
    except OAuthError:
        return _failed(_("Logging in through %(provider)s did not succeed: the provider refused it. Start again.",
                         provider=chosen.label))
    except (ClaimError, JoseError) as error:
        current_app.logger.warning("federated login refused", extra={"provider": chosen.name,
                                                                     "reason": type(error).__name__})
        return _failed(_token_problem(chosen, error))
    claims = token.get("userinfo") or {}
    subject = claims.get("sub")
    if not subject:
        return _failed(_token_problem(chosen, JoseError()))
    identity = db.session.scalar(select(FederatedIdentity).where(
        FederatedIdentity.issuer == chosen.issuer, FederatedIdentity.subject == str(subject)))
    next_url = session.pop(NEXT, None) or url_for("home.index")
    link = session.pop(LINK, None)
    if identity is None and link:
        return _link(chosen, str(subject), link)
    if identity is None:
        return _no_account(chosen, claims)
    user = identity.user
    if not user.is_active or not federation.fits(chosen, user):
        return _failed(_("Your account cannot log in through %(provider)s. Use the way of logging in your "
                         "invitation gave you.", provider=chosen.label))
    identity.last_login_at = utcnow()
    return sign_in.complete(user, next_url)


def _link(chosen: OidcProvider, subject: str, token: str):
    row = find_token(token, TokenPurpose.INVITATION)
    if row is None:
        return _failed(_("This link is not valid any more: it was used already or has expired. Ask for a new one."))
    user = row.user
    if not federation.fits(chosen, user):
        return _failed(_("%(provider)s is not meant for your role or organisation. Choose another way to log in.",
                         provider=chosen.label))
    db.session.add(FederatedIdentity(user_id=user.id, issuer=chosen.issuer, subject=subject, last_login_at=utcnow()))
    row.used_at = utcnow()
    audit.record("federated_identity.linked", actor=user, detail=f"user {user.id} via {chosen.name}")
    response = sign_in.complete(user, url_for("home.index"))  # a fresh cookie: flash after it
    flash(_("Your account is linked to %(provider)s. From now on, log in with %(provider)s.",
            provider=chosen.label), "success")
    return response


def _no_account(chosen: OidcProvider, claims: dict):
    """Nobody is bound to this provider account: tell whom to ask; a BRIN only names the school."""
    schools = federation.schools_with_brin(claims.get(federation.BRIN_CLAIM)) if chosen.kind == "school" else []
    if schools:
        return _failed(_("There is no account linked to your %(provider)s account yet. Your school, %(school)s, "
                         "uses Welbevinden in beeld: ask its coordinator for an invitation and link your account "
                         "from it.", provider=chosen.label, school=schools[0].name))
    return _failed(_("There is no account linked to your %(provider)s account yet. Ask your coordinator or GGD "
                     "for an invitation and link your account from it.", provider=chosen.label))


@bp.app_template_global()
def federated_providers() -> tuple[OidcProvider, ...]:
    return federation.providers()


@bp.after_app_request
def _allow_forms_to_reach_the_providers(response):
    """The invitation page's link buttons post here and are redirected to the provider; the CSP's
    form-action covers redirects too, so on that page it names the providers' origins as well."""
    if request.endpoint == "accounts.accept_invitation" and federation.providers():
        origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(p.issuer)) for p in federation.providers()})
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", "form-action 'self' " + " ".join(origins))
    return response
