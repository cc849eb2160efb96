"""Domain errors: raised by services, carrying a message that is safe to show a person."""


class DomainError(Exception):
    """A rule of the domain refused an action; `message` is safe to show to the actor.

    Views turn it into a form error or a flash message, the API into its error shape.
    `code` is a stable machine-readable name for the kind of refusal.
    """

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class PermissionRefused(DomainError):
    """The actor may not do this."""

    code = "permission"


class InvalidTransition(DomainError):
    """A state machine refused to move from the current state to the requested one."""

    code = "invalid_transition"
