from django.test import Client


def test_english_is_a_choice_and_dutch_the_default(db) -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    dutch = client.get("/account/inloggen/")
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Wachtwoord vergeten?" in dutch.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/account/inloggen/"})
    english = client.get("/account/inloggen/")
    assert '<html lang="en">' in english.content.decode()
    assert "Forgot your password?" in english.content.decode()
