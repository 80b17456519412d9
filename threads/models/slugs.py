from django.utils.text import slugify


def unique_slug(model, text, fallback, max_length=80):
    """A slug for ``text`` that no other row of ``model`` uses: "name", "name-2", "name-3"...

    Titles in any script keep their letters (``allow_unicode``), so a Russian title gets a
    Russian slug rather than an empty one.
    """
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-") or fallback
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
