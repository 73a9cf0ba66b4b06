"""The scheme's JSON API: read by everyone, changed by HR."""

from kaohe.scheme import service


def test_it_imports_edits_and_publishes_through_the_api(client_as):
    hr = client_as("hr")
    headers = {"X-CSRF-Token": hr.csrf}
    created = hr.post("/api/v1/schemes/2026/drafts", json={"text": service.default_text(2026), "note": "api"},
                      headers=headers)
    assert created.status_code == 201, created.text
    version = created.json()
    assert version["status"] == "draft" and version["version"] == 1 and not version["current"]
    edited = hr.patch(f"/api/v1/schemes/versions/{version['id']}",
                      json={"edits": [{"code": "JI.1", "path": "weight", "value": 70}]}, headers=headers)
    assert edited.status_code == 422
    assert "indicators[3].children: 同级权重之和为 120，应为 100" in edited.json()["errors"]
    fixed = hr.patch(f"/api/v1/schemes/versions/{version['id']}",
                     json={"edits": [{"path": "quotas.limits[0].max_share", "value": "15"}]}, headers=headers)
    assert fixed.status_code == 200
    edited = fixed.json()  # a saved change is a new version (S8)
    assert edited["version"] == 2 and edited["id"] != version["id"] and edited["status"] == "draft"
    published = hr.post(f"/api/v1/schemes/versions/{edited['id']}/publish", headers=headers)
    assert published.status_code == 200 and published.json()["current"] is True

    staff = client_as("staff")
    listed = staff.get("/api/v1/schemes", params={"year": 2026}).json()
    assert [v["version"] for v in listed] == [2, 1]
    document = staff.get(f"/api/v1/schemes/versions/{edited['id']}").json()
    assert document["scheme"]["quotas"]["limits"][0]["max_share"] == 15
    assert "max_share: 15" in staff.get(f"/api/v1/schemes/versions/{edited['id']}/yaml").text
    assert "max_share: 20" in staff.get(f"/api/v1/schemes/versions/{version['id']}/yaml").text  # kept
    assert staff.get("/api/v1/schemes/2026/current").json()["quotas"]["limits"][0]["max_share"] == 15


def test_it_refuses_changes_from_staff_and_inspector(client_as):
    for role in ("staff", "inspector"):
        client = client_as(role)
        headers = {"X-CSRF-Token": client.csrf}
        response = client.post("/api/v1/schemes/2026/drafts", json={"text": service.default_text(2026)},
                               headers=headers)
        assert response.status_code == 403
        assert client.post("/api/v1/schemes/2026/freeze", headers=headers).status_code == 403
        assert client.get("/api/v1/schemes/2026/current").status_code == 200


def test_it_refuses_an_invalid_document_with_every_problem(client_as):
    hr = client_as("hr")
    response = hr.post("/api/v1/schemes/2026/drafts", json={"text": "year: 2026\nname: x\n"},
                       headers={"X-CSRF-Token": hr.csrf})
    assert response.status_code == 422
    assert len(response.json()["errors"]) > 5
