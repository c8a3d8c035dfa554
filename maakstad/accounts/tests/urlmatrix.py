from maakstad.core.testing.matrix import LOGIN, OK, REDIRECT, everyone, expect, logged_in

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
}
