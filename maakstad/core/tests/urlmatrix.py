from maakstad.core.testing.matrix import NOT_ALLOWED, OK, everyone, logged_in

EXPECTATIONS = {
    "core:home": logged_in(OK),
    "core:inbox": logged_in(OK),
    "core:inbox_read": logged_in(NOT_ALLOWED, kwargs=lambda w: {"pk": 1}),
    "core:healthz": everyone(OK),
}
