"""Letters greet people as Czechs write them: in the vocative ("Dobrý den, pane Nováku")."""

from vokativ import sex, vokativ


def salutation(first_name: str, last_name: str, language: str = "cs") -> str:
    last = (last_name or "").strip()
    if language == "en":
        return f"Dear {first_name} {last}".strip() if last or first_name else "Hello"
    if not last:
        return "Dobrý deň" if language == "sk" else "Dobrý den"
    woman = sex(last) == "w"
    if language == "sk":
        return f"Dobrý deň, {'pani' if woman else 'pán'} {last}"
    form = vokativ(last, woman=woman, last_name=True).capitalize()
    # vokativ lower-cases; keep the original capitals of multi-part names.
    form = "-".join(p[:1].upper() + p[1:] for p in form.split("-"))
    return f"Dobrý den, {'paní' if woman else 'pane'} {form}"
