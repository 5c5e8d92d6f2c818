"""The desk always keeps an active admin: demoting or deactivating the last one is refused
by the user service, whichever way it is asked (the service, the admin's user form,
`create_user`), and changes nothing."""

from __future__ import annotations

import os
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from annotations import permissions, services
from annotations.roles import Role
from tests.factories import make_user

User = get_user_model()


def _role(user: Any) -> Role | None:
    return permissions.role_of(User.objects.get(pk=user.pk))


def _user_form(user: Any, **changes: str) -> dict[str, str]:
    data = {"username": user.username, "role": "admin", "is_active": "on"}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.django_db
class TestTheService:
    @pytest.mark.parametrize("role", [Role.REVIEWER, Role.EDITOR, None])
    def test_the_last_admin_cannot_be_demoted(self, admin_user: Any, role: Role | None) -> None:
        with pytest.raises(ValidationError, match="last active admin"):
            services.user_set_role(user=admin_user, role=role)
        assert _role(admin_user) == Role.ADMIN
        assert User.objects.get(pk=admin_user.pk).is_staff

    def test_the_last_admin_cannot_be_deactivated(self, admin_user: Any) -> None:
        from annotations.services.users import user_save

        admin_user.is_active = False
        with pytest.raises(ValidationError, match="last active admin"):
            user_save(user=admin_user, role=Role.ADMIN)
        assert User.objects.get(pk=admin_user.pk).is_active

    def test_an_admin_may_be_demoted_while_another_remains(self, admin_user: Any) -> None:
        other = make_user(Role.ADMIN, "boss2")
        services.user_set_role(user=admin_user, role=Role.EDITOR)
        assert _role(admin_user) == Role.EDITOR
        with pytest.raises(ValidationError):
            services.user_set_role(user=other, role=Role.EDITOR)
        assert _role(other) == Role.ADMIN

    def test_an_active_superuser_counts_as_an_admin(self, admin_user: Any) -> None:
        User.objects.create_superuser("root", password="not-used-here-1")
        services.user_set_role(user=admin_user, role=None)
        assert _role(admin_user) is None

    def test_an_inactive_admin_does_not_count(self, admin_user: Any) -> None:
        asleep = make_user(Role.ADMIN, "asleep")
        User.objects.filter(pk=asleep.pk).update(is_active=False)
        root = User.objects.create_superuser("root", password="not-used-here-1")
        User.objects.filter(pk=root.pk).update(is_active=False)
        with pytest.raises(ValidationError):
            services.user_set_role(user=admin_user, role=Role.REVIEWER)

    def test_other_users_are_managed_freely_when_no_admin_is_left_to_guard(self) -> None:
        """A desk without any admin yet (a fresh install) is not stuck."""
        editor = make_user(Role.EDITOR, "ed")
        services.user_set_role(user=editor, role=Role.REVIEWER)
        services.user_set_role(user=editor, role=None)
        assert _role(editor) is None


@pytest.mark.django_db
class TestTheAdmin:
    def test_the_last_admin_cannot_demote_or_deactivate_themselves(self, admin_user: Any) -> None:
        client = Client()
        client.force_login(admin_user)
        url = reverse("admin:auth_user_change", args=[admin_user.pk])
        for changes in ({"role": "reviewer"}, {"role": ""}, {"is_active": None}):
            response = client.post(url, _user_form(admin_user, email="x@example.org", **changes))
            assert response.status_code == 302 and response["Location"] == url, changes
            shown = [str(m) for m in get_messages(response.wsgi_request)]
            assert any("last active admin" in message for message in shown), shown
            again = User.objects.get(pk=admin_user.pk)
            assert again.is_active and _role(again) == Role.ADMIN
            assert again.email == "", "nothing of the refused form was saved"
        assert client.get(url).status_code == 200

    def test_another_admin_may_be_deactivated_until_one_is_left(self, admin_user: Any) -> None:
        other = make_user(Role.ADMIN, "boss2")
        client = Client()
        client.force_login(admin_user)
        url = reverse("admin:auth_user_change", args=[other.pk])
        assert client.post(url, _user_form(other, is_active=None)).status_code == 302
        assert not User.objects.get(pk=other.pk).is_active
        own = reverse("admin:auth_user_change", args=[admin_user.pk])
        client.post(own, _user_form(admin_user, role="editor"))
        assert _role(admin_user) == Role.ADMIN


@pytest.mark.django_db
def test_create_user_refuses_to_demote_the_last_admin(
    admin_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(os.environ, "FACTCHECK_PASSWORD", "a-fresh-passphrase-for-2025")
    with pytest.raises(CommandError, match="boss is the last active admin"):
        call_command("create_user", "boss", role="editor", stdout=StringIO())
    refreshed = User.objects.get(pk=admin_user.pk)
    assert permissions.role_of(refreshed) == Role.ADMIN
    assert not refreshed.check_password("a-fresh-passphrase-for-2025"), "nothing was changed"


@pytest.mark.postgres(reason="needs PostgreSQL: row locks between real connections")
@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin() -> None:
    from tests.test_review_concurrency import run_together

    for round_ in range(10):
        first = make_user(Role.ADMIN, f"first{round_}")
        second = make_user(Role.ADMIN, f"second{round_}")
        results = run_together(
            [
                lambda pk=user.pk: services.user_set_role(
                    user=User.objects.get(pk=pk), role=Role.EDITOR
                )
                for user in (first, second)
            ]
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert {_role(first), _role(second)} == {Role.ADMIN, Role.EDITOR}
        # The next round starts from its own two admins alone.
        User.objects.update(is_active=False)


@pytest.mark.parametrize("name", ["bad\x00name", "two words", "x" * 151, ""])
def test_create_user_refuses_a_name_the_user_model_refuses_before_any_query(db, name):  # type: ignore[no-untyped-def]
    """A NUL would fail PostgreSQL's comparison itself; a space or an over-long name would be
    stored as an account nobody can sign in to."""
    os.environ["FACTCHECK_PASSWORD"] = "a-long-enough-password-42"
    try:
        with pytest.raises(CommandError):
            call_command("create_user", name, "--role", "editor")
    finally:
        del os.environ["FACTCHECK_PASSWORD"]
    assert get_user_model().objects.count() == 0
