"""rows_shared_by_the_scope (tests/conftest.py): built once for a class, seen unchanged by each
of its tests whatever the previous one wrote, gone when the class ends.

The tests of the class run in the order written (pytest keeps file order; pytest-xdist's
loadscope keeps a class on one worker).
"""

import pytest

from units.models import Unit

from .conftest import rows_shared_by_the_scope


def build_unit() -> Unit:
    return Unit.objects.create(code="SHR", name="Đơn vị dùng chung", kind=Unit.Kind.LOCAL_OFFICE)


@pytest.fixture(scope="class")
def shared_unit(django_db_setup, django_db_blocker):
    with rows_shared_by_the_scope(django_db_blocker, build_unit) as unit:
        yield unit


class TestRowsSharedByAClass:
    def test_a_test_sees_the_shared_rows_and_may_write_over_them(self, db, shared_unit):
        assert Unit.objects.get(pk=shared_unit.pk).name == "Đơn vị dùng chung"
        Unit.objects.filter(pk=shared_unit.pk).update(name="Đã sửa")
        Unit.objects.create(code="NEW", name="Đơn vị mới", kind=Unit.Kind.LOCAL_OFFICE)
        assert Unit.objects.count() == 2

    def test_the_next_test_sees_them_as_built_and_nothing_of_the_last_ones_writes(self, db, shared_unit):
        assert Unit.objects.get(pk=shared_unit.pk).name == "Đơn vị dùng chung"
        assert list(Unit.objects.values_list("code", flat=True)) == ["SHR"]


def test_after_the_class_the_shared_rows_are_gone(db):
    assert not Unit.objects.filter(code__in=["SHR", "NEW"]).exists()
