"""Practice classes are deleted once their time is over, by the daily purge
(``manage.py purge_departed``)."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.actions import purge_practice_classes
from accounts.models import User
from classroom.actions import do_create_practice_class
from schools.models import SchoolClass


def test_the_purge_deletes_the_practice_classes_past_their_date(practice, school_class):
    current, _letters = practice
    old, old_letters = do_create_practice_class(school_class.establishment, 2)
    SchoolClass.objects.filter(pk=old.pk).update(practice_until=timezone.now() - timedelta(days=1))
    assert purge_practice_classes() == 1
    assert set(SchoolClass.objects.values_list("pk", flat=True)) == {school_class.pk, current.pk}
    assert not User.objects.filter(pk__in=[item.user.pk for item in old_letters]).exists()


def test_the_purge_keeps_them_until_their_date(practice):
    current, _letters = practice
    assert purge_practice_classes(now=current.practice_until - timedelta(minutes=1)) == 0
    assert purge_practice_classes(now=current.practice_until) == 1


def test_the_daily_purge_command_deletes_them(practice):
    current, _letters = practice
    SchoolClass.objects.filter(pk=current.pk).update(
        practice_until=timezone.now() - timedelta(days=1)
    )
    out = StringIO()
    call_command("purge_departed", stdout=out)
    assert "1 classe d'entraînement supprimée" in out.getvalue()
    assert not SchoolClass.objects.filter(pk=current.pk).exists()
