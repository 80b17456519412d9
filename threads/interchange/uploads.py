"""An uploaded file's plan, for the import pages and the import task alike."""

from . import discord, sillytavern, text_import


def parse_upload(source, raw, options):
    """The plan for an uploaded file: the same parsers as the commands."""
    if source == "discord":
        return discord.parse(raw, every=options.get("every"))
    if source == "sillytavern":
        return sillytavern.parse(raw)
    return text_import.parse(raw, options["split"], options["characters"], title="")
