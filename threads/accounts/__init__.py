"""Accounts: confirming an e-mail address before an account writes, and invitation codes
for a site with invite-only registration. Profiles and preferences are plain forms and views."""
