from beacon.core.errors import DomainError, InvalidTransition, PermissionRefused


def test_domain_error_carries_a_safe_message_and_code():
    error = DomainError("You can't do that yet.", code="too_early")

    assert (error.message, error.code, str(error)) == (
        "You can't do that yet.",
        "too_early",
        "You can't do that yet.",
    )


def test_domain_error_subclasses_have_their_own_codes():
    assert (PermissionRefused("x").code, InvalidTransition("x").code) == (
        "permission",
        "invalid_transition",
    )
