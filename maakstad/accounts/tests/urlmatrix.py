from maakstad.core.testing.matrix import (
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    Outcomes,
    everyone,
    expect,
    logged_in,
)

# Two-factor pages: any logged-in user except a pupil.
STAFF_ONLY: Outcomes = {
    "anonymous": LOGIN,
    "pupil": DENIED,
    "teacher_a": OK,
    "teacher_b": OK,
    "company": OK,
    "programme": OK,
}

EXPECTATIONS = {
    # Logged-in users are sent on from the log-in page (redirect_authenticated_user).
    "accounts:login": expect(
        anonymous=OK,
        pupil=REDIRECT,
        teacher_a=REDIRECT,
        teacher_b=REDIRECT,
        company=REDIRECT,
        programme=REDIRECT,
    ),
    "accounts:logout": everyone(LOGIN, method="post"),
    "accounts:password_reset": everyone(OK),
    "accounts:password_reset_done": everyone(OK),
    "accounts:password_reset_confirm": everyone(
        OK, kwargs=lambda w: {"uidb64": "MQ", "token": "ongeldig-token"}
    ),
    "accounts:password_reset_complete": everyone(OK),
    "accounts:profile": logged_in(OK),
    # Without a pending log-in (a correct password in the last five minutes) back to the log-in.
    "accounts:login_code": everyone(LOGIN),
    "accounts:twofactor_setup": expect(**STAFF_ONLY),
    # An empty form shows the profile page again with the errors.
    "accounts:twofactor_recovery_codes": expect(**STAFF_ONLY, method="post"),
    "accounts:twofactor_disable": expect(**STAFF_ONLY, method="post"),
}
