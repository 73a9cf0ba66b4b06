import pytest


@pytest.mark.parametrize("i", range(20))
def test_probe(i, client_as):
    c = client_as("hr")
    assert c.get("/staff", follow_redirects=False).status_code == 200
