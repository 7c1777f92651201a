"""Plain domain modules: school years and configuration."""
from datetime import date

import pytest

from wellbeing.config import ConfigError, load_settings
from wellbeing.schoolyear import SchoolYear


@pytest.mark.parametrize("day, expected", [(date(2025, 8, 1), "2025-2026"), (date(2026, 7, 31), "2025-2026"),
                                           (date(2026, 8, 1), "2026-2027"), (date(2026, 1, 15), "2025-2026")])
def test_school_year_runs_from_august_to_july(day, expected):
    assert str(SchoolYear.containing(day)) == expected
    assert day in SchoolYear.parse(expected)


@pytest.mark.parametrize("text", ["2025-2027", "2025/2026", "25-26", ""])
def test_malformed_school_years_are_refused(text):
    with pytest.raises(ValueError):
        SchoolYear.parse(text)


def test_school_years_order_and_step():
    year = SchoolYear.parse("2024-2025")
    assert year + 1 == SchoolYear.parse("2025-2026") and year - 1 < year


def test_production_refuses_to_start_without_a_real_secret():
    with pytest.raises(ConfigError):
        load_settings(env={"WELLBEING_ENV": "production"})
    with pytest.raises(ConfigError):
        load_settings(env={"WELLBEING_ENV": "production", "SECRET_KEY": "short"})
    assert load_settings(env={"WELLBEING_ENV": "production", "SECRET_KEY": "x" * 40,
                              "BASE_URL": "https://welbevinden.example.nl"}).production


@pytest.mark.parametrize("base_url", ["", "http://welbevinden.example.nl", "welbevinden.example.nl",
                                      "https://welbevinden.example.nl/?x=1", "javascript:alert(1)"])
def test_production_refuses_to_start_without_a_checked_https_base_url(base_url):
    """Links in mails and on the code sheet must point where the team can reach the app."""
    with pytest.raises(ConfigError, match="BASE_URL"):
        load_settings(env={"WELLBEING_ENV": "production", "SECRET_KEY": "x" * 40, "BASE_URL": base_url})


def test_base_url_in_development_comes_from_the_environment_or_the_make_run_default():
    assert load_settings(env={}).base_url == "http://127.0.0.1:5000"
    assert load_settings(env={"BASE_URL": "http://0.0.0.0:5101/"}).base_url == "http://0.0.0.0:5101"
    with pytest.raises(ConfigError, match="BASE_URL"):
        load_settings(env={"BASE_URL": "ftp://example.nl"})


def test_embedded_defaults_are_sqlite_and_inline_jobs():
    settings = load_settings(env={})
    assert settings.database_url.startswith("sqlite:///") and settings.redis_url is None


def test_anonymity_thresholds_never_go_below_three():
    settings = load_settings(env={"MIN_RESPONDENTS": "1", "MIN_SCHOOLS": "2"})
    assert settings.min_respondents == 3 and settings.min_schools == 3
