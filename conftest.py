import os


def pytest_sessionfinish(session, exitstatus):
    """In CI (REQUIRE_NO_SKIPS=1) a skipped test fails the run: no test may be skipped for want of a service."""
    if os.environ.get("REQUIRE_NO_SKIPS") != "1" or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"REQUIRE_NO_SKIPS: {len(skipped)} test(s) skipped; failing the run.", red=True)
        session.exitstatus = 1
