import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_lists_the_account_endpoints(schema):
    paths = schema["paths"]
    for path in (
        "/api/users/",
        "/api/users/me/",
        "/api/users/{id}/",
        "/api/users/{id}/roles/",
        "/api/users/{id}/roles/{role}/",
        "/api/auth/token/",
        "/api/auth/token/refresh/",
        "/api/auth/token/verify/",
        "/api/auth/token/blacklist/",
    ):
        assert path in paths, path


def test_errors_are_documented_as_problems(schema):
    register = schema["paths"]["/api/users/"]["post"]["responses"]
    assert "201" in register
    assert "400" in register
    assert "429" in register
    problem = register["400"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    me = schema["paths"]["/api/users/me/"]["get"]["responses"]
    assert "401" in me
    assert "password" not in str(schema["components"]["schemas"]["UserOutput"])


def test_registration_needs_no_auth_in_the_schema(schema):
    assert {"jwtAuth": []} not in schema["paths"]["/api/users/"]["post"].get("security", [])
    assert {"jwtAuth": []} in schema["paths"]["/api/users/me/"]["get"]["security"]


def test_schema_and_docs_pages_are_served(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content
    swagger = api.get("/api/docs/")
    assert swagger.status_code == 200
    assert b"swagger-ui" in swagger.content
    # Every script and stylesheet is served from here, none from a CDN (the page's CSRF token
    # is random text, so look at the addresses, not at the whole page).
    assets = re.findall(rb'(?:src|href)="([^"]+)"', swagger.content)
    assert assets
    assert not [a for a in assets if a.startswith((b"http:", b"https:", b"//"))]
    redoc = api.get("/api/docs/redoc/")
    assert redoc.status_code == 200
    assert b"redoc" in redoc.content.lower()
