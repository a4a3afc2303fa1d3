"""Access: sign-in, passwords, roles and who may see a confidential location."""
