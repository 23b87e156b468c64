"""Identity precedence and detection from fake __main__ modules and argv (no real process state)."""
import types

import pytest

from tagpipe_collector.identity import Identity, resolve


def script(path):
    m = types.ModuleType("__main__")
    m.__file__ = path
    m.__spec__ = None
    return m


def module(name, path="/somewhere/x.py"):
    m = types.ModuleType("__main__")
    m.__file__ = path
    m.__spec__ = types.SimpleNamespace(name=name)
    return m


def ident(main=None, argv=("prog",), env=None, explicit=None):
    return resolve(explicit=explicit, environ=env or {}, main_module=main or types.ModuleType("__main__"),
                   argv=list(argv))


def test_two_main_py_in_one_monorepo_get_different_labels():
    assert ident(script("/srv/repo/services/billing/api/main.py")) == Identity("billing-api", "script")
    assert ident(script("/srv/repo/services/search/indexer/main.py")) == Identity("search-indexer", "script")


def test_a_named_script_is_its_own_label():
    assert ident(script("/opt/jobs/nightly_report.py")) == Identity("nightly_report", "script")


def test_python_dash_m_uses_the_module_path():
    assert ident(module("pkg.worker")) == Identity("worker", "module")
    assert ident(module("services.billing.worker.__main__")) == Identity("billing-worker", "module")


def test_running_a_directory_uses_its_path():
    assert ident(module("__main__", "/srv/repo/tools/exporter/__main__.py")) == Identity("tools-exporter", "script")


def test_zipapp_name_without_suffix():
    assert ident(module("__main__", "/opt/bin/report.pyz/__main__.py")) == Identity("bin-report", "script")


def test_interactive_or_dash_c_is_unknown():
    assert ident(script("<stdin>")) == Identity("unknown_service:python", "unknown")
    assert ident(types.ModuleType("__main__")) == Identity("unknown_service:python", "unknown")


@pytest.mark.parametrize("argv,label", [
    (["/usr/bin/gunicorn", "-w", "4", "-b", "0.0.0.0:8000", "services.billing.api.main:app"], "billing-api"),
    (["/usr/bin/gunicorn", "--bind", "localhost:8000", "-k", "uvicorn.workers.UvicornWorker",
      "services.search.web.app:create_app()"], "search-web"),
    (["/usr/local/bin/uvicorn", "services.search.indexer.asgi:application", "--port", "8001"], "search-indexer"),
    (["/usr/bin/celery", "-A", "proj", "worker", "-l", "INFO"], "proj"),
    (["/usr/bin/celery", "--app=services.billing.tasks", "worker"], "tasks"),
    (["/usr/bin/celery", "-Aservices.mail.celery_app", "beat"], "celery_app"),
])
def test_launchers_are_looked_through_to_the_app_module(argv, label):
    assert ident(script(argv[0]), argv=argv) == Identity(label, "module")


def test_python_dash_m_launcher_is_looked_through():
    argv = ["/usr/lib/python3/dist-packages/uvicorn/__main__.py", "billing.api.main:app"]
    assert ident(module("uvicorn.__main__"), argv=argv) == Identity("billing-api", "module")


def test_launcher_without_app_argument_names_the_launcher():
    assert ident(script("/usr/bin/gunicorn"), argv=["/usr/bin/gunicorn", "-c", "conf.py"]) == Identity("gunicorn", "module")


def test_precedence_explicit_env_otel_resource_then_detection():
    main = script("/srv/services/billing/api/main.py")
    env = {"TAGPIPE_APP": "From Env", "OTEL_SERVICE_NAME": "otel-name",
           "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,service.name=res%20name"}
    assert ident(main, env=env, explicit="Billing API") == Identity("billing-api", "explicit")
    assert ident(main, env=env) == Identity("from-env", "env")
    del env["TAGPIPE_APP"]
    assert ident(main, env=env) == Identity("otel-name", "otel")
    del env["OTEL_SERVICE_NAME"]
    assert ident(main, env=env) == Identity("res-name", "otel")
    del env["OTEL_RESOURCE_ATTRIBUTES"]
    assert ident(main, env=env) == Identity("billing-api", "script")


def test_unusable_env_value_falls_through_to_the_next_rule():
    assert ident(script("/srv/a/b/main.py"), env={"TAGPIPE_APP": "!!!"}) == Identity("a-b", "script")


def test_unusable_explicit_app_is_a_configuration_error():
    with pytest.raises(ValueError, match="no usable character"):
        ident(explicit="???")
