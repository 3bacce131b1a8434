"""The OpenAPI schema validates without a single warning, documents the error format on every
operation, and its docs are served from this site (no CDN)."""

from io import StringIO

import yaml
from django.core.management import call_command

SCHEMA_PATH = "/api/schema/"


def test_the_schema_validates_without_warnings(tmp_path) -> None:
    out, err = StringIO(), StringIO()
    target = tmp_path / "schema.yaml"
    # --fail-on-warn raises on any warning; --validate checks it against the OpenAPI 3 spec.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(target), stdout=out, stderr=err
    )
    assert "Warning" not in err.getvalue()
    schema = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(api) -> None:
    response = api(None).get(SCHEMA_PATH, {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "ErrorResponse" in schema["components"]["schemas"]
    public = {"/api/programmes/", "/api/programmes/{code}/"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = {c for c in operation["responses"] if c.startswith("4")}
            if path not in public:
                assert {"401", "403"} <= codes or path == "/api/auth/token/", (path, method)
            for code in codes:
                ref = operation["responses"][code]["content"]["application/json"]["schema"]
                assert ref == {"$ref": "#/components/schemas/ErrorResponse"}, (path, code)
    recording = schema["paths"]["/api/uses/"]["post"]
    assert {"200", "201", "422"} <= set(recording["responses"])
    assert any(
        p["name"] == "Idempotency-Key" and p["in"] == "header" for p in recording["parameters"]
    )


def test_the_docs_are_self_hosted(api) -> None:
    for path in ("/api/docs/", "/api/redoc/"):
        response = api(None).get(path)
        assert response.status_code == 200
        page = response.content.decode()
        assert "drf_spectacular_sidecar" in page and "cdn" not in page.lower()
