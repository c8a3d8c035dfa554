"""Who may take which course: leerweg, profiel, leerjaar and school kind, plus orienting courses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from maakstad.electives.models import Course
from maakstad.organisations.models import Pupil


@dataclass(frozen=True)
class CourseRule:
    """A course's eligibility, read once (the m2m sets must be prefetched)."""

    course_id: int
    leerweg_ids: frozenset[int]
    profile_ids: frozenset[int]
    leerjaren: frozenset[int]
    school_kinds: frozenset[str]
    is_orienting: bool

    @classmethod
    def of(cls, course: Course) -> CourseRule:
        return cls(
            course_id=course.pk,
            leerweg_ids=frozenset(t.pk for t in course.leerwegen.all()),
            profile_ids=frozenset(t.pk for t in course.profiles.all()),
            leerjaren=frozenset(course.leerjaren),
            school_kinds=frozenset(course.school_kinds),
            is_orienting=course.is_orienting,
        )

    def admits(self, pupil: Pupil, *, school_kind: str, has_technical_profile: bool) -> bool:
        if self.school_kinds and school_kind not in self.school_kinds:
            return False
        if self.leerjaren and pupil.leerjaar not in self.leerjaren:
            return False
        if self.leerweg_ids and pupil.leerweg_id not in self.leerweg_ids:
            return False
        if self.profile_ids and pupil.profile_id not in self.profile_ids:
            # An orienting course also takes pupils who have no technical profile (yet).
            return self.is_orienting and not has_technical_profile
        return True


def pupil_has_technical_profile(pupil: Pupil) -> bool:
    return bool(pupil.profile_id and pupil.profile and pupil.profile.is_technical)


def is_eligible(course: Course, pupil: Pupil) -> bool:
    return CourseRule.of(course).admits(
        pupil,
        school_kind=pupil.school.kind,
        has_technical_profile=pupil_has_technical_profile(pupil),
    )


def eligible_course_ids(rules: Iterable[CourseRule], pupil: Pupil) -> set[int]:
    technical = pupil_has_technical_profile(pupil)
    kind = pupil.school.kind
    return {
        r.course_id
        for r in rules
        if r.admits(pupil, school_kind=kind, has_technical_profile=technical)
    }
