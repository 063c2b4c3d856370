"""Pages and endpoints against the permission matrix, the upload page and API, and handling on the page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from support.matrix import Matrix
from support.places import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Department, Role
from fupin.core.validators import mask_id_number
from fupin.feeds.models import DepartmentAlert, FeedUpload
from fupin.feeds.services import feed_load

from .conftest import MEDICAL_HEADER, claim, persons, write_csv

pytestmark = pytest.mark.django_db
CLERK, DEPT = Role.VILLAGE_CLERK, Role.DEPARTMENT_USER
MED = Department.MEDICAL_INSURANCE


@pytest.fixture
def loaded(tmp_path, medical, family_here):
    wang = persons(family_here)[0]
    rows = [claim(wang, "A1", out_of_pocket="99999"), claim(wang, "A1", out_of_pocket="99999")]
    upload = feed_load(actor=medical, kind_key="medical_insurance", county_code=COUNTY, year=2020,
                       path=write_csv(tmp_path / "医保5月.csv", MEDICAL_HEADER, rows))
    return upload, DepartmentAlert.objects.get()


def test_alert_list(make_user, token_for, loaded):
    _upload, alert = loaded
    Matrix("/feeds/", CLERK, VILLAGE, OTHER_VILLAGE, marker=alert.household.household_number,
           other_area_refused=False).check(make_user, token_for)


def test_alert_page(make_user, token_for, loaded):
    Matrix(f"/feeds/alerts/{loaded[1].pk}/", CLERK, VILLAGE, OTHER_VILLAGE, marker="核实处理").check(
        make_user, token_for)


def test_alert_api(make_user, token_for, loaded):
    Matrix(f"/api/feeds/alerts/{loaded[1].pk}", Role.TOWNSHIP_REVIEWER, "210922101", "210922102", api=True,
           marker="medical_cost_over_income").check(make_user, token_for)


def test_upload_list(make_user, token_for, loaded):
    Matrix("/feeds/uploads/", DEPT, COUNTY, OTHER_COUNTY, department=MED, marker="医保5月.csv",
           other_area_refused=False).check(make_user, token_for)


def test_upload_page(make_user, token_for, loaded):
    Matrix(f"/feeds/uploads/{loaded[0].pk}/", DEPT, COUNTY, OTHER_COUNTY, department=MED, marker="与第2行重复").check(
        make_user, token_for)


def test_upload_api(make_user, token_for, loaded):
    Matrix(f"/api/feeds/uploads/{loaded[0].pk}", Role.COUNTY_OFFICER, COUNTY, OTHER_COUNTY, api=True,
           marker="医保5月.csv").check(make_user, token_for)


def test_a_department_user_sees_neither_alerts_nor_other_departments_files(client, make_user, loaded):
    civil = make_user(DEPT, COUNTY, department=Department.CIVIL_AFFAIRS)
    client.force_login(civil)
    assert client.get("/feeds/").status_code == 403
    assert client.get(f"/feeds/alerts/{loaded[1].pk}/").status_code == 403
    assert "医保5月.csv" not in client.get("/feeds/uploads/").content.decode()
    assert client.get(f"/feeds/uploads/{loaded[0].pk}/").status_code == 404


def test_the_row_report_masks_id_numbers_for_the_department(client, medical, officer, loaded, family_here):
    number = persons(family_here)[0].id_number
    client.force_login(medical)
    page = client.get(f"/feeds/uploads/{loaded[0].pk}/").content.decode()
    assert mask_id_number(number) in page and number not in page
    client.force_login(officer)
    assert number in client.get(f"/feeds/uploads/{loaded[0].pk}/").content.decode()


def test_uploading_a_gbk_file_on_the_page(client, medical, family_here, tmp_path):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "gbk.csv", MEDICAL_HEADER, [claim(wang, "A7", out_of_pocket="99999")], encoding="gbk")
    client.force_login(medical)
    response = client.post("/feeds/uploads/", {"kind": "medical_insurance", "year": "2020",
                                               "file": SimpleUploadedFile("gbk.csv", path.read_bytes())})
    upload = FeedUpload.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/feeds/uploads/{upload.pk}/"
    assert (upload.rows_accepted, upload.alerts_raised) == (1, 1)
    # a department only gets to choose its own kinds
    assert "民政" not in client.get("/feeds/uploads/").content.decode().split("<form")[1].split("</form>")[0]


def test_a_wrong_layout_on_the_page_says_which_columns(client, medical, family_here, tmp_path):
    path = write_csv(tmp_path / "bad.csv", ["姓名", "身份证号"], [["王福", persons(family_here)[0].id_number]])
    client.force_login(medical)
    page = client.post("/feeds/uploads/", {"kind": "medical_insurance", "file": SimpleUploadedFile(
        "bad.csv", path.read_bytes())}).content.decode()
    assert "缺少列：结算单号、结算日期、医疗总费用、个人自付金额" in page


def test_uploading_over_the_api_and_bad_file_types(medical, token_for, family_here, tmp_path):
    wang = persons(family_here)[0]
    path = write_csv(tmp_path / "m.csv", MEDICAL_HEADER, [claim(wang, "A8"), ["x", "123", "A9", "", "", "2020-01-01",
                                                                              "1", "1"]])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(medical)}")
    response = api.post("/api/feeds/uploads", {"kind": "medical_insurance", "year": "2020",
                                               "file": SimpleUploadedFile("m.csv", path.read_bytes())})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["rows_accepted"], body["rows_invalid"]) == (1, 1) and body["problems"][0]["row"] == 3
    response = api.post("/api/feeds/uploads", {"kind": "medical_insurance",
                                               "file": SimpleUploadedFile("m.pdf", b"%PDF")})
    assert response.status_code == 400 and "只能上传" in response.json()["error"]["message"]


def test_handling_on_the_page_and_over_the_api(client, make_user, token_for, loaded):
    alert = loaded[1]
    clerk = make_user(CLERK, VILLAGE)
    client.force_login(clerk)
    page = client.get(f"/feeds/alerts/{alert.pk}/").content.decode()
    assert "99999.00" in page and "rigid_expenditure_factor" in page
    response = client.post(f"/feeds/alerts/{alert.pk}/", {"outcome": "verified", "note": "", "version": 1})
    assert "请填写" in response.content.decode() or "必填" in response.content.decode() or "required" in \
        response.content.decode()
    response = client.post(f"/feeds/alerts/{alert.pk}/", {"outcome": "verified", "note": "已入户核实", "version": 1})
    assert response.status_code == 302
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(clerk)}")
    stale = api.post(f"/api/feeds/alerts/{alert.pk}/handle", {"outcome": "not_applicable", "note": "x", "version": 1},
                     content_type="application/json")
    assert stale.status_code == 409
    assert api.get("/api/feeds/alerts?status=verified").json()["count"] == 1
