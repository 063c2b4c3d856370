"""Supporting files of a team's assessment: the leader's proof of achievements, the county's evidence
for a deduction; refused files write nothing, and the files are served only within scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from support.places import OTHER_VILLAGE, VILLAGE

from fupin.accounts.roles import Role
from fupin.assessment import services
from fupin.assessment.models import AssessmentEvidence
from fupin.core import uploads
from fupin.core.errors import PermissionDenied, ValidationFailed

from .process_kit import entries

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% proof\n"


def _pdf(name="驻村工作实绩.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _ours(round_):
    return next(e for e in entries(round_) if e.area.code == VILLAGE)


def _stored_files() -> set[str]:
    return {p.name for p in uploads.folder(services.EVIDENCE_AREA).iterdir()}


def test_leader_adds_proof_and_the_county_a_deduction_proof(round_, people):
    entry = _ours(round_)
    made = services.evidence_add(actor=people.leader, entry=entry, uploads=[_pdf()], kind="proof", note="投入资金凭证")
    assert made[0].file_name == "驻村工作实绩.pdf" and made[0].size == len(PDF)
    services.evidence_add(actor=people.officer, entry=entry, uploads=[_pdf("日志缺失照片.png", b"\x89PNG....")],
                          kind="deduction", indicator="20")
    assert list(AssessmentEvidence.objects.values_list("kind", "indicator")) == [("deduction", "20"), ("proof", "")]


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"uploads": [_pdf("病毒.exe")], "kind": "proof"}, "bad_file_type"),
    ({"uploads": [_pdf(content=b"")], "kind": "proof"}, "empty_file"),
    ({"uploads": [_pdf() for _ in range(11)], "kind": "proof"}, "too_many_files"),
    ({"uploads": [], "kind": "proof"}, "no_files"),
    ({"uploads": [_pdf()], "kind": "photo"}, "bad_kind"),
])
def test_bad_uploads_write_nothing(round_, people, kwargs, code):
    before = _stored_files()
    with pytest.raises(ValidationFailed) as caught:
        services.evidence_add(actor=people.leader, entry=_ours(round_), **kwargs)
    assert caught.value.code == code
    assert not AssessmentEvidence.objects.exists() and _stored_files() == before


def test_a_deduction_needs_a_known_indicator(round_, people):
    with pytest.raises(ValidationFailed, match="没有指标99"):
        services.evidence_add(actor=people.officer, entry=_ours(round_), uploads=[_pdf()], kind="deduction",
                              indicator="99")


def test_only_the_leader_adds_proof_and_only_the_county_deductions(round_, people):
    entry = _ours(round_)
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=people.member, entry=entry, uploads=[_pdf()], kind="proof")
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=people.leader, entry=entry, uploads=[_pdf()], kind="deduction", indicator="20")
    assert not AssessmentEvidence.objects.exists()


def test_files_are_served_within_scope(client, round_, people, make_user, token_for):
    entry = _ours(round_)
    item = services.evidence_add(actor=people.leader, entry=entry, uploads=[_pdf()], kind="proof")[0]
    url = f"/assessment/entries/{entry.pk}/evidence/{item.pk}/"
    client.force_login(people.township)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(make_user(Role.WORKTEAM_MEMBER, OTHER_VILLAGE))
    assert client.get(url).status_code == 404
    api = client.get(f"/api/assessment/entries/{entry.pk}/evidence/{item.pk}",
                     HTTP_AUTHORIZATION=f"Bearer {token_for(people.officer)}")
    assert api.status_code == 200


def test_upload_through_the_page_and_the_api(client, round_, people, token_for):
    entry = _ours(round_)
    client.force_login(people.leader)
    page = client.get(f"/assessment/entries/{entry.pk}/").content.decode()
    assert "工作实绩证明材料" in page
    response = client.post(f"/assessment/entries/{entry.pk}/evidence/", {"kind": "proof", "files": [_pdf()]})
    assert response.status_code == 302
    response = client.post(f"/assessment/entries/{entry.pk}/evidence/", {"kind": "proof", "files": [_pdf("x.exe")]})
    assert response.status_code == 400 and "佐证材料只能是" in response.content.decode()
    r = client.post(f"/api/assessment/entries/{entry.pk}/evidence", {"kind": "deduction", "indicator": "22",
                                                                     "files": [_pdf("考勤表.pdf")]},
                    HTTP_AUTHORIZATION=f"Bearer {token_for(people.officer)}")
    assert r.status_code == 201 and r.json()[0]["indicator"] == "22"
    assert AssessmentEvidence.objects.count() == 2
