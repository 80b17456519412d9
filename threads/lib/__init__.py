"""Plumbing with no domain rules: Markdown rendering, transactions and locks, e-mail,
portrait images, bounded diffs and small HTTP helpers. Nothing here imports the models'
rules or knows about stories, turns or moderation."""
