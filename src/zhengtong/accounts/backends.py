"""Authentication against the directory's accounts; locked and departed people cannot sign in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        """Signing in: refused to departed people and to locked accounts (by an admin or for a while)."""
        from zhengtong.accounts.services import is_locked

        return user.is_active and not is_locked(user)

    def get_user(self, user_id):
        """A running session: ends when the person leaves or an admin locks the account.

        A temporary lockout (someone else guessing the password) does not end the real person's
        sessions: otherwise anyone could sign a colleague out by typing wrong passwords.
        """
        model = get_user_model()
        user = model._default_manager.filter(pk=user_id).first()
        if user is None or not user.is_active or user.status == model.Status.LOCKED:
            return None
        return user
