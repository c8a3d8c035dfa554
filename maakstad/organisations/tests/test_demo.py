from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from maakstad.accounts.models import User
from maakstad.core.demo import DEMO_LOGINS
from maakstad.organisations.demo_data.places import REGION_BOX
from maakstad.organisations.models import Location, Organisation, Pupil
from maakstad.organisations.permissions import memberships


def _counts() -> list[tuple[str, int]]:
    return sorted((m._meta.label, m._default_manager.count()) for m in apps.get_models())


@pytest.mark.django_db
def test_demo_region_matches_the_plan_and_is_idempotent() -> None:
    out = StringIO()
    call_command("load_demo", "--pupils", "300", stdout=out)
    assert "leerkracht@po.demo" in out.getvalue()
    kinds = dict(Organisation.objects.values_list("kind").annotate(Count("id")))
    assert kinds["pro"] + kinds["vso"] == 13
    assert kinds["mbo"] >= 5 and kinds["company"] >= 50 and kinds["po"] >= 20
    vmbo = Organisation.objects.filter(kind="vmbo").prefetch_related("offerings__profile")
    technical = [school for school in vmbo if school.has_technical_profile]
    assert len(technical) == 10 and len(vmbo) - len(technical) == 17
    assert (
        Location.objects.filter(organisation__name="Scheepvaart- en Transport College").count() == 2
    )
    lat_min, lat_max, lng_min, lng_max = REGION_BOX
    for location in Location.objects.all():
        assert location.latitude is not None and location.longitude is not None
        lat, lng = float(location.latitude), float(location.longitude)
        assert lat_min <= lat <= lat_max and lng_min <= lng <= lng_max, location
        location.full_clean()  # valid postcode and vestigingscode
    for org in Organisation.objects.all():
        org.full_clean()  # valid BRIN and KvK
    assert 250 <= Pupil.objects.count() <= 300 + 1
    # Most contact persons confirmed their entry recently; a few did not.
    from maakstad.catalogue.selectors import stale_cutoff
    from maakstad.organisations.models import Membership

    contacts = Membership.objects.filter(is_contact=True)
    fresh = contacts.filter(confirmed_at__gte=stale_cutoff()).count()
    assert contacts.count() > fresh > contacts.count() / 2
    before = _counts()
    call_command("load_demo", "--pupils", "300", "--quiet-logins", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_every_demo_login_exists_with_its_role() -> None:
    call_command("load_demo", "--pupils", "100", "--quiet-logins", stdout=StringIO())
    expected = {
        "programma@techtown.demo": ("programme_manager", "TechTown programmabureau"),
        "docent@dehef.demo": ("teacher", "RVC de Hef"),
        "mentor@dehef.demo": ("mentor", "RVC de Hef"),
        "leerling@dehef.demo": ("pupil", "RVC de Hef"),
        "contact@lomans.demo": ("company_contact", "Lomans"),
        "mbo@tcr.demo": ("mbo_staff", "Techniek College Rotterdam"),
    }
    assert {email for email, _ in DEMO_LOGINS} == {*expected, "leerkracht@po.demo"}
    for email, (role, organisation) in expected.items():
        user = User.objects.get(email=email)
        assert user.check_password("maakstad-demo")
        assert (role, organisation) in {(m.role, m.organisation.name) for m in memberships(user)}
    teacher = User.objects.get(email="leerkracht@po.demo")
    assert {m.organisation.kind for m in memberships(teacher)} == {"po"}
    pupil = User.objects.get(email="leerling@dehef.demo").pupil
    assert pupil.leerjaar == 3 and pupil.profile is not None and pupil.profile.code == "PIE"
    assert pupil.guardians.exists()
