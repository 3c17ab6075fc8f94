"""R15: individuals of a prized collective, up to its quota, initiatives first."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from awards import services
from awards.models import DossierChange, Individual
from units.models import Person

from .conftest import line_of


def add(cast, code, person, achievement="Vận động 120 người tham gia BHXH tự nguyện", initiative=False):
    return services.individual_add(user=cast.compiler, line=line_of(cast.dossier, code), person=person,
                                   achievement=achievement, has_initiative=initiative)


@pytest.mark.parametrize(("code", "quota"), [("AAA", 3), ("BBB", 2), ("CCC", 1)])
def test_each_prize_takes_up_to_its_quota_and_one_more_is_refused(rolled, code, quota):
    people = rolled.people[code]
    for person in people[:quota]:
        add(rolled, code, person)
    with pytest.raises(ValidationError) as refused:
        add(rolled, code, people[quota])
    assert f"tối đa {quota} cá nhân" in refused.value.messages[0]
    assert Individual.objects.filter(line__unit__code=code).count() == quota


def test_a_person_of_another_unit_is_refused_with_a_clear_message(rolled):
    outsider = rolled.people["BBB"][0]
    with pytest.raises(ValidationError) as refused:
        add(rolled, "AAA", outsider)
    message = refused.value.messages[0]
    assert outsider.full_name in message and "BHXH cơ sở B" in message and "không thuộc BHXH cơ sở A" in message
    assert not Individual.objects.exists()


def test_a_person_no_longer_in_post_is_refused(rolled):
    person = rolled.people["AAA"][0]
    Person.objects.filter(pk=person.pk).update(active=False)
    with pytest.raises(ValidationError, match="không còn công tác"):
        add(rolled, "AAA", person)


def test_the_same_person_is_named_once(rolled):
    add(rolled, "AAA", rolled.people["AAA"][0])
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        add(rolled, "AAA", rolled.people["AAA"][0])


def test_an_achievement_is_required(rolled):
    with pytest.raises(ValidationError, match="thành tích"):
        add(rolled, "AAA", rolled.people["AAA"][0], achievement=" ")


def test_those_with_initiatives_are_listed_first(rolled):
    a, b, c = rolled.people["AAA"][:3]
    add(rolled, "AAA", a)
    add(rolled, "AAA", b, initiative=True)
    add(rolled, "AAA", c)
    names = [i.person.full_name for i in line_of(rolled.dossier, "AAA").individuals.all()]
    assert names == [b.full_name, a.full_name, c.full_name]


def test_the_individual_amount_is_the_campaigns(rolled):
    individual = add(rolled, "AAA", rolled.people["AAA"][0])
    assert individual.amount == 500_000


def test_the_database_refuses_a_slot_beyond_the_quota(rolled):
    line = line_of(rolled.dossier, "CCC")
    add(rolled, "CCC", rolled.people["CCC"][0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Individual.objects.create(line=line, person=rolled.people["CCC"][1], achievement="x", slot=2,
                                  quota=1, amount=500_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Individual.objects.create(line=line, person=rolled.people["CCC"][1], achievement="x", slot=1,
                                  quota=1, amount=500_000)


def test_removing_needs_a_reason_and_frees_the_place(rolled):
    first = add(rolled, "CCC", rolled.people["CCC"][0])
    with pytest.raises(ValidationError, match="lý do"):
        services.individual_remove(user=rolled.compiler, individual=first, reason="")
    services.individual_remove(user=rolled.compiler, individual=first, reason="Nhầm người")
    add(rolled, "CCC", rolled.people["CCC"][1])
    actions = list(rolled.dossier.changes.order_by("at", "id").values_list("action", "reason"))
    assert actions[1] == (DossierChange.Action.REMOVE_INDIVIDUAL, "Nhầm người")


def test_editing_an_achievement_is_logged(rolled):
    individual = add(rolled, "AAA", rolled.people["AAA"][0])
    services.individual_update(user=rolled.compiler, individual=individual, achievement="Sáng kiến thu qua app",
                               has_initiative=True, opened=(individual.achievement, individual.has_initiative))
    individual.refresh_from_db()
    assert individual.has_initiative and individual.achievement == "Sáng kiến thu qua app"
    assert rolled.dossier.changes.filter(action=DossierChange.Action.EDIT_INDIVIDUAL).exists()


def test_an_edit_from_a_stale_page_is_refused_and_the_first_kept(rolled):
    individual = add(rolled, "AAA", rolled.people["AAA"][0])
    opened = (individual.achievement, individual.has_initiative)  # two people open the page
    services.individual_update(user=rolled.compiler, individual=individual, achievement="Bản thứ nhất",
                               has_initiative=False, opened=opened)
    with pytest.raises(ValidationError, match="vừa được người khác sửa"):
        services.individual_update(user=rolled.compiler, individual=individual, achievement="Bản thứ hai",
                                   has_initiative=True, opened=opened)
    individual.refresh_from_db()
    assert individual.achievement == "Bản thứ nhất"


def test_an_edit_that_does_not_say_what_it_opened_is_refused(rolled):
    individual = add(rolled, "AAA", rolled.people["AAA"][0])
    with pytest.raises(ValidationError, match="không cho biết"):
        services.individual_update(user=rolled.compiler, individual=individual, achievement="Bản mới",
                                   has_initiative=True, opened=None)
    individual.refresh_from_db()
    assert individual.achievement == "Vận động 120 người tham gia BHXH tự nguyện"
    assert not rolled.dossier.changes.filter(action=DossierChange.Action.EDIT_INDIVIDUAL).exists()


@pytest.mark.parametrize("left_out", [("opened_achievement",), ("opened_initiative",),
                                      ("opened_achievement", "opened_initiative")])
def test_a_stale_edit_posted_without_what_it_opened_is_refused_on_the_page(client, rolled, left_out):
    from django.urls import reverse

    individual = add(rolled, "AAA", rolled.people["AAA"][0])
    services.individual_update(user=rolled.compiler, individual=individual, achievement="Bản thứ nhất",
                               has_initiative=False,
                               opened=(individual.achievement, individual.has_initiative))
    client.force_login(rolled.compiler)
    data = {"opened_achievement": individual.achievement, "opened_initiative": "0",
            "achievement": "Bản cũ ghi đè", "has_initiative": "on"}
    for name in left_out:
        del data[name]
    url = reverse("awards:individual_update", args=[rolled.dossier.pk, individual.pk])
    response = client.post(url, data, follow=True)
    assert any("chưa được lưu" in str(m) for m in response.context["messages"])
    individual.refresh_from_db()
    assert individual.achievement == "Bản thứ nhất"


@pytest.mark.parametrize("who", ["staff_a", "appraiser", "director", "finance"])
def test_only_the_compiler_names_individuals(rolled, who):
    with pytest.raises(PermissionDenied):
        services.individual_add(user=getattr(rolled, who), line=line_of(rolled.dossier, "AAA"),
                                person=rolled.people["AAA"][0], achievement="x")
