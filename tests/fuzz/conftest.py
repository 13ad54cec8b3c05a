"""Hypothesis settings for the fuzz tests: bounded and reproducible, so CI runs them on every push.

`derandomize` draws the same examples on every run (a failure in CI fails again on a laptop), and
`database=None` writes no example database into the checkout. HYPOTHESIS_PROFILE=explore searches
longer and differently on each run, for a session of bug hunting; a failure it finds prints the
example to turn into a regular test.

The examples of a test share its function-scoped data on purpose: every request is read-only, or is
rolled back to a savepoint, so the health check against function-scoped fixtures is switched off.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

SHARED = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=60, derandomize=True, print_blob=True, **SHARED)
settings.register_profile("explore", max_examples=500, **SHARED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """A fuzz test sends hundreds of searches and filtered lists from one address within a minute: it checks
    each page's answer, not the rate limit (tests/test_ratelimit.py does), which would answer 429 from the 31st."""
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, 0)
