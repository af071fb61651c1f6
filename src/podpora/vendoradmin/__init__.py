"""The vendor's own administration (/sprava/): a second Django admin site whose every list,
choice and save is scoped to the signed-in manager's vendor, with each change recorded."""
