"""Authentication against the directory's accounts; locked and departed people cannot sign in."""

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        from zhengtong.accounts.services import is_locked

        return user.is_active and not is_locked(user)
