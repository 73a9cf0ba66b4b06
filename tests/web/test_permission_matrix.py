import pytest


@pytest.mark.parametrize("i", range(40))
def test_probe(i, client_as):
    c = client_as("hr")
    assert c.get("/healthz", follow_redirects=False).status_code == 200


@pytest.mark.parametrize("i", range(40))
def test_probe_pages(i, client_as):
    c = client_as("hr")
    assert c.get("/calendar", follow_redirects=False).status_code == 200
